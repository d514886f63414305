import DLNStudy

/// The member statistic the ensemble view's histogram shows (`h` cycles): each member's current
/// value, its limit's once it has finished.
public enum EnsembleStatistic: Equatable, Sendable {
    case effectiveRank
    case numericalRank
    case sigmaRatio
    /// t_rank_r: the first time the numerical rank reached r.
    case rankTime(Int)
    /// The ground-truth (recovery) error ||W - A|| / ||A||.
    case error
    /// W12, the position along the hyperbola W12 W21 = 1 (d = 2).
    case w12

    /// The statistics for d and whether the problem has a ground truth, in the cycle's order.
    public static func all(size d: Int, groundTruth: Bool) -> [EnsembleStatistic] {
        var out: [EnsembleStatistic] = d == 2 ? [.w12] : []
        out += [.effectiveRank, .numericalRank]
        if d >= 2 { out.append(.sigmaRatio) }
        out += (1...max(1, min(d, 4))).map { .rankTime($0) }
        if groundTruth { out.append(.error) }
        return out
    }

    /// The view's choice (an index that `h` increments) among the statistics available.
    public static func chosen(_ index: Int, size d: Int, groundTruth: Bool) -> EnsembleStatistic {
        let list = all(size: d, groundTruth: groundTruth)
        return list[((index % list.count) + list.count) % list.count]
    }

    public var name: String {
        switch self {
        case .effectiveRank: return "effective rank"
        case .numericalRank: return "numerical rank"
        case .sigmaRatio: return "sigma_2/sigma_1"
        case .rankTime(let r): return "t_rank_\(r)"
        case .error: return "recovery error"
        case .w12: return "W12"
        }
    }

    public var integers: Bool { self == .numericalRank }

    /// The member's value; nil where it has none (a rank not reached yet, a failed member).
    public func value(_ m: MemberNow) -> Double? {
        if m.failed { return nil }
        let v: Double?
        switch self {
        case .effectiveRank: v = m.effectiveRank
        case .numericalRank: v = m.numericalRank >= 0 ? Double(m.numericalRank) : nil
        case .sigmaRatio: v = m.sigmaRatio
        case .rankTime(let r): v = r - 1 < m.rankTimes.count ? m.rankTimes[r - 1] : nil
        case .error: v = m.error
        case .w12: v = m.w12
        }
        return v.flatMap { $0.isFinite ? $0 : nil }
    }
}
