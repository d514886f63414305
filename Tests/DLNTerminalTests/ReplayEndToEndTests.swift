import Foundation
@testable import DLNTerminal
import Testing

/// `dlntui replay` driven in tmux like a user would, on rows the real binary recorded.
@Suite(.serialized) struct ReplayEndToEndTests {
    /// A headless run's rows (201 rows, steps 0, 10, ..., 2000) in a fresh folder.
    static func recorded() throws -> (binary: String, dir: String) {
        let binary = try #require(builtBinary(), "no dlntui binary beside the tests: run `swift build` first")
        let dir = NSTemporaryDirectory() + "dlntui-replay-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let made = run([binary, "run", "--seed", "1", "--steps", "2000", "--every", "10", "--output", dir + "/r.csv"])
        try #require(made.status == 0, "dlntui run: \(made.output)")
        return (binary, dir)
    }

    static func start(_ tmux: Tmux, _ dir: String, _ command: String) throws {
        let script = "cd '\(dir)' && stty -g > before && \(command); echo $? > status; stty -g > after; sleep 30"
        let started = tmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40",
                           "-e", "LANG=C.UTF-8", "-e", "SWIFT_BACKTRACE=interactive=no", "sh", "-c", script)
        try #require(started.status == 0)
    }

    /// The step shown in the parameter panel ("step, t  880, 264" gives 880).
    static func step(_ pane: String) -> Int? {
        panelValue(pane, "step, t").flatMap { Int($0.prefix { $0 != "," }) }
    }

    @Test(.timeLimit(.minutes(1))) func replaysPausesAndSeeks() throws {
        guard run(["tmux", "-V"]).status == 0 else {
            Issue.record("ReplayEndToEndTests needs tmux, which is not installed (make deps installs it: apt-get install tmux)")
            return
        }
        let (binary, dir) = try Self.recorded()
        var tmux = Tmux()
        tmux.socket += "-replay-view"
        defer { tmux.cleanUp() }
        try Self.start(tmux, dir, "'\(binary)' replay r.csv")
        var pane = tmux.wait { $0.contains("rank") && $0.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } }
        for title in ["singular values", "energy", "entropy", "rank", "parameters", "not recorded"] {
            #expect(pane.contains(title), "no \(title) in\n\(pane)")
        }
        #expect(pane.contains("[/] seek"), "the footer is the replay's table:\n\(pane)")
        // dopri5's step size and rejections are not in the rows: not shown as if they were.
        #expect(pane.contains("dopri5, h not recorded") && pane.contains("rej. not recorded") && !pane.contains("acc/rej"), "\(pane)")
        // Playing: the step shown moves on.
        let first = try #require(Self.step(pane))
        pane = tmux.wait { (Self.step($0) ?? 0) > first }
        #expect((Self.step(pane) ?? 0) > first)
        // Paused (at 10 rows/s from the start, so the end is seconds away): the step shown holds.
        tmux.keys("Home")
        for _ in 0..<3 { tmux.keys("<") }
        pane = tmux.wait { $0.contains("speed 10 rows/s") }
        tmux.keys("Space")
        pane = tmux.wait { panelValue($0, "state") == "paused" }
        #expect(panelValue(pane, "state") == "paused")
        let held = try #require(Self.step(pane))
        #expect(held < 2000)
        usleep(800_000)
        #expect(Self.step(tmux.pane()) == held)
        // Home, then `]`: a tenth of the 201 rows (20 rows, 200 steps) on; End: the last row.
        tmux.keys("Home")
        pane = tmux.wait { Self.step($0) == 0 }
        #expect(Self.step(pane) == 0)
        tmux.keys("]")
        pane = tmux.wait { Self.step($0) == 200 }
        #expect(Self.step(pane) == 200)
        tmux.keys(".")
        pane = tmux.wait { Self.step($0) == 210 }
        #expect(Self.step(pane) == 210)
        tmux.keys("End")
        pane = tmux.wait { Self.step($0) == 2000 }
        #expect(Self.step(pane) == 2000)
        tmux.keys("[")
        pane = tmux.wait { Self.step($0) == 1800 }
        #expect(Self.step(pane) == 1800)
        tmux.keys("?")
        pane = tmux.wait { $0.contains("any key closes") }
        #expect(pane.contains("seek back / forward by a tenth of the run") && pane.contains("Home / End"))
        tmux.keys("x")
        _ = tmux.wait { !$0.contains("any key closes") }
        tmux.quitAndExpectRestored(dir)
    }

    @Test(.timeLimit(.minutes(1))) func followsATruncatedFileAsItIsWritten() throws {
        guard run(["tmux", "-V"]).status == 0 else {
            Issue.record("ReplayEndToEndTests needs tmux, which is not installed (make deps installs it: apt-get install tmux)")
            return
        }
        let (binary, dir) = try Self.recorded()
        let lines = try String(contentsOfFile: dir + "/r.csv", encoding: .utf8).split(separator: "\n").map { $0 + "\n" }
        // The header, rows 0 ... 100 (steps 0 ... 1000) and half of the next: a run still being written.
        let cut = lines[102].prefix(lines[102].count / 2)
        try (lines[0...101].joined() + cut).write(toFile: dir + "/f.csv", atomically: true, encoding: .utf8)
        var tmux = Tmux()
        tmux.socket += "-replay-follow"
        defer { tmux.cleanUp() }
        try Self.start(tmux, dir, "'\(binary)' replay --follow f.csv")
        var pane = tmux.wait { Self.step($0) != nil }
        tmux.keys("End")
        pane = tmux.wait { Self.step($0) == 1000 }
        #expect(Self.step(pane) == 1000, "the last complete row:\n\(pane)")
        usleep(500_000)
        #expect(Self.step(tmux.pane()) == 1000)
        // The rest of the file arrives: the replay plays on to its last row.
        let handle = try #require(FileHandle(forWritingAtPath: dir + "/f.csv"))
        handle.seekToEndOfFile()
        handle.write(Data((lines[102].dropFirst(cut.count) + lines[103...].joined()).utf8))
        try handle.close()
        pane = tmux.wait(10) { Self.step($0) == 2000 }
        #expect(Self.step(pane) == 2000, "followed rows:\n\(pane)")
        tmux.quitAndExpectRestored(dir)
    }

    @Test func notDlntuiRowsIsStatusTwoNamingLineAndColumn() throws {
        let binary = try #require(builtBinary())
        let path = NSTemporaryDirectory() + "dlntui-replay-bad-\(UUID().uuidString).csv"
        try "step,time,oops\n1,2,3\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = run(["sh", "-c", "'\(binary)' replay '\(path)' 2>&1"])
        #expect(r.status == 2)
        #expect(r.output.contains("\(path):1:3"), "\(r.output)")
    }
}

