import DLNEngine

/// The values the parameter keys step through, as pure functions.
public enum Ladders {
    public static let betaCeiling = 1e6
    public static let betaFloor = 1e-6
    public static let kappaFloor = 1e-3
    public static let kappaCeiling = 1e6
    public static let dtFloor = 1e-9
    public static let dtCeiling = 1e4

    /// Halving inf gives 1e6; never below 1e-6 (beta must stay > 0).
    public static func halveBeta(_ b: Double) -> Double {
        if b.isInfinite { return betaCeiling }
        return max(betaFloor, b / 2)
    }

    /// Doubling past 1e6 gives inf (the noiseless flow).
    public static func doubleBeta(_ b: Double) -> Double {
        let d = b * 2
        return d > betaCeiling ? .infinity : d
    }

    /// Halving below 1e-3 gives 0.
    public static func halveKappa(_ k: Double) -> Double {
        let h = k / 2
        return h < kappaFloor ? 0 : h
    }

    /// Doubling 0 gives 1e-3.
    public static func doubleKappa(_ k: Double) -> Double {
        k == 0 ? kappaFloor : min(kappaCeiling, k * 2)
    }

    /// N within 1...1000; past 1000 comes N = inf where the flow allows it (the downstairs
    /// flows), and inf stepped down gives 1000.
    public static func depth(_ depth: Depth, by delta: Int, infinityAllowed: Bool = false) -> Depth {
        let maximum = Parameters.maxDepth
        guard let n = depth.factors else { return delta < 0 || !infinityAllowed ? .finite(maximum) : .infinite }
        if n >= maximum && delta > 0 && infinityAllowed { return .infinite }
        return .finite(min(maximum, max(1, n.addingReportingOverflow(delta).partialValue)))
    }

    public static func halveDt(_ dt: Double) -> Double { max(dtFloor, dt / 2) }
    public static func doubleDt(_ dt: Double) -> Double { min(dtCeiling, dt * 2) }

    /// dopri5's rtol under `-` / `+`: halved / doubled within 1e-14 ... 0.1.
    public static let rtolFloor = 1e-14
    public static let rtolCeiling = 0.1
    public static func halveRtol(_ r: Double) -> Double { max(rtolFloor, r / 2) }
    public static func doubleRtol(_ r: Double) -> Double { min(rtolCeiling, r * 2) }

    /// Steps per second; beyond the last comes nil, unlimited (as fast as the worker runs).
    public static let speeds: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000]

    public static func faster(_ s: Double?) -> Double? {
        guard let s else { return nil }
        return speeds.first { $0 > s }
    }

    public static func slower(_ s: Double?) -> Double? {
        guard let s else { return speeds.last }
        return speeds.last { $0 < s } ?? speeds[0]
    }
}
