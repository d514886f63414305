import DLNEngine
import Foundation
import Testing
@testable import DLNTerminal

/// The ensemble view driven in tmux with the real binary: `dlntui --preset two-by-two --members 200`
/// shows the member count, the bands, the cloud and the rank-one fraction with its interval; `N`
/// restarts every member at the new depth; `s` writes the study files; `q` exits 0 with the tty restored.
@Suite(.serialized) struct EnsembleEndToEndTests {
    @Test(.timeLimit(.minutes(2))) func ensembleViewInTmux() throws {
        guard run(["tmux", "-V"]).status == 0 else {
            Issue.record("EnsembleEndToEndTests needs tmux, which is not installed (make deps installs it: apt-get install tmux)")
            return
        }
        let binary = try #require(builtBinary(), "no dlntui binary beside the tests: run `swift build` first")
        let dir = NSTemporaryDirectory() + "dlntui-e2e-ensemble-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var tmux = Tmux()
        tmux.socket = "dlntui-e2e-ensemble-\(getpid())"
        defer { tmux.cleanUp() }
        try #require(tmux.start("'\(binary)' --preset two-by-two --members 200", in: dir))

        var pane = tmux.wait(15) { panelValue($0, "members") != nil && $0.contains("rank one") && $0.contains("(W12, W21) of 200") }
        #expect(panelValue(pane, "members")?.hasPrefix("200 on ") == true, "\(pane)")
        #expect(pane.contains("singular values") && pane.contains("5-25-50-75-95%"), "no bands in\n\(pane)")
        #expect(pane.contains("(W12, W21) of 200 members"), "no cloud in\n\(pane)")
        #expect(pane.contains("95% CI (Wilson)"), "\(pane)")
        let fraction = try #require(panelValue(pane, "rank one"), "\(pane)")
        // "k/200 = p%", the interval under "95% CI (Wilson)": "[low%, high%]"
        #expect(fraction.range(of: #"^\d+/200 = \d+\.\d%$"#, options: .regularExpression) != nil, "\(fraction)")
        #expect(pane.range(of: #"│ +\[\d+\.\d%, \d+\.\d%\]"#, options: .regularExpression) != nil, "no interval in\n\(pane)")
        #expect(panelValue(pane, "flow, d, N") == "upstairs, 2, 4")

        // N: every member restarts at N = 5 from its own start (the step goes back towards 0).
        tmux.keys("N")
        pane = tmux.wait(10) { panelValue($0, "flow, d, N") == "upstairs, 2, 5" }
        #expect(panelValue(pane, "flow, d, N") == "upstairs, 2, 5", "\(pane)")
        #expect(pane.contains("N = 5: 200 members restarted from the same member seeds"), "\(pane)")

        // s: the study files of the ensemble, in a folder of their own.
        tmux.keys("s")
        pane = tmux.wait(10) { $0.contains("saved dlntui-") }
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains("-ensemble-step") }
        #expect(folders.count == 1, "\(pane)")
        if let folder = folders.first {
            let files = Set((try? FileManager.default.contentsOfDirectory(atPath: dir + "/" + folder)) ?? [])
            #expect(files == ["summary.csv", "quantiles.csv", "ensemble.json", "screen.txt", "charts.svg"], "\(files)")
            // The view's charts from the same models: the bands, a histogram's bars, 200 members' points.
            let svg = (try? String(contentsOfFile: dir + "/" + folder + "/charts.svg", encoding: .utf8)) ?? ""
            #expect(svg.hasPrefix("<?xml") || svg.hasPrefix("<svg"), "\(svg.prefix(200))")
            #expect(svg.contains("singular values") && svg.contains("energy E") && svg.contains("histogram "), "\(svg.prefix(400))")
            #expect(svg.components(separatedBy: "class=\"bar\"").count > 1)
            // Two bands (5-95%, 25-75%) for each of sigma_1, sigma_2, E and the effective rank.
            #expect(svg.components(separatedBy: "class=\"band\"").count - 1 == 8)
            #expect(svg.components(separatedBy: "class=\"point\"").count - 1 == 200, "\(svg.components(separatedBy: "class=\"point\"").count - 1)")
            let sidecar = (try? String(contentsOfFile: dir + "/" + folder + "/ensemble.json", encoding: .utf8)) ?? ""
            #expect(sidecar.contains("\"restarts\": [\"step ") && sidecar.contains("N = 5"), "\(sidecar)")
            let quantiles = (try? String(contentsOfFile: dir + "/" + folder + "/quantiles.csv", encoding: .utf8)) ?? ""
            #expect(quantiles.hasPrefix("point,time,quantity,q05,q25,q50,q75,q95,mean,n\n"))
        }

        // e: the single run of the same configuration, and back.
        tmux.keys("e")
        pane = tmux.wait { $0.contains("parameters") && $0.contains("entropy") }
        #expect(pane.contains("parameters"), "\(pane)")
        tmux.keys("e")
        pane = tmux.wait { panelValue($0, "members") != nil }
        #expect(panelValue(pane, "members") != nil)

        tmux.quitAndExpectRestored(dir, seconds: 10)
    }
}
