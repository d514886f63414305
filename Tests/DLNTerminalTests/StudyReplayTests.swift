import CNcurses
import DLNFigures
import Foundation
@testable import DLNTerminal
import Testing

/// `dlntui replay DIR`: a study's quantile bands grow over its saved times, its histograms and
/// d = 2 limits are drawn; frames without a terminal, then the real binary in tmux.
@Suite(.serialized) struct StudyReplayTests {
    /// A study folder written here: quantiles of sigma_1, sigma_2 and energy at 11 times, and a
    /// summary of 20 members of d = 2 with their limits.
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "dlntui-study-replay-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var q = "point,time,quantity,q05,q25,q50,q75,q95,mean,n\n"
        for t in stride(from: 0.0, through: 10, by: 1) {
            for (name, v) in [("energy", exp(-t) + 1e-6), ("sigma_1", 1 - 0.9 * exp(-t)), ("sigma_2", 0.1 * exp(-t / 3))] {
                q += "0,\(t),\(name),\(0.6 * v),\(0.8 * v),\(v),\(1.2 * v),\(1.4 * v),\(v),20\n"
            }
        }
        try q.write(toFile: dir + "/quantiles.csv", atomically: true, encoding: .utf8)
        var s = "point,member,seed,status,steps,time,effective_rank,numerical_rank,sigma_1,sigma_2,w_1_1,w_1_2,w_2_1,w_2_2,t_rank_1,t_rank_2,wall_s\n"
        for m in 0..<20 {
            let w = m % 2 == 0 ? 1.0 + Double(m) / 100 : -1.0 - Double(m) / 100
            s += "0,\(m),1,ok,100,10,\(1 + Double(m % 5) / 10),\(1 + m % 2),2,0.01,1,\(w),\(1 / w),1,\(Double(m) / 4),,0.1\n"
        }
        try s.write(toFile: dir + "/summary.csv", atomically: true, encoding: .utf8)
        return dir
    }

    static func session(_ dir: String) throws -> StudyReplaySession {
        StudyReplaySession(study: try RecordedStudy(dir: dir), glyphs: .unicode, theme: nil, fps: 30)
    }

    @Test("the frame: header, the quantile charts, a histogram and the limits; the bands grow with the time")
    func frames() throws {
        let dir = try Self.folder()
        let session = try Self.session(dir)
        var text = session.frame(width: 120, height: 40).text
        #expect(text.contains("1 point, 20 members (20 ok)") && text.contains("t = 0 of 10"), "\(text)")
        for title in ["singular values: median", "energy: median", "final effective rank", "limits (W12, W21) of the members"] {
            #expect(text.contains(title), "no \(title) in\n\(text)")
        }
        // At t = 0 the bands hold one time: few braille dots; at the end many more.
        func dots(_ s: String) -> Int { s.unicodeScalars.filter { (0x2801...0x28FF).contains($0.value) }.count }
        let early = dots(text)
        _ = session.handle(.function(Int32(KEY_END)))
        text = session.frame(width: 120, height: 40).text
        #expect(text.contains("t = 10 of 10") && dots(text) > early + 100, "\(early) -> \(dots(text))")
        // ]/[ seek by a tenth of the 11 times (one), . steps one.
        _ = session.handle(.function(Int32(KEY_HOME)))
        _ = session.handle(.character("]"))
        #expect(session.frame(width: 120, height: 40).text.contains("t = 1 of 10"))
        _ = session.handle(.character("."))
        #expect(session.frame(width: 120, height: 40).text.contains("t = 2 of 10 · paused"))
        // h: the next statistic's histogram.
        _ = session.handle(.character("h"))
        text = session.frame(width: 120, height: 40).text
        #expect(text.contains("final numerical rank") && !text.contains("final effective rank"), "\(text)")
        _ = session.handle(.character("?"))
        text = session.frame(width: 120, height: 40).text
        #expect(text.contains("next histogram") && text.contains("seek back / forward by a tenth of the study's times"))
        #expect(session.handle(.character("x")) == true)  // any key closes the help
        #expect(!session.frame(width: 120, height: 40).text.contains("next histogram"))
        #expect(session.handle(.character("q")) == false)
    }

    @Test("the histogram's bars stand as high as their counts; the limits' points are drawn")
    func kinds() throws {
        let study = try RecordedStudy(dir: try Self.folder())
        let models = study.models(logSigma: true)
        let hist = try #require(models.first { $0.name == "hist-effective_rank" }?.model)
        // Effective ranks 1.0, 1.1, ..., 1.4, four members each.
        #expect(hist.histograms.count == 1 && hist.histograms[0].counts.reduce(0, +) == 20)
        let limits = try #require(models.first { $0.name == "limits" }?.model)
        #expect(limits.scatters[0].xs.count == 20 && limits.series.first?.label == "W12 W21 = 1")
    }

    @Test(.timeLimit(.minutes(1))) func inTmux() throws {
        guard run(["tmux", "-V"]).status == 0 else {
            Issue.record("StudyReplayTests needs tmux, which is not installed (make deps installs it: apt-get install tmux)")
            return
        }
        let binary = try #require(builtBinary(), "no dlntui binary beside the tests: run `swift build` first")
        let dir = try Self.folder()
        var tmux = Tmux()
        tmux.socket += "-study-replay"
        defer { tmux.cleanUp() }
        try ReplayEndToEndTests.start(tmux, dir, "'\(binary)' replay .")
        var pane = tmux.wait { $0.contains("limits (W12, W21)") && $0.contains("t = 10 of 10") }
        #expect(pane.contains("singular values: median") && pane.contains("h histogram"), "\(pane)")
        tmux.keys("Home")
        tmux.keys("Space")
        pane = tmux.wait { $0.contains("paused") }
        let held = pane.firstMatch(of: /t = ([0-9.]+) of 10/)?.1
        usleep(600_000)
        #expect(tmux.pane().firstMatch(of: /t = ([0-9.]+) of 10/)?.1 == held)
        tmux.keys("h")
        pane = tmux.wait { $0.contains("histogram hist-numerical_rank") }
        #expect(pane.contains("final numerical rank"))
        tmux.quitAndExpectRestored(dir)
        let bad = run(["sh", "-c", "'\(binary)' replay '\(NSTemporaryDirectory())' 2>&1"])
        #expect(bad.status == 2 && bad.output.contains("no quantiles.csv nor summary.csv"), "\(bad.output)")
    }
}
