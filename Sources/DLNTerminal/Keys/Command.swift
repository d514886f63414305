import DLNEngine

/// What a key asks of the simulation; the worker applies commands between steps.
public enum Command: Equatable, Sendable {
    case togglePause
    case stepOnce
    case halveBeta, doubleBeta
    case halveKappa, doubleKappa
    case depthDown, depthUp
    case dtDown, dtUp
    case slower, faster
    case nextFlow
    /// euler -> heun -> rk4 -> dopri5 -> euler; a flow with noise keeps euler.
    case nextIntegrator
    /// Plain time or depth-normalised time (the generator divided by N); N = inf is always the latter.
    case toggleTimeScale
    /// rle-upstairs beside langevin from the same start, or back to one run.
    case toggleVersus
    /// Adds the configuration in force as a new run beside the others (up to 4), all restarted.
    case addRun
    case nextPreset
    case restart(newSeed: Bool)

    /// The edit a key asks for at the parameters in force; nil for commands that are not edits,
    /// and at a ladder's end (beta already inf, N already 1, ...: `limitText` says so). The worker
    /// hands exactly this to `Simulation.apply`.
    public func edit(from p: Parameters) -> Edit? {
        let e: Edit
        switch self {
        case .halveBeta: e = .beta(Ladders.halveBeta(p.beta))
        case .doubleBeta: e = .beta(Ladders.doubleBeta(p.beta))
        case .halveKappa: e = .kappa(Ladders.halveKappa(p.kappa))
        case .doubleKappa: e = .kappa(Ladders.doubleKappa(p.kappa))
        case .depthDown, .depthUp:
            // A flow with a fixed N (bures-wasserstein) has no other N to step to.
            if p.flow.fixedDepth != nil { return nil }
            e = .depth(Ladders.depth(p.depth, by: self == .depthUp ? 1 : -1, infinityAllowed: !p.flow.needsFiniteDepth))
        // dopri5 chooses its own steps: - / + change its rtol instead.
        case .dtDown: e = Self.tunesRtol(p) ? .rtol(Ladders.halveRtol(p.rtol)) : .dt(Ladders.halveDt(p.dt))
        case .dtUp: e = Self.tunesRtol(p) ? .rtol(Ladders.doubleRtol(p.rtol)) : .dt(Ladders.doubleDt(p.dt))
        case .nextIntegrator:
            if p.keepsEuler { return nil }
            let all = IntegratorKind.allCases
            e = .integrator(all[(all.firstIndex(of: p.integrator)! + 1) % all.count])
        case .nextFlow: e = .flow(p.flow.next(energy: p.energy))
        case .toggleTimeScale:
            if p.isInfiniteDepth { return nil }
            e = .timeScale(p.effectiveTimeScale == .plain ? .depth : .plain)
        case .togglePause, .stepOnce, .slower, .faster, .nextPreset, .restart, .toggleVersus, .addRun: return nil
        }
        return e.written(into: p) == p ? nil : e
    }

    /// Whether `-` / `+` act on rtol: dopri5 in force on a flow it steps.
    public static func tunesRtol(_ p: Parameters) -> Bool { p.integrator.isAdaptive && !p.keepsEuler }

    /// The parameters the edit writes (what the parameter panel shows after the key, before any
    /// change a flow switch forces); other commands leave them.
    public func applied(to p: Parameters) -> Parameters {
        edit(from: p).map { $0.written(into: p) } ?? p
    }

    /// Why an edit key did nothing at `p`.
    public func limitText(_ p: Parameters) -> String {
        if (self == .depthDown || self == .depthUp) && p.flow == .buresWasserstein {
            return "N is 2 for bures-wasserstein (Remark 9): f changes flow and brings back your N"
        }
        switch self {
        case .halveBeta: return "beta is at its lowest, \(NumberText.compact(p.beta))"
        case .doubleBeta: return "beta is already inf"
        case .halveKappa: return "kappa is already 0"
        case .doubleKappa: return "kappa is at its highest"
        case .depthDown: return "N is already 1"
        case .depthUp: return "N is already \(p.depthText)" + (p.flow.needsFiniteDepth ? " (the largest for the \(p.flow.rawValue) flow)" : "")
        case .dtDown: return Self.tunesRtol(p) ? "rtol is at its lowest" : "dt is at its lowest"
        case .dtUp: return Self.tunesRtol(p) ? "rtol is at its highest" : "dt is at its highest"
        case .nextIntegrator: return "the \(p.flow.rawValue) flow keeps euler" + (p.flow.isEulerOnly ? " (its scheme is part of its definition)" : " while it has noise (only Euler-Maruyama is implemented for a diffusion)")
        case .toggleTimeScale: return "N = inf: time is always depth-normalised"
        default: return ""
        }
    }
}

/// A key as the terminal layer reports it.
public enum Key: Equatable, Sendable {
    case character(Character)
    case resize
    /// Any other function key (arrows, F-keys): ignored.
    case function(Int32)
}

/// What the interface shows, apart from the simulation itself.
public struct ViewState: Equatable, Sendable {
    public var helpShown = false
    /// Log10 axis for the singular values (the default) or linear.
    public var logSigma = true
    /// The recent window instead of the whole run.
    public var recentWindow = false
    /// The ensemble view (`e`) instead of the single run.
    public var ensemble = false
    /// Which member statistic the ensemble histogram shows (`h` counts up; `EnsembleStatistic.chosen`).
    public var statistic = 0

    public init() {}
}

/// The outcome of one key: the new view, commands for the worker, and the interface's own actions.
public struct KeyOutcome: Equatable, Sendable {
    public var view: ViewState
    public var commands: [Command] = []
    public var quit = false
    public var nextTheme = false
    public var saveSnapshot = false
    /// A note for the message line about what the key did in the view (edits are reported by the worker).
    public var message: String? = nil
}

/// Keys to actions, read from the key table: a pure function, so every key is testable without a terminal.
public enum KeyMap {
    /// `tooSmall`: the "terminal too small" screen is up; only q acts there (keys would act unseen).
    public static func handle(_ key: Key, view: ViewState, tooSmall: Bool = false) -> KeyOutcome {
        var out = KeyOutcome(view: view)
        guard case .character(let c) = key else { return out }
        let action = KeyTable.action(for: c)
        if action == .quit { out.quit = true; return out }
        if tooSmall { return out }
        // With help shown any other key only closes it.
        if view.helpShown { out.view.helpShown = false; return out }
        switch action {
        case .command(let command): out.commands = [command]
        case .help: out.view.helpShown = true
        case .toggleLogAxis:
            out.view.logSigma.toggle()
            out.message = out.view.logSigma ? "singular values: log axis" : "singular values: linear axis"
        case .toggleWindow:
            out.view.recentWindow.toggle()
            out.message = out.view.recentWindow ? "time axis: recent window" : "time axis: whole run"
        case .nextTheme: out.nextTheme = true
        case .save: out.saveSnapshot = true
        case .toggleEnsemble:
            out.view.ensemble.toggle()
            out.message = out.view.ensemble ? "ensemble view" : "single-run view"
        case .nextStatistic: out.view.statistic += 1
        case .quit: break
        case nil: out.message = "key '\(c)' does nothing; ? lists the keys"
        }
        return out
    }

    /// Every key with its action, as the help overlay and the README show them.
    public static var help: [(keys: String, action: String)] { KeyTable.bindings.map { ($0.label, $0.help) } }
}
