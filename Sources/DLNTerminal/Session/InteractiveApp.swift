import CNcurses
import DLNEngine
import DLNOutput
import DLNStudy
import Foundation

/// The live interface: `dlntui` without a subcommand.
public enum InteractiveApp {
    /// Runs until `q` or a quit signal; returns the process's exit status (0 on `q`, 128 + the
    /// signal's number on SIGINT/SIGTERM/SIGHUP, 64 when not on a terminal or on one without cursor
    /// addressing (TERM=dumb) or on a bad parameter, 2 when the problem's files cannot be read or
    /// decomposed (`ExitStatus.of`), 1 when the terminal cannot be driven (no terminfo entry)).
    public static func run(parameters: Parameters, theme: String?, fps: Int, ensemble: EnsembleOptions = EnsembleOptions()) -> Int32 {
        run(comparison: [parameters], theme: theme, fps: fps, ensemble: ensemble)
    }

    /// The same for 1 to 4 runs side by side (`--compare`): one simulation per configuration.
    public static func run(comparison: [Parameters], theme: String?, fps: Int, ensemble: EnsembleOptions = EnsembleOptions()) -> Int32 {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            FileHandle.standardError.write(Data("dlntui: not a terminal: use dlntui run for headless runs (see dlntui run --help)\n".utf8))
            return 64
        }
        setlocale(LC_ALL, "")
        AllocatorTuning.keepFreedMemory()
        let environment = ProcessInfo.processInfo.environment
        var simulations: [Simulation] = []
        do {
            for parameters in comparison { simulations.append(try Simulation(parameters: parameters)) }
        } catch {
            let which = comparison.count > 1 ? " (run \(simulations.count + 1), \(Comparison.labels(comparison)[simulations.count]))" : ""
            FileHandle.standardError.write(Data("dlntui: \(error)\(which)\n".utf8))
            return ExitStatus.of(error)
        }
        let session = Session(simulations: simulations, glyphs: glyphs(environment: environment), theme: theme, fps: fps,
                              ensemble: ensemble)
        guard TerminalGuard.save() else {
            FileHandle.standardError.write(Data("dlntui: cannot read the terminal's settings: use dlntui run\n".utf8))
            return 64
        }
        TerminalGuard.installSignalHandlers()
        let screen: CursesScreen
        switch CursesScreen.start(environment: environment) {
        case .success(let s):
            screen = s
        case .failure(let failure):
            TerminalGuard.restore()
            let term = environment["TERM"] ?? ""
            let name = term.isEmpty ? "TERM unset" : "TERM=\(term)"
            if failure == .noCursorAddressing {
                // Like no terminal at all: a dashboard needs cursor addressing, which TERM=dumb
                // (Emacs shells, some CI logs) says is not there; escapes would print as garbage.
                FileHandle.standardError.write(Data(
                    "dlntui: \(name) cannot move the cursor, so there is no dashboard to draw: set TERM to the terminal's type (e.g. xterm-256color), or use dlntui run for headless runs\n".utf8))
                return 64
            }
            FileHandle.standardError.write(Data("dlntui: cannot drive this terminal (\(name)); try TERM=xterm, or dlntui run\n".utf8))
            return 1
        }
        let signal = session.loop(screen)
        screen.end()
        TerminalGuard.restore()
        return signal == 0 ? 0 : 128 + signal
    }

    /// Braille and box drawing in a UTF-8 locale, ASCII otherwise; DLNTUI_MARKER=block|ascii
    /// chooses another chart marker (for fonts without braille).
    static func glyphs(environment: [String: String]) -> Glyphs {
        let utf8 = String(cString: dln_codeset()).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        let g = utf8 ? Glyphs.unicode : Glyphs.ascii
        if let m = environment["DLNTUI_MARKER"].flatMap(Marker.init(rawValue:)) { return g.with(marker: m) }
        return g
    }
}

/// The interface's thread: keys, themes, messages and frames. Owns the screen; the worker owns
/// the simulation.
final class Session {
    private let worker: Worker
    /// The ensemble view's members (`e`, `--members`): started the first time the view is shown.
    private var ensembleWorker: EnsembleWorker?
    private let ensembleOptions: EnsembleOptions
    /// The configurations the session started with (one, or --compare's).
    private let startParameters: [Parameters]
    private var ensembleFrame: EnsembleWorkerFrame?
    private var lastEnsembleNotice = 0
    private var lastEnsembleGeneration = -1
    private let glyphs: Glyphs
    private let fps: Int
    private var view = ViewState()
    private var theme: Theme
    private var themes: [ThemeCatalogue.Entry]
    private var message: Notice?
    /// The last messages in full, oldest first, for the help overlay.
    private var messages: [Notice] = []
    static let messagesKept = 8
    private var uiSerial = 0
    private var lastWorkerNotice = 0
    private var lastGeneration = -1
    private var frame: WorkerFrame?
    /// The last frame sent, for the snapshot's screen copy.
    private var lastBuffer: Buffer?

