import DLNEngine
import Foundation
import Testing
@testable import DLNTerminal

private let spawnLock = NSLock()

/// Runs a program to completion; returns its status and standard output. posix_spawn rather
/// than Foundation's Process, whose waitUntilExit can hang inside the test runner.
@discardableResult
func run(_ arguments: [String], environment: [String: String] = [:]) -> (status: Int32, output: String) {
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    var fds: [Int32] = [0, 0]
    // Close-on-exec: tests run in parallel, and a program another test spawns meanwhile must not
    // inherit this pipe. A tmux server (which daemonizes and lives on) holding another test's
    // pipe open kept that test's read from ever seeing end of file: the ensemble and compared
    // ensemble end-to-end tests, run together, each waited for the other's tmux server, forever.
    // (Glibc's pipe2 is not visible to Swift: pipe, then FD_CLOEXEC, under a lock that every
    // spawn here takes, so no other run() forks between the two.)
    spawnLock.lock()
    guard pipe(&fds) == 0 else { spawnLock.unlock(); return (127, "") }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addclose(&actions, fds[1])
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
    spawnLock.unlock()
    close(fds[1])
    guard spawned == 0 else { close(fds[0]); return (127, "") }
    var data = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fds[0], &chunk, chunk.count)
        if n > 0 { data += chunk[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
    }
    close(fds[0])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exited = (status & 0x7f) == 0
    return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), String(decoding: data, as: UTF8.self))
}

/// The dlntui binary of this build: beside the test bundle in the build folder (what
/// `swift build --show-bin-path` prints).
func builtBinary() -> String? {
    var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
    if let real = realpath("/proc/self/exe", nil) {
        dir = URL(fileURLWithPath: String(cString: real))
        free(real)
    }
    for _ in 0..<4 {
        dir.deleteLastPathComponent()
        let candidate = dir.appendingPathComponent("dlntui").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// A tmux server of its own, driven like a user would.
struct Tmux {
    var socket = "dlntui-e2e-\(getpid())"

    func callAsFunction(_ args: String...) -> (status: Int32, output: String) {
        run(["tmux", "-L", socket] + args, environment: ["LANG": "C.UTF-8"])
    }

    func pane() -> String { self("capture-pane", "-p", "-t", "e2e").output }

    /// Polls the pane until `condition` holds (at most `seconds`); returns the last capture.
    /// The capture that first satisfies the condition is often taken while a frame is still being
    /// written (its upper rows new, the message row at the bottom not yet): under load a test then
    /// saw a panel after an edit but the message of the frame before. So once the condition holds,
    /// the pane is captured again a moment later, and that whole frame is returned if it still holds.
    func wait(_ seconds: Double = 6, until condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var text = pane()
        while !condition(text) && Date() < deadline {
            usleep(100_000)
            text = pane()
        }
        guard condition(text) else { return text }
        usleep(200_000)
        let settled = pane()
        return condition(settled) ? settled : text
    }

    func keys(_ k: String) { _ = self("send-keys", "-t", "e2e", k) }

    /// Presses q and expects what `start` recorded in `dir`: exit status 0, and `stty -g` the same
    /// after as before (waiting at most `seconds` for the shell to write `after`).
    func quitAndExpectRestored(_ dir: String, seconds: Double = 5, sourceLocation: SourceLocation = #_sourceLocation) {
        keys("q")
        let deadline = Date().addingTimeInterval(seconds)
        while !FileManager.default.fileExists(atPath: dir + "/after") && Date() < deadline { usleep(100_000) }
        usleep(100_000)
        let status = try? String(contentsOfFile: dir + "/status", encoding: .utf8)
        #expect(status?.trimmingCharacters(in: .whitespacesAndNewlines) == "0", sourceLocation: sourceLocation)
        let before = try? String(contentsOfFile: dir + "/before", encoding: .utf8)
        let after = try? String(contentsOfFile: dir + "/after", encoding: .utf8)
        #expect(before != nil && before == after, "stty -g differs before and after", sourceLocation: sourceLocation)
    }

    /// Starts `command` from `dir` in a new session "e2e" of `width` x `height`, the tty's settings
    /// saved to `before` and `after` around it and its exit status to `status`; false if tmux refused.
    func start(_ command: String, in dir: String, width: Int = 160, height: Int = 50) -> Bool {
        let script = "cd '\(dir)' && stty -g > before && \(command); echo $? > status; stty -g > after"
        return self("new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)",
                    "-e", "LANG=C.UTF-8", "-e", "SWIFT_BACKTRACE=interactive=no", "-e", "NO_COLOR=", "sh", "-c", script).status == 0
    }

    /// Ends whatever still runs in the pane (by process id), then the server.
    func cleanUp() {
        let shell = self("list-panes", "-t", "e2e", "-F", "#{pane_pid}").output.trimmingCharacters(in: .whitespacesAndNewlines)
        if let pid = Int32(shell) {
            for child in children(of: pid) { kill(child, SIGKILL) }
            kill(pid, SIGKILL)
        }
        _ = self("kill-server")
    }

    private func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent ? pid : nil
        }
    }
}

