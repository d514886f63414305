import Foundation
import Testing

/// Issue 4's terminal rows, on the real binary in tmux: quit and crash signals restore the tty
/// (Ctrl-Z is in SuspendTests), a resize storm leaves a correct layout, LANG=C and
/// TERM=vt100 still draw, and no terminal (or TERM=dumb) means one line and status 64.
@Suite(.serialized) struct TerminalRobustnessTests {
    /// Starts dlntui in a fresh tmux server with the tty state saved before and after; returns the
    /// server, the folder holding `before`, `after` and `status`, and the first pane with charts.
    static func start(_ name: String, env: [String] = [], args: [String] = [], size: (Int, Int) = (120, 40),
                      until ready: (String) -> Bool = { $0.contains("parameters") }) throws -> (Tmux, String, String) {
        let binary = try #require(builtBinary(), "no dlntui binary beside the tests: run `swift build` first")
        let dir = NSTemporaryDirectory() + "dlntui-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var tmux = Tmux()
        tmux.socket = "dlntui-\(name)-\(getpid())"
        // The variables go on dlntui's command line: tmux sets TERM in a pane whatever -e says.
        let vars = (env.contains { $0.hasPrefix("LANG=") } ? env : env + ["LANG=C.UTF-8"]).map { "'\($0)'" }.joined(separator: " ")
        let script = "cd '\(dir)' && stty -g > before && env \(vars) '\(binary)' --seed 1\(args.map { " '\($0)'" }.joined()) 2> stderr; echo $? > status; stty -g > after; sleep 30"
        let args = ["new-session", "-d", "-s", "e2e", "-x", "\(size.0)", "-y", "\(size.1)", "-e", "SWIFT_BACKTRACE=interactive=no"]
        let started = run(["tmux", "-L", tmux.socket] + args + ["sh", "-c", script], environment: ["LANG": "C.UTF-8"])
        try #require(started.status == 0)
        let pane = tmux.wait(until: ready)
        return (tmux, dir, pane)
    }

