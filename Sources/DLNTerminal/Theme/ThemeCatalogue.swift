import Foundation

/// Where themes are found, first match wins: a path given, `$DLNTUI_THEMES`,
/// `~/.config/dlntui/themes`, the installed share folder and the repository's `themes/`, the
/// last two found from the executable's real path (not the current folder).
public enum ThemeCatalogue {
    public struct Folder: Equatable, Sendable {
        public var label: String
        public var path: String?
    }

    public struct Entry: Equatable, Sendable {
        public var name: String
        public var path: String
    }

    public static let defaultName = "default"

    /// The folders searched, in order; `path` nil when its source is unset.
    public static func folders(environment: [String: String] = ProcessInfo.processInfo.environment,
                               executable: String? = executablePath()) -> [Folder] {
        var out: [Folder] = []
        out.append(Folder(label: "$DLNTUI_THEMES", path: environment["DLNTUI_THEMES"].flatMap { $0.isEmpty ? nil : $0 }))
        out.append(Folder(label: "~/.config/dlntui/themes", path: environment["HOME"].map { $0 + "/.config/dlntui/themes" }))
        let exeDir = executable.map { ($0 as NSString).deletingLastPathComponent }
        out.append(Folder(label: "share folder", path: exeDir.map { (($0 as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/dlntui/themes") }))
        out.append(Folder(label: "repository", path: exeDir.flatMap(repositoryThemes(from:))))
        return out
    }

    /// The themes found, by name, the first folder's winning.
    public static func available(folders: [Folder] = folders()) -> [Entry] {
        var seen = Set<String>()
        var out: [Entry] = []
        for folder in folders {
            guard let dir = folder.path, let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for file in files.sorted() where file.hasSuffix(".theme") {
                let name = ThemeFile.themeName(file)
                if seen.insert(name).inserted { out.append(Entry(name: name, path: dir + "/" + file)) }
            }
        }
        return out
    }

    /// What `dlntui themes` prints.
    public static func listing() -> String {
        let dirs = folders()
        let found = available(folders: dirs)
        var lines = ["Themes found (first folder wins; --theme NAME|PATH or the t key selects):"]
        let width = max(10, found.map(\.name.count).max() ?? 0)
        for e in found { lines.append("  " + e.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + e.path) }
        lines.append("  " + "built-in".padding(toLength: width, withPad: " ", startingAt: 0) + "  (compiled in; used when no file named default is found)")
        lines.append("Searched, in order:")
        let labelWidth = dirs.map(\.label.count).max() ?? 0
        for d in dirs {
            let label = d.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            guard let path = d.path else {
                lines.append("  \(label)  " + (d.label.hasPrefix("$") ? "(not set)" : "(none: not run from a build in a checkout)"))
                continue
            }
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
            lines.append("  \(label)  \(path)\(exists ? "" : " (missing)")")
        }
        return lines.joined(separator: "\n")
    }

    /// A theme by name or path. nil selects the default theme; a name not found gives a warning
    /// and the built-in theme.
    public static func load(_ selection: String?, available entries: [Entry] = available()) -> (Theme, [ThemeWarning]) {
        guard let selection, !selection.isEmpty else {
            if let e = entries.first(where: { $0.name == defaultName }) { return ThemeFile.load(path: e.path) }
            return (Theme.builtIn, [])
        }
        if selection.contains("/") || selection.hasSuffix(".theme") || (entries.allSatisfy { $0.name != selection } && FileManager.default.fileExists(atPath: selection)) {
            return ThemeFile.load(path: selection)
        }
        if let e = entries.first(where: { $0.name == selection }) { return ThemeFile.load(path: e.path) }
        if selection == Theme.builtIn.name { return (Theme.builtIn, []) }
        let names = (entries.map(\.name) + [Theme.builtIn.name]).joined(separator: ", ")
        return (Theme.builtIn, [ThemeWarning(path: selection, line: 0, message: "no such theme (found: \(names)); using the built-in colours")])
    }

    /// The real path of the running executable (symbolic links resolved).
    public static func executablePath() -> String? {
        if let real = realpath("/proc/self/exe", nil) {
            defer { free(real) }
            return String(cString: real)
        }
        return CommandLine.arguments.first.flatMap { arg in
            guard let real = realpath(arg, nil) else { return nil }
            defer { free(real) }
            return String(cString: real)
        }
    }

    /// The `themes/` folder of the source tree the executable was built in: the nearest ancestor
    /// holding both Package.swift and themes/.
    static func repositoryThemes(from dir: String) -> String? {
        var current = dir
        let fm = FileManager.default
        for _ in 0..<12 {
            let themes = (current as NSString).appendingPathComponent("themes")
            if fm.fileExists(atPath: (current as NSString).appendingPathComponent("Package.swift")) && fm.fileExists(atPath: themes) {
                return themes
            }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { break }
            current = parent
        }
        return nil
    }
}
