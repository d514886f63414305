import DLNEngine
import DLNStudy
import Foundation

/// The ensemble panels' values, each with shorter forms for a narrow right column (28 columns at
/// 80 x 24, 33 at 120 x 40, 44 from 160): a value drops its least important part first (spaces,
/// then what another row or the legend repeats) instead of being cut at the panel's edge.
enum EnsemblePanelText {
    /// What the rank-one fraction counts. With `--until-ci`, the members the stop rule counts:
    /// members 0 ..< k, all finished (`EnsembleFrame.finishedPrefix`), once there are any; else
    /// the finished members' limits, or before any has finished every member where it is now.
    struct Counted {
        var rankOne: Proportion
        var numericalRanks: [Proportion]
        /// "first 10" for --until-ci's members (members 0 ... 9); nil otherwise.
        var first: String?
        /// Limits (finished members) rather than where the members are now.
        var limits: Bool
    }

    static func counted(_ f: EnsembleFrame, untilCI: Double?) -> Counted {
        if untilCI != nil && !f.firstFinished.isEmpty {
            return Counted(rankOne: f.firstRankOne, numericalRanks: f.firstNumericalRanks,
                           first: "first \(f.finishedPrefix)", limits: true)
        }
        return Counted(rankOne: f.rankOne, numericalRanks: f.numericalRanks, first: nil, limits: f.counted.finished)
    }

    /// A configuration's fraction with its interval in percent: "36/100 = 36.0% [27.3, 45.8]",
    /// then without spaces, then without p (k/n says it, and the legend shows it), then p alone.
    static func fraction(_ p: Proportion) -> [String] {
        guard p.total > 0, let ci = p.interval else { return ["\(p.successes)/\(p.total) = n/a", "n/a"] }
        let k = "\(p.successes)/\(p.total)"
        let value = NumberText.format("%.1f%%", 100 * p.value)
        let low = NumberText.format("%.1f", 100 * ci.low), high = NumberText.format("%.1f", 100 * ci.high)
        return ["\(k) = \(value) [\(low), \(high)]", "\(k) = \(value) [\(low),\(high)]", "\(k)=\(value) [\(low),\(high)]",
                "\(k) [\(low),\(high)]", "\(value) [\(low),\(high)]", value]
    }

    /// The stop rule's row: the interval's width now (the widest of the configurations') and W.
    static func untilCI(_ w: Double, width: Double?) -> KeyValuePanel.Row {
        let now = width.map { NumberText.compact($0, digits: 3) } ?? "n/a"
        let stop = NumberText.compact(w)
        return .init("", "width \(now), stop < \(stop)", shorter: ["\(now) wide, stop < \(stop)", "\(now), stop < \(stop)", "\(now) / \(stop)"])
    }

    static func rate(_ rate: Double) -> KeyValuePanel.Row {
        let r = NumberText.compact(rate.rounded())
        return .init("rate", "\(r) member-steps/s", shorter: ["\(r) steps/s", r])
    }

    /// "upstairs, 2, 4"; narrower, the flow's first three letters, as the comparison's short labels.
    static func flow(_ flows: [String], size: Int, depths: [String]) -> KeyValuePanel.Row {
        func joined(_ values: [String]) -> String { Set(values).count == 1 ? values[0] : values.joined(separator: "|") }
        let d = joined(depths)
        return .init("flow, d, N", "\(joined(flows)), \(size), \(d)", shorter: ["\(joined(flows.map { String($0.prefix(3)) })), \(size), \(d)"])
    }

    /// The members' dt, the scheme they step with and the seed: "0.05 (rk4), 1"; a flow with noise
    /// steps euler whatever the integrator ("euler, noise"); narrower, the dt alone.
    static func method(_ points: [Parameters]) -> KeyValuePanel.Row {
        func joined(_ values: [String]) -> String { Set(values).count == 1 ? values[0] : values.joined(separator: "|") }
        let stepping = points.map(\.stepping)
        let schemes = zip(points, stepping).map { p, s in s.rawValue + (s != p.integrator ? ", noise" : "") }
        let dt = joined(points.map { NumberText.compact($0.dt, digits: 4) }), seed = "\(points[0].seed)"
        return .init("dt, seed", "\(dt) (\(joined(schemes))), \(seed)",
                     shorter: ["\(dt) \(joined(stepping.map(\.rawValue))), \(seed)", "\(dt), \(seed)"])
    }

    /// The members' state; stopped by the rule, its reason in full where it fits (the width is on
    /// the stop rule's row), else that the rule stopped them.
    static func state(stopped: String?, finished: Bool, paused: Bool, style: Style) -> KeyValuePanel.Row {
        if let stopped { return .init("state", "stopped: \(stopped)", style: style, shorter: ["stopped: --until-ci", "stopped"]) }
        if finished { return .init("state", "finished", style: style) }
        return paused ? .init("state", "paused", style: style) : .init("state", "running")
    }

    /// "1: 88%, 2: 12%", then "1:88% 2:12%".
    static func ranks(_ ranks: [Proportion]) -> KeyValuePanel.Row {
        let shown = ranks.enumerated().filter { $0.element.successes > 0 }
        guard !shown.isEmpty else { return .init("num. rank", "n/a") }
        let percent = shown.map { ($0.offset, NumberText.format("%.0f%%", 100 * $0.element.value)) }
        return .init("num. rank", percent.map { "\($0.0): \($0.1)" }.joined(separator: ", "),
                     shorter: [percent.map { "\($0.0):\($0.1)" }.joined(separator: " ")])
    }
}