    static func finished(_ dir: String, seconds: Double = 5) -> (status: String?, ttyRestored: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        while !FileManager.default.fileExists(atPath: dir + "/after") && Date() < deadline { usleep(100_000) }
        usleep(150_000)
        let status = (try? String(contentsOfFile: dir + "/status", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let before = try? String(contentsOfFile: dir + "/before", encoding: .utf8)
        let after = try? String(contentsOfFile: dir + "/after", encoding: .utf8)
        return (status, before != nil && before == after)
    }

    static var haveTmux: Bool {
        if run(["tmux", "-V"]).status == 0 { return true }
        // Never a silent skip: the end-to-end tests need a real terminal, and `make test` installs tmux.
        Issue.record("tmux is not installed (make deps installs it: apt-get install tmux)")
        return false
    }

    /// The dlntui process inside this test's own tmux pane (other suites run their own dlntui at
    /// the same time, so a system-wide search could signal theirs).
    static func dlntuiPid(under tmux: Tmux) -> Int32? {
        let shell = tmux("list-panes", "-t", "e2e", "-F", "#{pane_pid}").output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let root = Int32(shell) else { return nil }
        var frontier = [root]
        while let pid = frontier.popLast() {
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if comm == "dlntui" { return pid }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            for entry in entries {
                guard let child = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 1 && Int32(fields[1]) == pid { frontier.append(child) }
            }
        }
        return nil
    }

    @Test(.timeLimit(.minutes(1)), arguments: [SIGINT, SIGTERM, SIGHUP])
    func quitSignalsRestoreTheTerminal(_ signal: Int32) throws {
        guard Self.haveTmux else { return }
        let (tmux, dir, pane) = try Self.start("sig\(signal)")
        defer { tmux.cleanUp() }
        #expect(pane.contains("parameters"))
        let pid = try #require(Self.dlntuiPid(under: tmux))
        kill(pid, signal)
        let (status, restored) = Self.finished(dir)
        #expect(status == "\(128 + signal)", "signal \(signal): status \(status ?? "none")")
        #expect(restored, "signal \(signal): stty -g differs before and after")
        // And the screen: the handler left the alternate screen, so the dashboard is not left drawn
        // over the shell. (A release build once read a second, never-set copy of the handler's
        // "curses active" flag and wrote no reset: CTerminalGuard holds that state once now.)
        let alternate = tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}").output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(alternate == "0", "signal \(signal): still on the alternate screen\n\(tmux.pane())")
    }

    @Test(.timeLimit(.minutes(1)))
    func resizeStormLeavesACorrectLayout() throws {
        guard Self.haveTmux else { return }
        let (tmux, dir, _) = try Self.start("storm")
        defer { tmux.cleanUp() }
        let sizes = [(1, 1), (400, 120), (2, 50), (80, 24), (79, 24), (200, 10), (30, 90), (160, 50), (1, 120), (400, 1),
                     (81, 25), (120, 40), (10, 10), (300, 100), (80, 23), (100, 30), (5, 200), (150, 45), (60, 20), (90, 30)]
        let start = Date()
        for (w, h) in sizes {
            _ = tmux("resize-window", "-t", "e2e", "-x", "\(w)", "-y", "\(h)")
            usleep(80_000)
        }
        #expect(Date().timeIntervalSince(start) < 3)
        _ = tmux("resize-window", "-t", "e2e", "-x", "120", "-y", "40")
        // With four lower charts at 120 columns the rank chart's title is its two values ("eff ... num ...").
        let pane = tmux.wait { $0.contains("singular values") && $0.contains("eff ") && $0.contains("parameters") }
        for title in ["singular values", "energy", "entropy", "eff ", "num ", "err ", "parameters"] { #expect(pane.contains(title), "no \(title) after the storm") }
        #expect(!pane.contains("terminal too small"))
        // Every line of the pane fits the window.
        #expect(pane.split(separator: "\n").allSatisfy { $0.count <= 120 })
        tmux.keys("q")
        let (status, restored) = Self.finished(dir)
        #expect(status == "0" && restored)
    }

    @Test(.timeLimit(.minutes(1)), arguments: [["LANG=C", "LC_ALL=C"], ["TERM=vt100"]])
    func plainTerminalsStillDraw(_ env: [String]) throws {
        guard Self.haveTmux else { return }
        let titles = ["energy", "entropy", "rank", "parameters"]
        // The first frame may still be on its way when "parameters" shows: wait for all of it.
        let (tmux, dir, pane) = try Self.start("plain\(env.count)", env: env) { pane in titles.allSatisfy { pane.contains($0) } }
        defer { tmux.cleanUp() }
        for title in titles { #expect(pane.contains(title), "\(env): no \(title)\n\(pane)") }
        if env.contains("LANG=C") {
            // No braille without UTF-8: ASCII charts.
            #expect(!pane.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) }, "braille under LANG=C")
        }
        tmux.keys("q")
        let (status, restored) = Self.finished(dir)
        #expect(status == "0" && restored, "\(env)")
    }

    /// Crash signals: the fatal handler restores the tty, then hands the signal on (to Swift's
    /// backtracer, which reports and dies of it), so the shell sees 128 + n.
    @Test(.timeLimit(.minutes(1)), arguments: [SIGSEGV, SIGABRT, SIGBUS, SIGFPE])
    func crashSignalsRestoreTheTerminal(_ signal: Int32) throws {
        guard Self.haveTmux else { return }
        let (tmux, dir, pane) = try Self.start("crash\(signal)")
        defer { tmux.cleanUp() }
        #expect(pane.contains("parameters"))
        let pid = try #require(Self.dlntuiPid(under: tmux))
        kill(pid, signal)
        let (status, restored) = Self.finished(dir, seconds: 30)
        #expect(status == "\(128 + signal)", "signal \(signal): status \(status ?? "none")")
        #expect(restored, "signal \(signal): stty -g differs before and after")
        // And the screen: the handler left the alternate screen, so the dashboard is not left drawn
        // over the shell. (A release build once read a second, never-set copy of the handler's
        // "curses active" flag and wrote no reset: CTerminalGuard holds that state once now.)
        let alternate = tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}").output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(alternate == "0", "signal \(signal): still on the alternate screen\n\(tmux.pane())")
    }

    /// TERM=dumb has no cursor addressing (ncurses refuses it): one line saying so and pointing to
    /// `dlntui run`, usage status, tty untouched, nothing drawn.
    @Test(.timeLimit(.minutes(1)))
    func dumbTerminalGetsOneLineAndUsageStatus() throws {
        guard Self.haveTmux else { return }
        let (tmux, dir, _) = try Self.start("dumb", env: ["TERM=dumb"]) { _ in true }
        defer { tmux.cleanUp() }
        let (status, restored) = Self.finished(dir, seconds: 10)
        #expect(status == "64" && restored, "status \(status ?? "none")")
        let stderr = try String(contentsOfFile: dir + "/stderr", encoding: .utf8)
        #expect(stderr.split(separator: "\n").count == 1 && stderr.contains("TERM=dumb") && stderr.contains("dlntui run"), "\(stderr)")
        let pane = tmux.pane()
        #expect(!pane.contains("parameters") && !pane.contains("\u{1B}"), "\(pane)")
    }

    /// A run that cannot be set up exits as `dlntui run` does (`ExitStatus.of`): 2 for a data
    /// file that is not there, the terminal untouched.
    @Test(.timeLimit(.minutes(1)))
    func setupFailureExitsAsHeadless() throws {
        guard Self.haveTmux else { return }
        let missing = NSTemporaryDirectory() + "dlntui-no-such-\(UUID().uuidString).csv"
        let (tmux, dir, _) = try Self.start("setup", args: ["--target", missing]) { _ in true }
        defer { tmux.cleanUp() }
        let (status, restored) = Self.finished(dir, seconds: 10)
        let binary = try #require(builtBinary())
        let headless = run([binary, "run", "--steps", "1", "--target", missing])
        #expect(status == "2" && headless.status == 2 && restored, "interface \(status ?? "none"), run \(headless.status)")
        let stderr = try String(contentsOfFile: dir + "/stderr", encoding: .utf8)
        #expect(stderr.contains(missing), "\(stderr)")
    }

    @Test func noTerminalMeansUsageStatus() throws {
        let binary = try #require(builtBinary())
        let r = run([binary, "--seed", "1"])
        #expect(r.status == 64)
    }
}