/// The value beside a name in the parameter panel ("│beta     1e6   │" gives "1e6").
func panelValue(_ pane: String, _ name: String) -> String? {
    for line in pane.split(separator: "\n") {
        guard let r = line.range(of: "│\(name) ") else { continue }
        let rest = line[r.upperBound...].drop { $0 == " " }
        return String(rest.prefix { $0 != "│" }).trimmingCharacters(in: .whitespaces)
    }
    return nil
}

@Suite(.serialized) struct EndToEndTests {
    @Test(.timeLimit(.minutes(1))) func liveInterfaceInTmux() throws {
        guard run(["tmux", "-V"]).status == 0 else {
            Issue.record("EndToEndTests.liveInterfaceInTmux needs tmux, which is not installed (make deps installs it: apt-get install tmux)")
            return
        }
        let binary = try #require(builtBinary(), "no dlntui binary beside the tests: run `swift build` first")
        let dir = NSTemporaryDirectory() + "dlntui-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let tmux = Tmux()
        defer { tmux.cleanUp() }
        // --integrator euler: the keys walked below start from a fixed step (the default preset steps
        // with dopri5, where - and + change rtol; PresetAccuracyTests and HorizonTests cover it).
        try #require(tmux.start("'\(binary)' --seed 1 --integrator euler", in: dir, width: 120, height: 40))

        // The four kinds of chart, braille dots and the parameter panel, within a few seconds.
        var pane = tmux.wait { $0.contains("rank") && $0.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } }
        for title in ["singular values", "energy", "entropy", "rank", "parameters"] {
            #expect(pane.contains(title), "no \(title) in\n\(pane)")
        }
        #expect(pane.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "no braille in\n\(pane)")
        // The default preset starts at beta = inf, kappa = 0; each key changes the value shown
        // to what the ladders give.
        let p = Preset.named(Preset.defaultName)!.parameters
        func shown(_ x: Double) -> String { NumberText.compact(x, digits: 4) }
        #expect(p.beta == .infinity && p.kappa == 0)
        #expect(panelValue(pane, "beta") == "inf")
        #expect(panelValue(pane, "kappa") == "0")
        #expect(panelValue(pane, "d, N") == "\(p.size), \(p.depth)")
        #expect(panelValue(pane, "method") == "euler, dt " + shown(p.dt))
        let steps: [(key: String, name: String, value: String)] = [
            // The integrator key, through the worker: the panel names the scheme now stepping.
            ("i", "method", "heun, dt " + shown(p.dt)),
            ("b", "beta", shown(Ladders.halveBeta(p.beta))),
            ("K", "kappa", shown(Ladders.doubleKappa(p.kappa))),
            ("N", "d, N", "\(p.size), \(p.depth.factors! + 1)"),
            // b made the upstairs flow noisy: Euler-Maruyama steps it, heun waits for beta = inf.
            ("+", "method", "euler, dt " + shown(Ladders.doubleDt(p.dt)) + " (noise)"),
        ]
        for step in steps {
            tmux.keys(step.key)
            pane = tmux.wait { panelValue($0, step.name) == step.value }
            #expect(panelValue(pane, step.name) == step.value, "after \(step.key)")
        }
        #expect(panelValue(pane, "beta") == "1e6" && panelValue(pane, "kappa") == "1e-3")

        // Help, then any key closes it.
        tmux.keys("?")
        pane = tmux.wait { $0.contains("any key closes") }
        #expect(pane.contains("any key closes") && pane.contains("one step while paused"))
        tmux.keys("x")
        pane = tmux.wait { !$0.contains("any key closes") }
        #expect(!pane.contains("any key closes"))

        // A snapshot lands in the current folder under its final names.
        tmux.keys("s")
        pane = tmux.wait { $0.contains("saved dlntui-") }
        #expect(pane.contains("saved dlntui-"))
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        #expect(files.contains { $0.hasSuffix(".csv") } && files.contains { $0.hasSuffix(".csv.json") } && files.contains { $0.hasSuffix(".txt") })
        // The dashboard's charts as SVG: the figure `dlntui plot` makes of the snapshot's rows.
        if let svg = files.first(where: { $0.hasSuffix(".svg") }), let csv = files.first(where: { $0.hasSuffix(".csv") }) {
            let text = (try? String(contentsOfFile: dir + "/" + svg, encoding: .utf8)) ?? ""
            #expect(text.contains("<svg ") && text.contains("singular values σ_k(t)") && text.contains("energy E(t)"))
            #expect(text.contains("<desc>\(csv): "), "the caption names the snapshot's rows")
        } else {
            Issue.record("the snapshot wrote no SVG: \(files)")
        }
        #expect(!files.contains { $0.contains(".tmp") })

        // Too small, then back.
        _ = tmux("resize-window", "-t", "e2e", "-x", "60", "-y", "20")
        pane = tmux.wait { $0.contains("terminal too small") }
        #expect(pane.contains("terminal too small: 60 x 20, need 80 x 24"))
        _ = tmux("resize-window", "-t", "e2e", "-x", "120", "-y", "40")
        pane = tmux.wait { $0.contains("singular values") && $0.contains("rank") }
        #expect(pane.contains("singular values") && !pane.contains("terminal too small"))

