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
    /// Plain time or depth-normalised time (the generator divided by N); N = inf is always the latter.
    case toggleTimeScale
    /// rle-upstairs beside langevin from the same start, or back to one run.
    case toggleVersus
    case nextPreset
    case restart(newSeed: Bool)

    /// The parameters after a live edit (beta, kappa, N, dt, flow); other commands leave them.
    /// The worker applies exactly this, so key tests need no simulation.
    public func applied(to p: Parameters) -> Parameters {
        var q = p
        switch self {
        case .halveBeta: q.beta = Ladders.halveBeta(p.beta)
        case .doubleBeta: q.beta = Ladders.doubleBeta(p.beta)
        case .halveKappa: q.kappa = Ladders.halveKappa(p.kappa)
        case .doubleKappa: q.kappa = Ladders.doubleKappa(p.kappa)
        case .depthDown: q.depth = Ladders.depth(p.depth, by: -1, infinityAllowed: !p.flow.needsFiniteDepth)
        case .depthUp: q.depth = Ladders.depth(p.depth, by: 1, infinityAllowed: !p.flow.needsFiniteDepth)
        case .dtDown: q.dt = Ladders.halveDt(p.dt)
        case .dtUp: q.dt = Ladders.doubleDt(p.dt)
        case .nextFlow: q.flow = p.flow.next
        case .toggleTimeScale:
            if !p.isInfiniteDepth { q.timeScale = p.effectiveTimeScale == .plain ? .depth : .plain }
        case .togglePause, .stepOnce, .slower, .faster, .nextPreset, .restart, .toggleVersus: break
        }
        return q
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

/// Keys to actions: a pure function, so every key is testable without a terminal.
public enum KeyMap {
    public static func handle(_ key: Key, view: ViewState) -> KeyOutcome {
        var out = KeyOutcome(view: view)
        guard case .character(let c) = key else { return out }
        if c == "q" { out.quit = true; return out }
        // With help shown any other key only closes it.
        if view.helpShown { out.view.helpShown = false; return out }
        switch c {
        case " ": out.commands = [.togglePause]
        case ".": out.commands = [.stepOnce]
        case "?": out.view.helpShown = true
        case "b": out.commands = [.halveBeta]
        case "B": out.commands = [.doubleBeta]
        case "k": out.commands = [.halveKappa]
        case "K": out.commands = [.doubleKappa]
        case "n": out.commands = [.depthDown]
        case "N": out.commands = [.depthUp]
        case "-": out.commands = [.dtDown]
        case "+", "=": out.commands = [.dtUp]
        case "<": out.commands = [.slower]
        case ">": out.commands = [.faster]
        case "f": out.commands = [.nextFlow]
        case "T": out.commands = [.toggleTimeScale]
        case "v": out.commands = [.toggleVersus]
        case "p": out.commands = [.nextPreset]
        case "r": out.commands = [.restart(newSeed: false)]
        case "R": out.commands = [.restart(newSeed: true)]
        case "l":
            out.view.logSigma.toggle()
            out.message = out.view.logSigma ? "singular values: log axis" : "singular values: linear axis"
        case "w":
            out.view.recentWindow.toggle()
            out.message = out.view.recentWindow ? "time axis: recent window" : "time axis: whole run"
        case "t": out.nextTheme = true
        case "s": out.saveSnapshot = true
        default: out.message = "key '\(c)' does nothing; ? lists the keys"
        }
        return out
    }

    /// Every key with its action, as the help overlay and the README show them.
    public static let help: [(keys: String, action: String)] = [
        ("space", "pause / resume"),
        (".", "one step while paused"),
        ("b / B", "beta halved / doubled (past 1e6: inf; inf halved: 1e6)"),
        ("k / K", "kappa halved / doubled (below 1e-3: 0; 0 doubled: 1e-3)"),
        ("n / N", "depth N down / up (1..1000, then inf for downstairs flows), keeping W"),
        ("- / +", "step size dt halved / doubled (also =)"),
        ("< / >", "speed down / up: 1 step/s ... unlimited"),
        ("f", "next flow"),
        ("T", "time: plain / depth-normalised (generator / N; N = inf always)"),
        ("v", "versus: rle-upstairs beside langevin from one start / off"),
        ("p", "next preset (restarts)"),
        ("r / R", "restart: same seed / new seed"),
        ("l", "log / linear axis for the singular values"),
        ("w", "whole run / recent window time axis"),
        ("t", "next theme"),
        ("s", "save a snapshot: CSV, JSON sidecar, screen text"),
        ("?", "this help (any key closes it)"),
        ("q", "quit"),
    ]
}
