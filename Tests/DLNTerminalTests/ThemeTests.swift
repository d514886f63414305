import Foundation
import Testing
@testable import DLNTerminal

/// The repository's themes/ folder, found from this file's path.
let repositoryThemes: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("themes").path
}()

func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "dlntui-test-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct ThemeTests {
    @Test func everyShippedThemeParsesCleanlyAndSetsEveryKey() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: repositoryThemes).filter { $0.hasSuffix(".theme") }
        #expect(files.count >= 4)
        for file in files {
            let path = repositoryThemes + "/" + file
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let (_, warnings) = ThemeFile.parse(text, name: file, path: path)
            #expect(warnings.isEmpty, "\(file): \(warnings)")
            for key in Theme.Key.allCases {
                #expect(text.contains("theme[\(key.rawValue)]="), "\(file) lacks \(key.rawValue)")
            }
        }
    }

    @Test func theDefaultFileIsTheBuiltInTheme() {
        let (theme, warnings) = ThemeFile.load(path: repositoryThemes + "/default.theme")
        #expect(warnings.isEmpty)
        #expect(theme.colors == Theme.builtIn.colors)
    }

    @Test func goodLinesSetColours() {
        let text = """
            # a comment
              theme[main_bg]="#102030"

            theme[series1] = "#ABCDEF"
            theme[main_fg]=""
            """
        let (t, warnings) = ThemeFile.parse(text, name: "t", path: "t.theme")
        #expect(warnings.isEmpty)
        #expect(t.color(.mainBg) == .rgb(RGB(0x10, 0x20, 0x30)))
        #expect(t.series(0) == .rgb(RGB(0xAB, 0xCD, 0xEF)))
        #expect(t.series(8) == t.series(0))
        #expect(t.color(.mainFg) == .terminal)
        // Keys the file leaves out keep the built-in colours.
        #expect(t.color(.title) == Theme.builtIn.color(.title))
    }

    @Test func unknownKeyAndBadColourWarnWithFileAndLine() {
        let text = """
            theme[main_bg]="#000000"
            theme[no_such_key]="#FFFFFF"
            theme[title]="#12345"
            theme[hi_fg]="red"
            this is not a theme line
            theme[div_line]="#GGGGGG"
            theme[warning_fg]="#FF0000"
            """
        let (t, warnings) = ThemeFile.parse(text, name: "bad", path: "/x/bad.theme")
        #expect(warnings.map(\.line) == [2, 3, 4, 5, 6])
        #expect(warnings[0].description == "/x/bad.theme:2: unknown key 'no_such_key'")
        #expect(warnings[1].description.hasPrefix("/x/bad.theme:3: bad colour '#12345' for title"))
        // Bad values fall back; good lines around them still apply.
        #expect(t.color(.title) == Theme.builtIn.color(.title))
        #expect(t.color(.divLine) == Theme.builtIn.color(.divLine))
        #expect(t.color(.mainBg) == .rgb(RGB(0, 0, 0)))
        #expect(t.color(.warningFg) == .rgb(RGB(255, 0, 0)))
    }

    @Test func junkAndHugeFilesFallBackWithAWarning() throws {
        let dir = temporaryFolder()
        let binary = dir + "/binary.theme"
        _ = FileManager.default.createFile(atPath: binary, contents: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        var (t, w) = ThemeFile.load(path: binary)
        #expect(w.count == 1 && w[0].path == binary)
        #expect(t.colors == Theme.builtIn.colors)
        let huge = dir + "/huge.theme"
        _ = FileManager.default.createFile(atPath: huge, contents: Data(repeating: 0x61, count: ThemeFile.maximumBytes + 10))
        (t, w) = ThemeFile.load(path: huge)
        #expect(w.count == 1 && w[0].message.contains("larger"))
        (t, w) = ThemeFile.load(path: dir + "/missing.theme")
        #expect(w.count == 1 && t.colors == Theme.builtIn.colors)
        // Many bad lines: warnings are capped, parsing goes on.
        let many = String(repeating: "garbage\n", count: 10_000) + "theme[title]=\"#010203\"\n"
        let (m, mw) = ThemeFile.parse(many, name: "m", path: "m")
        #expect(mw.count == ThemeFile.maximumWarnings && m.color(.title) == .rgb(RGB(1, 2, 3)))
    }

    @Test func searchOrderPrefersEarlierFolders() throws {
        let first = temporaryFolder(), second = temporaryFolder()
        try "theme[title]=\"#111111\"\n".write(toFile: first + "/light.theme", atomically: true, encoding: .utf8)
        try "theme[title]=\"#222222\"\n".write(toFile: first + "/extra.theme", atomically: true, encoding: .utf8)
        let folders = [ThemeCatalogue.Folder(label: "env", path: first), ThemeCatalogue.Folder(label: "unset", path: nil),
                       ThemeCatalogue.Folder(label: "missing", path: second + "/nope"),
                       ThemeCatalogue.Folder(label: "repo", path: repositoryThemes)]
        let found = ThemeCatalogue.available(folders: folders)
        #expect(found.first { $0.name == "light" }?.path == first + "/light.theme")
        #expect(found.first { $0.name == "default" }?.path == repositoryThemes + "/default.theme")
        #expect(Set(found.map(\.name)).count == found.count)
        let (light, _) = ThemeCatalogue.load("light", available: found)
        #expect(light.color(.title) == .rgb(RGB(0x11, 0x11, 0x11)))
        let (byPath, _) = ThemeCatalogue.load(first + "/extra.theme", available: found)
        #expect(byPath.color(.title) == .rgb(RGB(0x22, 0x22, 0x22)))
        let (missing, warnings) = ThemeCatalogue.load("nonesuch", available: found)
        #expect(missing.colors == Theme.builtIn.colors && warnings.count == 1)
        #expect(warnings[0].message.contains("extra"))
    }

    @Test func environmentAndExecutableDecideTheFolders() {
        let folders = ThemeCatalogue.folders(environment: ["DLNTUI_THEMES": "/t", "HOME": "/home/u"],
                                             executable: "/opt/dln/bin/dlntui")
        #expect(folders.map(\.path) == ["/t", "/home/u/.config/dlntui/themes", "/opt/dln/share/dlntui/themes", nil])
        // Built in a checkout: the repository's themes/ is found from the executable, not the current folder.
        let fromBuild = ThemeCatalogue.folders(environment: [:], executable: repositoryThemes + "/../.build/debug/dlntui")
        #expect(fromBuild.last?.path.map { URL(fileURLWithPath: $0).standardized.path } == URL(fileURLWithPath: repositoryThemes).standardized.path)
        #expect(ThemeCatalogue.listing().contains("built-in"))
    }

    @Test func colourDepthDetection() {
        #expect(ColorDepth.detect(noColor: "1", hasColors: true, colors: 1 << 24, rgbCapability: true) == .monochrome)
        #expect(ColorDepth.detect(noColor: "", hasColors: true, colors: 256, rgbCapability: false) == .palette256)
        #expect(ColorDepth.detect(noColor: nil, hasColors: true, colors: 1 << 24, rgbCapability: true) == .direct)
        #expect(ColorDepth.detect(noColor: nil, hasColors: true, colors: 16, rgbCapability: false) == .ansi16)
        #expect(ColorDepth.detect(noColor: nil, hasColors: true, colors: 8, rgbCapability: false) == .ansi8)
        #expect(ColorDepth.detect(noColor: nil, hasColors: false, colors: 0, rgbCapability: false) == .monochrome)
        #expect(ColorDepth.monochrome.number(.rgb(RGB(1, 2, 3))) == -1)
        #expect(ColorDepth.direct.number(.rgb(RGB(0x12, 0x34, 0x56))) == 0x123456)
        #expect(ColorDepth.palette256.number(.terminal) == -1)
    }

    @Test func nearestPaletteColours() {
        // Exact cube and grey entries map to themselves.
        #expect(Palette.nearest256(RGB(255, 0, 0)) == 196)
        #expect(Palette.nearest256(RGB(0, 0, 0)) == 16)
        #expect(Palette.nearest256(RGB(0x80, 0x80, 0x80)) == 244)
        #expect(Palette.nearest256(RGB(95, 135, 175)) == 16 + 36 * 1 + 6 * 2 + 3)
        // Soft colours keep their hue in 8 colours instead of turning grey.
        #expect(Palette.nearestANSI(RGB(0xF7, 0x8C, 0x6C), count: 8) == 1)
        #expect(Palette.nearestANSI(RGB(0x5F, 0xB3, 0xF9), count: 8) == 6 || Palette.nearestANSI(RGB(0x5F, 0xB3, 0xF9), count: 8) == 4)
        #expect(Palette.nearestANSI(RGB(0xC3, 0xE8, 0x8D), count: 8) == 2 || Palette.nearestANSI(RGB(0xC3, 0xE8, 0x8D), count: 8) == 3)
        #expect(Palette.nearestANSI(RGB(0x1C, 0x1E, 0x26), count: 8) == 0)
        #expect(Palette.nearestANSI(RGB(0xD8, 0xDE, 0xE9), count: 16) == 7 || Palette.nearestANSI(RGB(0xD8, 0xDE, 0xE9), count: 16) == 15)
    }
}

@Suite struct ThemeDocumentationTests {
    @Test func readmeDocumentsEveryKey() throws {
        let readme = try String(contentsOfFile: repositoryThemes + "/README.md", encoding: .utf8)
        for key in Theme.Key.allCases where !key.rawValue.hasPrefix("series") {
            #expect(readme.contains("`\(key.rawValue)`"), "themes/README.md lacks \(key.rawValue)")
        }
        #expect(readme.contains("`series1` ... `series8`"))
    }
}
