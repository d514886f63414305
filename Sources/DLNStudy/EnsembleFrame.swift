import DLNEngine

/// One quantity's quantiles over the members at each saved time: the bands of the ensemble view.
public struct EnsembleBand: Sendable, Equatable {
    /// The row contract's column name (energy, error, effective_rank, sigma_1, ...).
    public var name: String
    /// q05, q25, q50, q75, q95 at each saved time (`EnsembleFrame.times`); NaN where no member has a value.
    public var q05: [Double] = [], q25: [Double] = [], q50: [Double] = [], q75: [Double] = [], q95: [Double] = []

    public init(name: String) { self.name = name }

    mutating func append(_ quantiles: [Double]?) {
        let v = quantiles ?? [Double](repeating: .nan, count: 5)
        q05.append(v[0]); q25.append(v[1]); q50.append(v[2]); q75.append(v[3]); q95.append(v[4])
    }
}

/// Where one member is now: its last observation's statistics, its status and (d = 2) its point.
public struct MemberNow: Sendable, Equatable {
    /// nil while it runs.
    public var status: MemberStatus?
    public var effectiveRank: Double
    public var numericalRank: Int
    /// sigma_2 / sigma_1 (0 for d = 1).
    public var sigmaRatio: Double
    /// The ground-truth error ||W - A|| / ||A||; NaN where there is none.
    public var error: Double
    /// The first time the numerical rank reached r = 1 ... d (nil: not yet).
    public var rankTimes: [Double?]
    /// (W12, W21) now, for d = 2; NaN otherwise.
    public var w12: Double
    public var w21: Double

    public init(status: MemberStatus?, effectiveRank: Double, numericalRank: Int, sigmaRatio: Double, error: Double,
                rankTimes: [Double?], w12: Double = .nan, w21: Double = .nan) {
        self.status = status
        self.effectiveRank = effectiveRank
        self.numericalRank = numericalRank
        self.sigmaRatio = sigmaRatio
        self.error = error
        self.rankTimes = rankTimes
        self.w12 = w12
        self.w21 = w21
    }

    /// Its limit (or state) is rank one: sigma_2 / sigma_1 < 0.05, the study's rule.
    public var isRankOne: Bool { sigmaRatio < EnsembleFrame.rankOneRatio }
    public var failed: Bool { status?.isFailure ?? false }
}

/// What the ensemble view draws: the counts, the bands over time and where every member is.
public struct EnsembleFrame: Sendable {
    /// A limit is rank one when sigma_2 / sigma_1 is below this (as in the studies' tests).
    public static let rankOneRatio = 0.05

    /// The parameters of the point (with the live edits in force).
    public var parameters: Parameters
    public var size: Int
    /// The step every running member is at, and its time.
    public var step: Int
    public var time: Double
    /// The saved times the bands cover so far.
    public var times: [Double]
    public var bands: [EnsembleBand]
    public var members: [MemberNow]
    /// Restarts (an edit that changed the question), oldest first.
    public var restarts: [String]

    public init(parameters: Parameters, size: Int, step: Int, time: Double, times: [Double], bands: [EnsembleBand],
                members: [MemberNow], restarts: [String] = []) {
        self.parameters = parameters
        self.size = size
        self.step = step
        self.time = time
        self.times = times
        self.bands = bands
        self.members = members
        self.restarts = restarts
    }

    public var count: Int { members.count }
    public var running: Int { members.filter { $0.status == nil }.count }
    public func count(_ status: MemberStatus) -> Int { members.filter { $0.status == status }.count }
    public var failed: Int { members.filter(\.failed).count }
    /// Finished and not failed: their W is a limit (or the state at the horizon).
    public var limits: [MemberNow] { members.filter { $0.status != nil && !$0.failed } }

    /// The members the fractions count: the finished ones once any has finished (their limits),
    /// before that every member that has not failed (where they are now).
    public var counted: (members: [MemberNow], finished: Bool) {
        let l = limits
        return l.isEmpty ? (members.filter { !$0.failed }, false) : (l, true)
    }

    /// The fraction of counted members that are rank one (sigma_2 / sigma_1 < 0.05).
    public var rankOne: Proportion { Self.rankOne(counted.members) }

    /// The fraction of counted members of each numerical rank 0 ... d.
    public var numericalRanks: [Proportion] { Self.numericalRanks(counted.members, size: size) }

    /// k: members 0 ..< k have all finished (in member-index order, whatever order they finished
    /// in) and member k has not. `--until-ci` counts these: members that converge sooner are not
    /// a random sample (they are more often rank one, or less), so an interval over whichever
    /// members finished first would be biased; members 0 ..< k are, since the member seeds are.
    public var finishedPrefix: Int { members.firstIndex { $0.status == nil } ?? members.count }

    /// The limits of members 0 ..< k (`finishedPrefix`), failed ones left out as everywhere.
    public var firstFinished: [MemberNow] { members.prefix(finishedPrefix).filter { !$0.failed } }

    /// The rank-one fraction over `firstFinished`: what `--until-ci` stops on.
    public var firstRankOne: Proportion { Self.rankOne(firstFinished) }

    /// The fraction of `firstFinished` of each numerical rank 0 ... d.
    public var firstNumericalRanks: [Proportion] { Self.numericalRanks(firstFinished, size: size) }

    static func rankOne(_ c: [MemberNow]) -> Proportion { Proportion(c.filter(\.isRankOne).count, of: c.count) }

    static func numericalRanks(_ c: [MemberNow], size: Int) -> [Proportion] {
        (0...size).map { r in Proportion(c.filter { $0.numericalRank == r }.count, of: c.count) }
    }

    public func band(_ name: String) -> EnsembleBand? { bands.first { $0.name == name } }
}