    init(simulations: [Simulation], glyphs: Glyphs, theme selection: String?, fps: Int, ensemble: EnsembleOptions = EnsembleOptions()) {
        let simulation = simulations[0]
        worker = Worker(simulations: simulations, fps: fps)
        ensembleOptions = ensemble
        startParameters = simulations.map(\.parameters)
        view.ensemble = ensemble.members != nil
        self.glyphs = glyphs
        self.fps = max(1, min(240, fps))
        themes = ThemeCatalogue.available()
        let (t, warnings) = ThemeCatalogue.load(selection, available: themes)
        theme = t
        if let w = warnings.first {
            // The rest are kept whole for the help overlay (`?`).
            for extra in warnings.dropFirst().reversed() { say("theme: \(extra)", warning: true) }
            say("theme: \(w)" + (warnings.count > 1 ? " (+\(warnings.count - 1) more: ? shows them)" : ""), warning: true)
        } else {
            say("\(simulation.parameters.preset.map { "preset \($0)" } ?? "custom run"): running; ? lists the keys")
        }
    }

    private func say(_ text: String, warning: Bool = false) {
        uiSerial += 1
        // Above any worker serial, so the newest message wins whichever side it came from.
        message = Notice(serial: uiSerial, text: text, warning: warning)
        messages.append(message!)
        if messages.count > Self.messagesKept { messages.removeFirst(messages.count - Self.messagesKept) }
    }

    /// Returns the quit signal's number, or 0 after `q`.
    func loop(_ screen: CursesScreen) -> Int32 {
        worker.start()
        defer { worker.stop(); ensembleWorker?.stop() }
        if view.ensemble { startEnsemble(startParameters) }
        screen.resetColors(background: theme.color(.mainFg), theme.color(.mainBg))
        let interval = 1.0 / Double(fps)
        var lastRender = -Double.infinity
        var needsRender = true
        while true {
            if TerminalGuard.pendingSignal != 0 { return TerminalGuard.pendingSignal }
            if TerminalGuard.takeSuspendRequest() {
                screen.suspend()
                needsRender = true
                lastRender = -Double.infinity
                // A SIGHUP that came with the SIGCONT (the shell died) is seen before drawing.
                continue
            }
            let wait = needsRender ? max(0, lastRender + interval - Monotonic.now()) : interval
            var key = screen.readKey(timeoutMilliseconds: Int((wait * 1000).rounded(.up)))
            var handled = 0
            while let k = key, handled < 64 {
                handled += 1
                needsRender = true
                if k == .resize {
                    screen.invalidate()
                } else {
                    let out = KeyMap.handle(k, view: view, tooSmall: Dashboard.isTooSmall(width: screen.width, height: screen.height))
                    if out.quit { return 0 }
                    let wasEnsemble = view.ensemble
                    view = out.view
                    if let m = out.message { say(m) }
                    if view.ensemble && !wasEnsemble && ensembleWorker == nil {
                        // The configurations in force: a single-run comparison becomes compared ensembles.
                        startEnsemble(frame?.runParameters ?? startParameters)
                    }
                    send(out.commands)
                    if out.nextTheme { nextTheme(screen) }
                    if out.saveSnapshot { saveSnapshot() }
                }
                key = screen.readKey(timeoutMilliseconds: 0)
            }
            if let f = (worker as FrameSource).latestFrame(), f.generation != lastGeneration {
                lastGeneration = f.generation
                frame = f
                if let n = f.notice, n.serial != lastWorkerNotice {
                    lastWorkerNotice = n.serial
                    if Self.reachesMessageRow(fromEnsemble: false, ensembleShown: view.ensemble && ensembleWorker != nil) {
                        say(n.text, warning: n.warning)
                    }
                }
                needsRender = true
            }
            if let e = ensembleWorker?.output.read(), e.generation != lastEnsembleGeneration {
                lastEnsembleGeneration = e.generation
                ensembleFrame = e
                if let n = e.notice, n.serial != lastEnsembleNotice {
                    lastEnsembleNotice = n.serial
                    if Self.reachesMessageRow(fromEnsemble: true, ensembleShown: view.ensemble) { say(n.text, warning: n.warning) }
                }
                needsRender = true
            }
            let now = Monotonic.now()
            if needsRender, let frame, now - lastRender >= interval * 0.9 {
                var input = DashboardInput(frame: frame, view: view, theme: theme, glyphs: glyphs,
                                           colorful: screen.depth.isColor, message: message, messages: messages)
                input.ensemble = ensembleFrame
                let buffer = Dashboard.render(input, width: screen.width, height: screen.height)
                screen.flush(buffer)
                lastBuffer = buffer
                lastRender = now
                needsRender = false
            }
        }
    }

