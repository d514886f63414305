import CNcurses

/// What a key does in a replay: the player's moves and the interface's own actions.
public enum ReplayAction: Hashable, Sendable {
    case slower, faster, togglePause, stepOnce
    case seekBack, seekForward, home, end
    case toggleLogAxis, toggleWindow, nextTheme, help, quit
    /// A study replay's histogram: the next statistic.
    case nextHistogram
}

/// The replay's key table, in the live table's style: one row per binding gives the keys, the
/// help line and the footer hint, and the key handler, the `?` overlay and the footer read it.
public enum ReplayKeyTable {
    public static let rows: [(keys: [(key: Key, action: ReplayAction)], binding: KeyBinding)] = [
        row([(.character(" "), .togglePause)], "space", "pause / resume", hint: "pause", priority: 0),
        row([(.character("."), .stepOnce)], ".", "one row on (and pause)", hint: "step", priority: 2),
        row([(.character("<"), .slower), (.character(">"), .faster)], "< / >",
            "slower / faster: \(speedsText) rows/s", hint: "speed", priority: 1),
        row([(.character("["), .seekBack), (.character("]"), .seekForward)], "[ / ]",
            "seek back / forward by a tenth of the run", hint: "seek", priority: 1),
        row([(.function(Int32(KEY_HOME)), .home), (.function(Int32(KEY_END)), .end)], "Home / End",
            "jump to the first / last row", hint: "start/end", priority: 3),
        row([(.character("l"), .toggleLogAxis)], "l", "log / linear axis for the singular values", hint: "log", priority: 5),
        row([(.character("w"), .toggleWindow)], "w", "whole run / recent window time axis", hint: "window", priority: 5),
        row([(.character("t"), .nextTheme)], "t", "next theme", hint: "theme", priority: 5),
        row([(.character("?"), .help)], "?", "this help and the last messages in full (any key closes it)", hint: "help", priority: 0),
        row([(.character("q"), .quit)], "q", "quit", hint: "quit", priority: 0),
    ]

    /// The rows as the footer and help read them.
    public static let bindings: [KeyBinding] = rows.map(\.binding)

    static var speedsText: String {
        let s = ReplayPlayer.speeds.map { Int($0) }
        return "\(s.first!) ... \(s.last!)"
    }

    private static func row(_ keys: [(Key, ReplayAction)], _ label: String, _ help: String, hint: String?,
                            priority: Int) -> (keys: [(key: Key, action: ReplayAction)], binding: KeyBinding) {
        (keys.map { (key: $0.0, action: $0.1) }, KeyBinding(keys: [], label: label, help: help, hint: hint, priority: priority))
    }

    /// The action of a key, nil for one the table does not have.
    public static func action(for key: Key) -> ReplayAction? {
        for r in rows { if let k = r.keys.first(where: { $0.key == key }) { return k.action } }
        return nil
    }
}
