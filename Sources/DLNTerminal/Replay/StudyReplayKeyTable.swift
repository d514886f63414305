/// A study replay's keys: the row replay's player keys over the study's saved times (the quantile
/// bands grow with them), `l` for the singular values' axis, `h` for the histogram shown.
public enum StudyReplayKeyTable {
    /// The row replay's help lines said of a study's saved times instead of rows.
    static let studyHelp: [ReplayAction: String] = [
        .stepOnce: "one saved time on (and pause)",
        .slower: "slower / faster: \(ReplayKeyTable.speedsText) saved times/s",
        .seekBack: "seek back / forward by a tenth of the study's times",
        .home: "jump to the first / last saved time",
    ]

    public static let rows: [(keys: [(key: Key, action: ReplayAction)], binding: KeyBinding)] =
        ReplayKeyTable.rows.filter { row in !row.keys.contains { $0.action == .toggleWindow } }.map { row in
            guard let help = studyHelp[row.keys[0].action] else { return row }
            return (row.keys, KeyBinding(keys: [], label: row.binding.label, help: help, hint: row.binding.hint, priority: row.binding.priority))
        } + [
            ([(key: .character("h"), action: .nextHistogram)],
             KeyBinding(keys: [], label: "h", help: "next histogram: the members' final effective rank, numerical rank, σ2/σ1, t_rank_r, errors",
                        hint: "histogram", priority: 1)),
        ]

    public static let bindings: [KeyBinding] = rows.map(\.binding)

    public static func action(for key: Key) -> ReplayAction? {
        for r in rows { if let k = r.keys.first(where: { $0.key == key }) { return k.action } }
        return nil
    }
}
