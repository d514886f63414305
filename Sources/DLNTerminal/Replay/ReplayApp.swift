import DLNEngine
import DLNFigures
import DLNOutput
import Foundation

/// `dlntui replay ROWS`: the live interface's dashboard on a recorded run. The session loop is
/// the live one's shape (keys, then the source's latest frame, then a render at the frame rate);
/// its source is a `RecordedRun`, which reads and never integrates.
public enum ReplayApp {
    /// 0 on `q`, 128 + the signal's number, 2 for a file that is not dlntui rows (named with line
    /// and column), 64 when not on a terminal, 1 when the terminal cannot be driven.
    public static func run(path: String, follow: Bool, theme: String?, fps: Int) -> Int32 {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return StudyReplayApp.run(dir: path, theme: theme, fps: fps)
        }
        let run: RecordedRun
        // --follow on a job that has written no row yet (a header, or nothing): wait for one.
        var told = false
        while follow, noRowYet(path) {
            if !told { FileHandle.standardError.write(Data("dlntui: \(path): no complete row yet; waiting (Ctrl-C stops)\n".utf8)) }
            told = true
            usleep(250_000)
        }
        do { run = try RecordedRun(path: path) } catch {
            FileHandle.standardError.write(Data("dlntui: \(error.description)\n".utf8))
            return 2
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            FileHandle.standardError.write(Data("dlntui: not a terminal: replay draws the dashboard; dlntui plot draws the rows as a figure\n".utf8))
            return 64
        }
        setlocale(LC_ALL, "")
        let environment = ProcessInfo.processInfo.environment
        return FullScreen.run(environment: environment) { screen in
            ReplaySession(run: run, follow: follow, glyphs: InteractiveApp.glyphs(environment: environment), theme: theme, fps: fps).loop(screen)
        }
    }

    /// A readable file of no complete row yet (not one that is not dlntui rows: that is reported).
    static func noRowYet(_ path: String) -> Bool {
        do { return try RowTable.readComplete(path: path) == nil } catch { return false }
    }
}

/// The replay's interface thread: keys move the player, time advances it, frames come from the run.
final class ReplaySession {
    private let run: RecordedRun
    private let follow: Bool
    private let glyphs: Glyphs
    private let fps: Int
    private var view = ViewState()
    private var theme: Theme
    private var message: Notice?
    private var messages: [Notice] = []
    private var serial = 0
    private var lastStep: Int
    /// A message came since the last frame drawn.
    private var dirty = true

    init(run: RecordedRun, follow: Bool, glyphs: Glyphs, theme selection: String?, fps: Int) {
        self.run = run
        self.follow = follow
        self.glyphs = glyphs
        self.fps = max(1, min(240, fps))
        theme = ThemeCatalogue.load(selection, available: ThemeCatalogue.available()).0
        lastStep = (run.current?.step ?? 0) - 1
        for w in run.warnings { say(w, warning: true) }
        say("replay of \((run.path as NSString).lastPathComponent): \(run.rows.count) rows" + (follow ? ", following" : "")
            + "; read-only; ? lists the keys")
    }

    private func say(_ text: String, warning: Bool = false) {
        serial += 1
        message = Notice(serial: serial, text: text, warning: warning)
        messages.append(message!)
        dirty = true
        if messages.count > Session.messagesKept { messages.removeFirst(messages.count - Session.messagesKept) }
    }

    /// Applies one key; returns false on quit.
    private func handle(_ key: Key) -> Bool {
        if view.helpShown {
            view.helpShown = false
            if key != .character("q") { return true }
        }
        guard let action = ReplayKeyTable.action(for: key) else { return true }
        switch action {
        case .quit: return false
        case .help: view.helpShown = true
        case .togglePause: run.update { $0.paused.toggle() }
        case .stepOnce: run.update { $0.step() }
        case .slower: run.update { $0.slower() }; say("speed \(Int(run.player.rowsPerSecond)) rows/s")
        case .faster: run.update { $0.faster() }; say("speed \(Int(run.player.rowsPerSecond)) rows/s")
        case .seekBack: run.update { $0.seek(tenths: -1) }
        case .seekForward: run.update { $0.seek(tenths: 1) }
        case .home: run.update { $0.home() }
        case .end: run.update { $0.end() }
        case .nextHistogram: break
        case .toggleLogAxis: view.logSigma.toggle()
        case .toggleWindow: view.recentWindow.toggle()
        case .nextTheme:
            let themes = ThemeCatalogue.available()
            let names = themes.map(\.name) + [Theme.builtIn.name]
            let index = names.firstIndex(of: theme.name).map { ($0 + 1) % names.count } ?? 0
            theme = index < themes.count ? ThemeFile.load(path: themes[index].path).0 : Theme.builtIn
            say("theme \(theme.name)")
        }
        return true
    }

    /// The edits and rollbacks the replay just passed, on the message line; a seek back forgets them.
    private func reportEdits() {
        guard let now = run.current?.step else { return }
        if now > lastStep {
            for e in run.edits(after: lastStep, through: now) {
                let what = e.parameter == LiveEdit.rollback ? "rollback" : e.parameter == LiveEdit.refused ? "refused step" : "edit \(e.parameter) = \(e.value)"
                say("step \(e.step): \(what)" + (e.cause.map { " (forced by \($0))" } ?? ""))
            }
        }
        lastStep = now
    }

    func loop(_ screen: CursesScreen) -> Int32 {
        screen.resetColors(background: theme.color(.mainFg), theme.color(.mainBg))
        let interval = 1.0 / Double(fps)
        var last = Monotonic.now()
        var lastPoll = last
        var lastGeneration = -1
        var needsRender = true
        var reachedEnd = false
        while true {
            if TerminalGuard.pendingSignal != 0 { return TerminalGuard.pendingSignal }
            if TerminalGuard.takeSuspendRequest() { screen.suspend(); needsRender = true; continue }
            var key = screen.readKey(timeoutMilliseconds: Int((interval * 1000).rounded(.up)))
            var handled = 0
            while let k = key, handled < 64 {
                handled += 1
                needsRender = true
                if k == .resize { screen.invalidate() } else if !handle(k) { return 0 }
                key = screen.readKey(timeoutMilliseconds: 0)
            }
            let now = Monotonic.now()
            run.update { $0.advance(seconds: now - last) }
            last = now
            if follow, now - lastPoll >= 0.25 {
                lastPoll = now
                do {
                    if try run.reload() > 0 { reachedEnd = false }
                } catch {
                    say("\(error.description)", warning: true)
                }
            }
            reportEdits()
            if run.player.atEnd && !run.player.paused && !reachedEnd {
                reachedEnd = true
                say(follow ? "at the last row: waiting for more (q quits)" : "end of the recorded rows (Home replays)")
            } else if !run.player.atEnd {
                reachedEnd = false
            }
            guard var frame = run.latestFrame() else { continue }
            if frame.generation != lastGeneration || needsRender || dirty {
                dirty = false
                lastGeneration = frame.generation
                frame.notice = nil
                var input = DashboardInput(frame: frame, view: view, theme: theme, glyphs: glyphs,
                                           colorful: screen.depth.isColor, message: message, messages: messages)
                input.keys = ReplayKeyTable.bindings
                screen.flush(Dashboard.render(input, width: screen.width, height: screen.height))
                needsRender = false
            }
        }
    }
}
