import DLNEngine
import Foundation
import Testing
@testable import DLNTerminal

/// Compared ensembles in the real binary under tmux: `dlntui --compare 'N=2' 'N=4' --members 50
/// --preset two-by-two` shows both configurations labelled, each with its rank-one fraction and
/// interval; `s` writes a subfolder per configuration; `e` switches to the single-run comparison of
/// the same configurations; `q` exits 0 with the tty restored.
@Suite(.serialized) struct ComparedEnsembleEndToEndTests {
    @Test(.timeLimit(.minutes(2))) func comparedEnsemblesInTmux() throws {
        guard run(["tmux", "-V"]).status == 0 else {
            Issue.record("ComparedEnsembleEndToEndTests needs tmux, which is not installed (make deps installs it: apt-get install tmux)")
            return
        }
        let binary = try #require(builtBinary(), "no dlntui binary beside the tests: run `swift build` first")
        let dir = NSTemporaryDirectory() + "dlntui-e2e-compared-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var tmux = Tmux()
        tmux.socket = "dlntui-e2e-compared-\(getpid())"
        defer { tmux.cleanUp() }
        try #require(tmux.start("'\(binary)' --compare 'N=2' 'N=4' --members 50 --preset two-by-two", in: dir))

        let fraction = #"^\d+/50 = \d+\.\d% \[\d+\.\d, \d+\.\d\]$"#
        var pane = tmux.wait(15) { p in
            ["N=2", "N=4"].allSatisfy { panelValue(p, $0)?.range(of: fraction, options: .regularExpression) != nil }
        }
        #expect(pane.contains("2 ensembles"), "\(pane)")
        #expect(panelValue(pane, "members")?.hasPrefix("50 x 2, paired") == true, "\(pane)")
        for label in ["N=2", "N=4"] {
            let row = panelValue(pane, label) ?? ""
            #expect(row.range(of: fraction, options: .regularExpression) != nil, "\(label): '\(row)' in\n\(pane)")
            // The legend of the singular values names it with its fraction.
            #expect(pane.contains("\(label) rank one "), "no legend entry for \(label) in\n\(pane)")
        }
        #expect(pane.contains("95% CI (Wilson)") && pane.contains("median, 25-75%"), "\(pane)")
        #expect(pane.contains("(W12, W21) N=2 50  N=4 50"), "no clouds in\n\(pane)")
        #expect(panelValue(pane, "flow, d, N") == "upstairs, 2, 2|4", "\(pane)")

        // N: each configuration restarts at its own N + 1, labels and all.
        tmux.keys("N")
        pane = tmux.wait(10) { panelValue($0, "flow, d, N") == "upstairs, 2, 3|5" && $0.contains("restarted from the same member seeds") }
        #expect(panelValue(pane, "flow, d, N") == "upstairs, 2, 3|5", "\(pane)")
        #expect(pane.contains("N=3 | N=5: 50 members restarted from the same member seeds"), "\(pane)")

        // s: one folder, a subfolder per configuration with its study files.
        tmux.keys("s")
        pane = tmux.wait(10) { $0.contains("saved dlntui-") }
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains("-ensembles-step") }
        #expect(folders.count == 1, "\(pane)")
        if let folder = folders.first {
            let top = Set((try? FileManager.default.contentsOfDirectory(atPath: dir + "/" + folder)) ?? [])
            #expect(top == ["screen.txt", "charts.svg", "1-N=3", "2-N=5"], "\(top)")
            for sub in ["1-N=3", "2-N=5"] {
                let files = Set((try? FileManager.default.contentsOfDirectory(atPath: dir + "/" + folder + "/" + sub)) ?? [])
                #expect(files == ["summary.csv", "quantiles.csv", "ensemble.json"], "\(sub): \(files)")
                let sidecar = (try? String(contentsOfFile: dir + "/" + folder + "/" + sub + "/ensemble.json", encoding: .utf8)) ?? ""
                #expect(sidecar.contains("\"configuration\": \"\(sub.dropFirst(2))\""), "\(sidecar.prefix(300))")
            }
            // Two bands (25-75%) per configuration for sigma_1, sigma_2, E and the effective rank; 100 points.
            let svg = (try? String(contentsOfFile: dir + "/" + folder + "/charts.svg", encoding: .utf8)) ?? ""
            #expect(svg.components(separatedBy: "class=\"band\"").count - 1 == 8, "\(svg.components(separatedBy: "class=\"band\"").count - 1)")
            #expect(svg.components(separatedBy: "class=\"point\"").count - 1 == 100)
        }

        // e: the single-run comparison of the same configurations (N=3 and N=5 after the edit), and back.
        tmux.keys("e")
        pane = tmux.wait { $0.contains("2 runs") }
        #expect(pane.contains("2 runs") && panelValue(pane, "N=3") != nil && panelValue(pane, "N=5") != nil, "\(pane)")
        tmux.keys("e")
        pane = tmux.wait { $0.contains("2 ensembles") }
        #expect(pane.contains("2 ensembles"), "\(pane)")

        tmux.quitAndExpectRestored(dir, seconds: 10)
    }
}
