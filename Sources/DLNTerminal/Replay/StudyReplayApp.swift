import DLNEngine
import DLNFigures
import Foundation

/// `dlntui replay DIR`: a finished study's summary and quantile charts in the terminal, its
/// quantile bands played over the study's saved times with the replay's keys.
enum StudyReplayApp {
    /// 0 on `q`, 128 + a signal's number, 2 for a folder that is not a finished study (file, line
    /// and column), 64 when not on a terminal, 1 when the terminal cannot be driven.
    static func run(dir: String, theme: String?, fps: Int) -> Int32 {
        let study: RecordedStudy
        do { study = try RecordedStudy(dir: dir) } catch {
            FileHandle.standardError.write(Data("dlntui: \(error.description)\n".utf8))
            return 2
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            FileHandle.standardError.write(Data("dlntui: not a terminal: replay draws the study's charts; dlntui plot DIR draws them as a figure\n".utf8))
            return 64
        }
        setlocale(LC_ALL, "")
        let environment = ProcessInfo.processInfo.environment
        return FullScreen.run(environment: environment) { screen in
            StudyReplaySession(study: study, glyphs: InteractiveApp.glyphs(environment: environment), theme: theme, fps: fps).loop(screen)
        }
    }
}

/// The study replay's interface thread: keys move the player and the view, time advances it.
final class StudyReplaySession {
    private let fps: Int
    private var input: StudyScreenInput
    private var serial = 0

    init(study: RecordedStudy, glyphs: Glyphs, theme selection: String?, fps: Int) {
        self.fps = max(1, min(240, fps))
        input = StudyScreenInput(study: study, theme: ThemeCatalogue.load(selection, available: ThemeCatalogue.available()).0, glyphs: glyphs)
        for w in study.figure.warnings { say(w, warning: true) }
        say("replay of study \(study.figure.name): \(study.times.count) saved times; read-only; ? lists the keys")
    }

    private func say(_ text: String, warning: Bool = false) {
        serial += 1
        input.message = Notice(serial: serial, text: text, warning: warning)
        input.messages.append(input.message!)
        if input.messages.count > Session.messagesKept { input.messages.removeFirst(input.messages.count - Session.messagesKept) }
    }

    /// Applies one key; false on quit.
    func handle(_ key: Key) -> Bool {
        if input.helpShown {
            input.helpShown = false
            if key != .character("q") { return true }
        }
        let study = input.study
        guard let action = StudyReplayKeyTable.action(for: key) else { return true }
        switch action {
        case .quit: return false
        case .help: input.helpShown = true
        case .togglePause: study.update { $0.paused.toggle() }
        case .stepOnce: study.update { $0.step() }
        case .slower: study.update { $0.slower() }; say("speed \(Int(study.player.rowsPerSecond)) times/s")
        case .faster: study.update { $0.faster() }; say("speed \(Int(study.player.rowsPerSecond)) times/s")
        case .seekBack: study.update { $0.seek(tenths: -1) }
        case .seekForward: study.update { $0.seek(tenths: 1) }
        case .home: study.update { $0.home() }
        case .end: study.update { $0.end() }
        case .toggleLogAxis: input.logSigma.toggle()
        case .nextHistogram:
            study.nextHistogram()
            say(study.histogramName.map { "histogram \($0)" } ?? "this study has no summary.csv: no histogram")
        case .toggleWindow: break
        case .nextTheme:
            let themes = ThemeCatalogue.available()
            let names = themes.map(\.name) + [Theme.builtIn.name]
            let index = names.firstIndex(of: input.theme.name).map { ($0 + 1) % names.count } ?? 0
            input.theme = index < themes.count ? ThemeFile.load(path: themes[index].path).0 : Theme.builtIn
            say("theme \(input.theme.name)")
        }
        return true
    }

    /// A frame of the current state (the tests render it without a terminal).
    func frame(width: Int, height: Int) -> Buffer { StudyScreen.render(input, width: width, height: height) }

    func loop(_ screen: CursesScreen) -> Int32 {
        screen.resetColors(background: input.theme.color(.mainFg), input.theme.color(.mainBg))
        let interval = 1.0 / Double(fps)
        var last = Monotonic.now()
        var shown: (position: Int, serial: Int)? = nil
        var needsRender = true
        var toldEnd = false
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
            input.study.update { $0.advance(seconds: now - last) }
            last = now
            let p = input.study.player
            if p.atEnd && !p.paused && !toldEnd { toldEnd = true; say("at the study's last saved time (Home replays)") }
            if !p.atEnd { toldEnd = false }
            if needsRender || shown?.position != p.position || shown?.serial != serial {
                screen.flush(frame(width: screen.width, height: screen.height))
                shown = (p.position, serial)
                needsRender = false
            }
        }
    }
}
