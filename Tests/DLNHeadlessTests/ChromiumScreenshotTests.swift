import Foundation
import Testing

/// A figure of `dlntui plot` rendered once by a browser engine as well: headless Chromium (Debian's
/// chromium, installed by `make test`) takes a screenshot at the figure's own pixel size, which must
/// come out non-blank, of that size, and inked about as much as rsvg-convert's rendering.
@Suite(.serialized) struct ChromiumScreenshotTests {
    static func chromium() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// chromium --headless --screenshot, bounded: status and stderr (nil status: it did not end).
    static func screenshot(_ browser: String, svg: String, png: String, width: Int, height: Int) throws -> (status: Int32?, stderr: String) {
        let profile = Binary.temporaryDirectory() + "/chromium-profile"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        // --no-sandbox: the test may run as root, where Chromium's sandbox refuses to start.
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                       "--user-data-dir=\(profile)", "--window-size=\(width),\(height)", "--screenshot=\(png)",
                       URL(fileURLWithPath: svg).absoluteString]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(90)
        while p.isRunning && Date() < deadline { usleep(50_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            return (nil, "")
        }
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (p.terminationStatus, text)
    }

    @Test("a study figure and a run figure: Chromium's screenshot at their size, non-blank, inked like rsvg-convert's")
    func screenshots() throws {
        guard let browser = Self.chromium() else {
            Issue.record("ChromiumScreenshotTests needs headless Chromium, which is not installed (make test installs it: apt-get install chromium)")
            return
        }
        let dir = Binary.temporaryDirectory()
        let rows = dir + "/run.csv", study = dir + "/study"
        #expect(try Binary.run(["run", "--preset", "completion", "--steps", "300", "--every", "3", "--output", rows]).status == 0)
        #expect(try Binary.run(["ensemble", "--preset", "two-by-two", "--members", "30", "--steps", "1000", "--output", study], timeout: 120).status == 0)
        #expect(try Binary.run(["plot", rows]).status == 0)
        #expect(try Binary.run(["plot", study]).status == 0)
        for svg in [dir + "/run.svg", study + "/study.svg"] {
            let text = try String(contentsOfFile: svg, encoding: .utf8)
            let want = try PlotCommandTests.expectedPixels(text)
            let png = svg + ".chromium.png"
            let shot = try Self.screenshot(browser, svg: svg, png: png, width: want.width, height: want.height)
            guard shot.status == 0, FileManager.default.fileExists(atPath: png) else {
                Issue.record("headless Chromium did not make a screenshot of \(svg) (status \(shot.status.map(String.init) ?? "none: killed after 90 s")): \(shot.stderr.suffix(600))")
                continue
            }
            let facts = try PNGFacts.of(png)
            #expect(facts.width == want.width && facts.height == want.height, "\(facts) vs \(want)")
            #expect(facts.inked > facts.width * facts.height / 40 && facts.colours >= 6, "blank or grey: \(facts)")
            let reference = svg + ".rsvg.png"
            #expect(try Renderer.rsvg(svg, png: reference) == 0)
            let r = try PNGFacts.of(reference)
            let ratio = Double(facts.inked) / Double(max(1, r.inked))
            #expect(ratio > 0.6 && ratio < 1.6, "Chromium inked \(facts.inked) pixels, rsvg-convert \(r.inked)")
        }
    }
}
