/// What a key does: a command for the worker (live edits among them) or an action of the interface.
public enum KeyAction: Equatable, Sendable {
    case command(Command)
    case toggleLogAxis
    case toggleWindow
    case nextTheme
    case save
    /// The ensemble view of the same configuration, or back to the single run.
    case toggleEnsemble
    /// The ensemble view's histogram: the next member statistic.
    case nextStatistic
    case help
    case quit
}

/// One row of the key table: the keys and what each does, the help overlay's line and the
/// footer's hint. The table is the only list of keys: the key handler, the `?` overlay, the
/// footer and the README's table are all read from it.
public struct KeyBinding: Sendable {
    /// Each key of the row with its action ("b" halves beta, "B" doubles it).
    public let keys: [(key: Character, action: KeyAction)]
    /// The keys as the help overlay names them ("b / B").
    public let label: String
    public let help: String
    /// The footer's word for the row ("beta"); nil keeps the row out of the footer.
    public let hint: String?
    /// Footer priority: when the hints do not fit the width, the highest numbers go first.
    public let priority: Int

    /// The keys as the footer names them ("b/B").
    public let footerLabel: String
    /// Columns the hint takes in the footer ("b/B beta"), without the gap after it.
    let footerWidth: Int

    init(keys: [(key: Character, action: KeyAction)], label: String, help: String, hint: String?, priority: Int) {
        self.keys = keys
        self.label = label
        self.help = help
        self.hint = hint
        self.priority = priority
        footerLabel = label.replacingOccurrences(of: " / ", with: "/")
        footerWidth = footerLabel.unicodeScalars.count + 1 + (hint?.unicodeScalars.count ?? 0)
    }
}

public enum KeyTable {
    public static let bindings: [KeyBinding] = [
        row([(" ", .command(.togglePause))], "space", "pause / resume", hint: "pause", priority: 0),
        row([(".", .command(.stepOnce))], ".", "one step while paused", hint: "step", priority: 4),
        row([("b", .command(.halveBeta)), ("B", .command(.doubleBeta))], "b / B",
            "beta halved / doubled (past 1e6: inf; inf halved: 1e6)", hint: "beta", priority: 1),
        row([("k", .command(.halveKappa)), ("K", .command(.doubleKappa))], "k / K",
            "kappa halved / doubled (below 1e-3: 0; 0 doubled: 1e-3)", hint: "kappa", priority: 1),
        row([("n", .command(.depthDown)), ("N", .command(.depthUp))], "n / N",
            "depth N down / up (1..1000, then inf for downstairs flows), keeping W", hint: "depth", priority: 1),
        row([("-", .command(.dtDown)), ("+", .command(.dtUp)), ("=", .command(.dtUp))], "- / +",
            "step size dt halved / doubled (also =); under dopri5 its rtol", hint: "dt", priority: 1),
        row([("i", .command(.nextIntegrator))], "i", "next integrator: euler, heun, rk4, dopri5 (a flow with noise keeps euler)",
            hint: "integrator", priority: 3),
        row([("<", .command(.slower)), (">", .command(.faster))], "< / >", "speed down / up: 1 step/s ... unlimited (dopri5: simulated time/s)",
            hint: "speed", priority: 2),
        row([("f", .command(.nextFlow))], "f", "next flow (says what it could not keep; the next f restores it)",
            hint: "flow", priority: 1),
        row([("T", .command(.toggleTimeScale))], "T", "time: plain / depth-normalised (generator / N; N = inf always)",
            hint: "t/N", priority: 2),
        row([("v", .command(.toggleVersus))], "v", "versus: rle-upstairs beside langevin from one start / off",
            hint: "versus", priority: 3),
        row([("c", .command(.addRun))], "c", "compare: add the configuration in force as a new run (up to 4; all restart from the seed's start)",
            hint: "compare", priority: 3),
        // No footer hint: at 200 columns the hints of the other rows fill the footer; `?` lists it
        // and the ensemble panel's title names it.
        row([("e", .toggleEnsemble)], "e", "ensemble view (--members M, default 200) / single run, same configuration",
            hint: nil, priority: 2),
        row([("h", .nextStatistic)], "h", "ensemble histogram: next member statistic (W12, ranks, sigma_2/sigma_1, t_rank_r, error)",
            hint: nil, priority: 5),
        row([("p", .command(.nextPreset))], "p", "next preset (restarts)", hint: "preset", priority: 4),
        row([("r", .command(.restart(newSeed: false))), ("R", .command(.restart(newSeed: true)))], "r / R",
            "restart: same seed / new seed", hint: "restart", priority: 3),
        row([("l", .toggleLogAxis)], "l", "log / linear axis for the singular values", hint: "log", priority: 5),
        row([("w", .toggleWindow)], "w", "whole run / recent window time axis", hint: "window", priority: 5),
        row([("t", .nextTheme)], "t", "next theme", hint: "theme", priority: 5),
        row([("s", .save)], "s", "save a snapshot: CSV, JSON sidecar, screen text, SVG figure", hint: "save", priority: 2),
        row([("?", .help)], "?", "this help and the last messages in full (any key closes it)", hint: "help", priority: 0),
        row([("q", .quit)], "q", "quit", hint: "quit", priority: 0),
    ]

    private static func row(_ keys: [(Character, KeyAction)], _ label: String, _ help: String,
                            hint: String?, priority: Int) -> KeyBinding {
        KeyBinding(keys: keys.map { (key: $0.0, action: $0.1) }, label: label, help: help, hint: hint, priority: priority)
    }

    /// The action of a key, nil for a key the table does not have.
    public static func action(for c: Character) -> KeyAction? {
        for b in bindings { if let k = b.keys.first(where: { $0.key == c }) { return k.action } }
        return nil
    }

    /// The footer's hints that fit `width` columns, in table order: while they do not fit, the
    /// row with the highest priority number (the last such in the table) is dropped.
    public static func footerHints(width: Int) -> [KeyBinding] { footerHints(width: width, among: hinted) }

    /// The same for another table's rows with hints (the replay's).
    static func footerHints(width: Int, among rows: [KeyBinding]) -> [KeyBinding] {
        var shown = rows
        // Each hint and the two-column gap after it, less the last gap.
        var used = shown.reduce(0) { $0 + $1.footerWidth + 2 } - 2
        while !shown.isEmpty && used > width {
            let worst = shown.map(\.priority).max()!
            let index = shown.lastIndex { $0.priority == worst }!
            used -= shown[index].footerWidth + 2
            shown.remove(at: index)
        }
        return shown
    }

    /// The rows with a footer hint, in table order (formed once: the footer is drawn every frame).
    private static let hinted = bindings.filter { $0.hint != nil }
}
