import DLNEngine
import Foundation
import Testing
@testable import DLNTerminal

/// `dlntui --compare 'N=2' 'N=4'` in the real binary under tmux: both runs named in the legend,
/// the chart titles and the panel; c adds the configuration in force after an edit; a snapshot's
/// sidecar lists the runs; q exits 0 with the tty as it was.
@Suite(.serialized) struct CompareEndToEndTests {
    @Test(.timeLimit(.minutes(1))) func compareShowsBothRunsLabelledAndQuitsClean() throws {
        guard run(["tmux", "-V"]).status == 0 else {
            Issue.record("CompareEndToEndTests needs tmux, which is not installed (make deps installs it: apt-get install tmux)")
            return
        }
        let binary = try #require(builtBinary(), "no dlntui binary beside the tests: run `swift build` first")
        let dir = NSTemporaryDirectory() + "dlntui-compare-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var tmux = Tmux()
        tmux.socket += "-compare"
        defer { tmux.cleanUp() }
        try #require(tmux.start("'\(binary)' --seed 1 --compare 'N=2' 'N=4'", in: dir))

        var pane = tmux.wait { $0.contains("N=4 σ1") && $0.contains("│N=4 ") && $0.contains("comparing N=2 | N=4") }
        // The legend of the singular values names each run, and so do the E and S charts' titles.
        #expect(pane.contains("N=2 σ1") && pane.contains("N=4 σ1"), "no legend naming both runs in\n\(pane)")
        #expect(pane.contains("2 runs"), "no run count in\n\(pane)")
        let lines = pane.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("E N=2 ") && $0.contains(" N=4 ") }, "no energy chart naming both in\n\(pane)")
        #expect(lines.contains { $0.contains("S N=2 ") && $0.contains(" N=4 ") }, "no entropy chart naming both in\n\(pane)")
        // The panel: a row per run, its effective rank and error.
        for label in ["N=2", "N=4"] {
            let row = panelValue(pane, label)
            #expect(row?.hasPrefix("err ") == true && row?.contains("erank ") == true, "panel row \(label): \(row ?? "none")")
        }
        #expect(pane.contains("comparing N=2 | N=4"), "no opening message in\n\(pane)")

        // beta halved (every run), then c: a third run with the configuration in force.
        tmux.keys("b")
        pane = tmux.wait { panelValue($0, "beta") == "1e6" }
        tmux.keys("c")
        pane = tmux.wait { $0.contains("3 runs") }
        #expect(pane.contains("3 runs"), "c added no run:\n\(pane)")
        #expect(pane.contains("N=2,beta=inf") && pane.contains("N=4,beta=inf") && pane.contains("N=2,beta=1e6"), "labels after c:\n\(pane)")

        // A snapshot's sidecar records the three configurations.
        tmux.keys("s")
        pane = tmux.wait { $0.contains("saved dlntui-") }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let sidecar = try #require(files.first { $0.hasSuffix(".csv.json") }, "no sidecar in \(files)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + sidecar))) as? [String: Any]
        let runs = try #require(json?["comparison"] as? [[String: Any]])
        #expect(runs.compactMap { $0["compare"] as? String } == ["N=2,beta=inf", "N=4,beta=inf", "N=2,beta=1e6"])

        // q exits 0 and leaves the tty as it found it.
        tmux.quitAndExpectRestored(dir)
    }
}