    /// Whether a worker's notice reaches the message row: only the shown view's. Both workers
    /// run, and a shared key reaches both; the hidden single run's answers (its restart, or
    /// "reached step ..., the run's horizon" while --until-ci stopped the ensemble) must not
    /// overwrite the ensemble's, in whichever order they arrive, nor the other way round.
    static func reachesMessageRow(fromEnsemble: Bool, ensembleShown: Bool) -> Bool { fromEnsemble == ensembleShown }

    private func nextTheme(_ screen: CursesScreen) {
        themes = ThemeCatalogue.available()
        let names = themes.map(\.name) + [Theme.builtIn.name]
        let index = names.firstIndex(of: theme.name).map { ($0 + 1) % names.count } ?? 0
        let (t, warnings) = index < themes.count ? ThemeFile.load(path: themes[index].path) : (Theme.builtIn, [])
        theme = t
        screen.resetColors(background: theme.color(.mainFg), theme.color(.mainBg))
        if let w = warnings.first {
            for extra in warnings.dropFirst().reversed() { say("theme \(t.name): \(extra)", warning: true) }
            say("theme \(t.name): \(w)" + (warnings.count > 1 ? " (+\(warnings.count - 1) more: ? shows them)" : ""), warning: true)
        } else {
            say("theme \(t.name)" + (t.path.map { " (\($0))" } ?? " (compiled in)") + "; colours: \(screen.depth.rawValue)")
        }
    }

    /// The ensemble of the configuration in force: the point's parameters with every member's seed;
    /// compared (2 to 4 configurations), one ensemble each, member i of every one with member i's
    /// seed, so its start and its noise are the same in all (paired).
    private func startEnsemble(_ configurations: [Parameters]) {
        let points = configurations.map { p -> Parameters in
            var q = p
            q.member = nil
            return q
        }
        do {
            let w = try EnsembleWorker.make(points, options: ensembleOptions, fps: fps)
            ensembleWorker = w
            w.start()
            let m = w.ensemble.members
            if points.count > 1 {
                say("\(points.count) ensembles of \(m) paired members (\(Comparison.labels(points).joined(separator: " | "))) on \(ensembleOptions.jobs) threads; e: single-run comparison, h: next histogram")
            } else {
                say("ensemble of \(m) members on \(ensembleOptions.jobs) threads; e: single run, h: next histogram")
            }
        } catch {
            view.ensemble = false
            let which = points.count > 1 ? " (configurations \(Comparison.labels(points).joined(separator: " | ")))" : ""
            say("no ensemble\(which): \(error)", warning: true)
        }
    }

    /// Edits, restarts and presets go to both views (one configuration); pause, step and speed to
    /// the one shown.
    private func send(_ commands: [Command]) {
        let own = commands.filter { [.togglePause, .stepOnce, .slower, .faster].contains($0) }
        let shared = commands.filter { !own.contains($0) }
        let ensembleShown = view.ensemble && ensembleWorker != nil
        worker.send(shared + (ensembleShown ? [] : own))
        ensembleWorker?.send(shared.filter { $0 != .toggleVersus && $0 != .addRun } + (ensembleShown ? own : []))
    }

    private func saveSnapshot() {
        if view.ensemble, let ensembleWorker {
            guard let all = ensembleWorker.snapshot(), let first = all.first else { say("snapshot not saved: the ensemble did not answer", warning: true); return }
            do {
                let f = first.frame
                let statistic = EnsembleStatistic.chosen(view.statistic, size: f.size, groundTruth: EnsembleCharts.hasGroundTruth(f))
                let folder = FileManager.default.currentDirectoryPath
                if all.count > 1 {
                    let charts = EnsembleComparisonCharts.all(all.map(\.frame), logSigma: view.logSigma, statistic: statistic, sigma: glyphs.sigma)
                    let dir = try EnsembleSnapshot.save(compared: all, screen: lastBuffer?.text ?? "", folder: folder, charts: charts)
                    let subs = all.enumerated().map { EnsembleSnapshot.subfolder($0.offset, $0.element.label ?? "") }
                    say("saved \((dir as NSString).lastPathComponent)/: screen.txt, charts.svg, and summary.csv, quantiles.csv, ensemble.json in \(subs.map { $0 + "/" }.joined(separator: ", "))")
                } else {
                    let charts = EnsembleCharts.all(f, logSigma: view.logSigma, statistic: statistic, sigma: glyphs.sigma)
                    let dir = try EnsembleSnapshot.save(first, screen: lastBuffer?.text ?? "", folder: folder, charts: charts)
                    say("saved \((dir as NSString).lastPathComponent)/: summary.csv, quantiles.csv, ensemble.json, screen.txt, charts.svg")
                }
            } catch {
                say("snapshot not saved: \(error)", warning: true)
            }
            return
        }
        guard let frame else { return }
        do {
            let paths = try SnapshotWriter.save(frame, screen: lastBuffer?.text ?? "", folder: FileManager.default.currentDirectoryPath,
                                               logSigma: view.logSigma)
            say("saved " + paths.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))
        } catch {
            say("snapshot not saved: \(error)", warning: true)
        }
    }
}
