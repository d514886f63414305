import Foundation
import Testing
import ThreadSignal

/// Ctrl-Z, on the real binary under a job-control shell in tmux. The shell is an interactive dash:
/// unlike bash it leaves the tty modes alone when a job stops, so it cannot hide a dlntui that did
/// not restore them.
@Suite(.serialized) struct SuspendTests {
    /// A dash with job control in its own tmux server, in a fresh folder.
    struct DashSession {
        var tmux = Tmux()
        let dir: String

        init(_ name: String) throws {
            dir = NSTemporaryDirectory() + "dlntui-\(name)-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            tmux.socket = "dlntui-\(name)-\(getpid())"
            let started = run(["tmux", "-L", tmux.socket, "new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40",
                               "-e", "SWIFT_BACKTRACE=interactive=no", "-e", "LANG=C.UTF-8", "-e", "PS1=dash$ ", "-e", "ENV=",
                               // OpenBLAS then starts a thread of its own even if the caller's
                               // environment asked for one thread: the case the thread test needs.
                               "-e", "OPENBLAS_NUM_THREADS=2", "-e", "OMP_NUM_THREADS=2",
                               "dash", "-i", "-m"], environment: ["LANG": "C.UTF-8"])
            try #require(started.status == 0)
            _ = tmux.wait(20) { $0.contains("dash$") }
            type("cd '\(dir)'")
        }

        func type(_ line: String) {
            _ = tmux("send-keys", "-t", "e2e", "-l", line)
            _ = tmux("send-keys", "-t", "e2e", "Enter")
        }

        /// A file the shell wrote, once its last line is complete.
        func file(_ name: String, seconds: Double = 15) -> String? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let s = try? String(contentsOfFile: dir + "/" + name, encoding: .utf8), s.hasSuffix("\n") { return s }
                usleep(50_000)
            }
            return nil
        }

        /// Saves `stty -g` as it is before dlntui, starts dlntui as the shell's foreground job,
        /// waits for the dashboard, and returns the saved tty state.
        func startDlntui() throws -> String {
            type("stty -g > before")
            let before = try #require(file("before"))
            let binary = try #require(builtBinary())
            type("'\(binary)' --seed 1")
            let drawn = tmux.wait(20) { $0.contains("parameters") && $0.contains("singular values") }
            try #require(drawn.contains("parameters"), "no dashboard\n\(drawn)")
            return before
        }

        /// `fg`, then the whole dashboard must come back.
        func foregroundAndExpectRedraw(_ context: String) {
            type("fg")
            let titles = ["singular values", "energy", "entropy", "rank", "parameters"]
            // The top line comes first: under load a capture can catch the frame half sent, so
            // wait for all of it.
            let redrawn = tmux.wait(20) { pane in titles.allSatisfy { pane.contains($0) } }
            for title in titles {
                #expect(redrawn.contains(title), "\(context): no \(title) after fg\n\(redrawn)")
            }
        }

        /// `q`, then status 0 and the tty as it was before.
        func quitAndExpectRestored(before: String) {
            tmux.keys("q")
            _ = tmux.wait(20) { $0.contains("dash$") }
            type("echo $? > status; stty -g > after")
            #expect(file("status")?.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
            #expect(file("after") == before, "stty -g differs after q")
        }
    }

    /// Ctrl-Z gives the shell a sane terminal, `fg` redraws the whole dashboard, `q` restores.
    /// `clear` while suspended empties the screen, so the static panel titles come back only by a
    /// full redraw (the dashboard sends only the cells that change).
    @Test(.timeLimit(.minutes(1)))
    func suspendThenForegroundRestoresAndRedraws() throws {
        guard TerminalRobustnessTests.haveTmux else { return }
        let dash = try DashSession("tstp")
        defer { dash.tmux.cleanUp() }
        let before = try dash.startDlntui()

        dash.tmux.keys("C-z")
        // Under the full suite's load the stop can take seconds; wait for it rather than typing
        // the next command into a dlntui that has not stopped yet.
        let stopped = dash.tmux.wait(20) { $0.contains("Stopped") }
        try #require(stopped.contains("Stopped"), "no job stopped after C-z\n\(stopped)")
        dash.type("stty -g > suspended")
        #expect(dash.file("suspended") == before, "stty -g differs while suspended")
        dash.type("clear")
        let cleared = dash.tmux.wait(20) { !$0.contains("parameters") }
        #expect(!cleared.contains("parameters") && !cleared.contains("singular values"))

        // The window grows while dlntui is stopped: its SIGWINCH goes to the shell, so only a
        // look at the size on resume can draw the dashboard at 140 columns.
        _ = dash.tmux("resize-window", "-t", "e2e", "-x", "140", "-y", "44")
        dash.foregroundAndExpectRedraw("C-z")
        let wide = dash.tmux.wait(20) { pane in pane.split(separator: "\n").contains { $0.count > 125 } }
        #expect(wide.split(separator: "\n").contains { $0.count > 125 }, "still drawn at 120 columns after a resize while stopped\n\(wide)")
        dash.quitAndExpectRestored(before: before)
    }

    /// The terminal's SIGTSTP goes to the whole process, and the kernel hands it to any thread
    /// that does not block it: OpenBLAS starts its threads before main runs, so that could be one of
    /// theirs. (It was: ncurses's handler then ran there, and dlntui went on running, seen once in
    /// CI.) dlntui now shuts OpenBLAS's idle threads down at one BLAS thread (BLAS.configureThreads),
    /// so the threads taking the signal are dlntui's own; each in turn gets the signal directly,
    /// each time the job must stop, and `fg` must bring the dashboard back.
    @Test(.timeLimit(.minutes(2)))
    func suspendWhicheverThreadTheSignalReaches() throws {
        guard TerminalRobustnessTests.haveTmux else { return }
        let dash = try DashSession("tstp-thread")
        defer { dash.tmux.cleanUp() }
        let before = try dash.startDlntui()
        let pid = try #require(TerminalRobustnessTests.dlntuiPid(under: dash.tmux))

        let receivers = Self.threads(of: pid).filter { !Self.blocks($0, SIGTSTP, in: pid) }
        // At least the main thread (OpenBLAS's, started at load, are shut down by then).
        #expect(receivers.count >= 1, "threads taking SIGTSTP: \(receivers)")
        for tid in receivers {
            #expect(thread_signal_send(pid, tid, SIGTSTP) == 0)
            let deadline = Date().addingTimeInterval(20)
            while Self.state(of: pid) != "T" && Date() < deadline { usleep(20_000) }
            // Typing fg into a dashboard that did not stop would send it keys: stop here.
            try #require(Self.state(of: pid) == "T", "SIGTSTP to thread \(tid) (main is \(pid)) did not stop dlntui")
            dash.foregroundAndExpectRedraw("thread \(tid)")
        }
        dash.quitAndExpectRestored(before: before)
    }

    static func threads(of pid: Int32) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).compactMap(Int32.init).sorted()
    }

    /// Whether thread `tid` has `signal` in its blocked mask (the SigBlk line of its status).
    static func blocks(_ tid: Int32, _ signal: Int32, in pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << UInt64(signal - 1)) != 0
    }

    /// The process's state letter (R, S, T, ...).
    static func state(of pid: Int32) -> String? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("State:") }) else { return nil }
        return line.dropFirst("State:".count).trimmingCharacters(in: .whitespaces).first.map(String.init)
    }
}