        // q exits 0 and leaves the tty as it found it.
        tmux.quitAndExpectRestored(dir)
    }
}

/// Rows of a CSV by step.
func csvRows(_ path: String) -> [Int: String] {
    var out: [Int: String] = [:]
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    for line in text.split(separator: "\n").dropFirst() {
        if let step = Int(line.prefix { $0 != "," }) { out[step] = String(line) }
    }
    return out
}

@Suite(.serialized) struct SnapshotReplayEndToEndTests {
    /// Live edits of beta, kappa, N and dt in the real interface, a snapshot, then `run --from`
    /// on its sidecar: the rerun's rows are the snapshot's, bit for bit, at every step both have;
    /// the same start without the edits parts from them after the first edit.
    @Test(.timeLimit(.minutes(2))) func snapshotRerunsBitForBit() throws {
        guard run(["tmux", "-V"]).status == 0 else {
            Issue.record("SnapshotReplayEndToEndTests needs tmux, which is not installed (make deps installs it: apt-get install tmux)")
            return
        }
        let binary = try #require(builtBinary(), "no dlntui binary beside the tests: run `swift build` first")
        let dir = NSTemporaryDirectory() + "dlntui-replay-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var tmux = Tmux()
        tmux.socket += "-replay"
        defer { tmux.cleanUp() }
        let started = tmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8",
                           "-e", "SWIFT_BACKTRACE=interactive=no", "sh", "-c", "cd '\(dir)' && '\(binary)' --seed 3 --integrator euler")
        try #require(started.status == 0)
        var pane = tmux.wait { panelValue($0, "beta") == "inf" }
        let p = Preset.named(Preset.defaultName)!.parameters
        func shown(_ x: Double) -> String { NumberText.compact(x, digits: 4) }
        let steps: [(key: String, name: String, value: String)] = [
            ("b", "beta", shown(Ladders.halveBeta(p.beta))),
            ("K", "kappa", shown(Ladders.doubleKappa(p.kappa))),
            ("b", "beta", shown(Ladders.halveBeta(Ladders.halveBeta(p.beta)))),
            ("N", "d, N", "\(p.size), \(p.depth.factors! + 1)"),
            ("-", "method", "euler, dt " + shown(Ladders.halveDt(p.dt))),
        ]
        for step in steps {
            // Some steps between edits, so that they land at different steps.
            usleep(300_000)
            tmux.keys(step.key)
            pane = tmux.wait { panelValue($0, step.name) == step.value }
            #expect(panelValue(pane, step.name) == step.value, "after \(step.key)")
        }
        usleep(300_000)
        tmux.keys("s")
        pane = tmux.wait { $0.contains("saved dlntui-") }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let json = try #require(files.first { $0.hasSuffix(".csv.json") })
        let base = String(json.dropLast(".csv.json".count))
        #expect(files.contains(base + ".csv") && files.contains(base + ".txt"), "\(files)")
        tmux.keys("q")

        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + json))) as! [String: Any]
        let edits = try #require(sidecar["edits"] as? [[String: Any]])
        #expect(edits.map { $0["parameter"] as? String } == ["beta", "kappa", "beta", "N", "dt"])
        #expect(edits.allSatisfy { $0["step"] is Int } && edits[0]["value"] as? Int == 1_000_000)
        let start = try #require(sidecar["start"] as? [String: Any])
        #expect(start["beta"] as? String == "inf" && start["dt"] as? Double == p.dt && start["N"] as? Int == p.depth.factors)
        let saved = try #require(sidecar["saved_at_step"] as? Int)
        #expect(base.hasSuffix("-step\(saved)"))

        let rerun = run([binary, "run", "--from", dir + "/" + json, "--every", "1", "--output", dir + "/rerun.csv"])
        #expect(rerun.status == 0)
        let snapshot = csvRows(dir + "/" + base + ".csv")
        let replayed = csvRows(dir + "/rerun.csv")
        #expect(snapshot.count > 10 && snapshot.keys.max() == saved && replayed.keys.max() == saved)
        for step in snapshot.keys.sorted() { #expect(replayed[step] == snapshot[step], "step \(step)") }

        var bare = sidecar
        bare["edits"] = []
        try JSONSerialization.data(withJSONObject: bare).write(to: URL(fileURLWithPath: dir + "/bare.json"))
        #expect(run([binary, "run", "--from", dir + "/bare.json", "--every", "1", "--output", dir + "/bare.csv"]).status == 0)
        let unedited = csvRows(dir + "/bare.csv")
        let first = try #require(edits.first?["step"] as? Int)
        let after = snapshot.keys.filter { $0 > first }
        #expect(!after.isEmpty)
        for step in snapshot.keys.sorted() where step <= first { #expect(unedited[step] == snapshot[step], "step \(step)") }
        for step in after { #expect(unedited[step] != snapshot[step], "step \(step)") }
    }
}