/// A snapshot's edits and rollbacks in a replay: the parameters shown change at the edit's step,
/// and the replay names each edit as it passes it.
@Suite struct ReplayEditsTests {
    @Test func editsTakeEffectAtTheirStep() throws {
        let (_, dir) = try ReplayEndToEndTests.recorded()
        let sidecar = dir + "/r.csv.json"
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sidecar))) as? [String: Any])
        object["edits"] = [["step": 500, "parameter": "beta", "value": 1000.0], ["step": 800, "parameter": "rollback", "value": 600]]
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: sidecar))
        let run = try RecordedRun(path: dir + "/r.csv")
        #expect(run.warnings.isEmpty, "\(run.warnings)")
        #expect(run.edits.map(\.step) == [500, 800])
        // Row 49 is step 490, before the edit: the start's beta (inf for the default preset).
        run.update { $0.home(); for _ in 0..<49 { $0.step() } }
        #expect(try #require(run.latestFrame()).snapshot.parameters.beta == run.parameters.beta)
        #expect(run.edits(after: 490, through: 490).isEmpty)
        run.update { $0.step() }
        let at = try #require(run.latestFrame())
        #expect(at.snapshot.observation.step == 500 && at.snapshot.parameters.beta == 1000)
        #expect(run.edits(after: 490, through: 500).map(\.parameter) == ["beta"])
        #expect(run.edits(after: 500, through: 2000).map(\.parameter) == ["rollback"])
    }
}
