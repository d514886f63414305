import DLNEngine
import Foundation

/// How one member ended (summary.csv's `status`).
public enum MemberStatus: String, CaseIterable, Sendable {
    /// Reached its horizon, or its stopping rule (`--until-energy`, `--until-converged`).
    case ok
    /// A step produced NaN or an infinity.
    case nonFinite = "non-finite"
    /// The state grew past the integrator's bound.
    case diverged
    /// An SVD (of a step, or of an observation) failed.
    case svdFailed = "svd-failed"
    /// Ran to its horizon without meeting its stopping rule.
    case notConverged = "not-converged"
    /// An adaptive integrator's step size fell below its floor (dopri5): the flow is too stiff there.
    case stepSizeCollapsed = "step-size-collapsed"

    /// A failure makes `ensemble` and `sweep` exit 3; not converging is an outcome, not a failure.
    public var isFailure: Bool { self != .ok && self != .notConverged }
}

/// One parameter point of a study: its parameters (seed S included) and its grid values as given.
public struct StudyPoint: Sendable {
    public let index: Int
    public let parameters: Parameters
    /// (key, value) for every grid key, in the spec's order.
    public let grid: [(String, String)]

    public init(index: Int, parameters: Parameters, grid: [(String, String)]) {
        self.index = index
        self.parameters = parameters
        self.grid = grid
    }
}

/// A study: parameter points times M members each. Member i of point p is the run of
/// `MemberSeed.parameters(p, member: i)`. Global member number g = point * M + i.
public struct Study: Sendable {
    public var points: [StudyPoint]
    public var members: Int
    public var varyProblem: Bool
    /// Stop a member once ||W(t) - W(t - w)||_F / (||W(t)||_F w) < TOL, w the window of `every` steps.
    public var untilConverged: Double?
    /// Write each member's rows under DIR/members/.
    public var memberRows: Bool
    /// The grid keys in the spec's order (summary columns after `seed`).
    public var gridKeys: [String]
    /// The spec as the user wrote it, after defaults: (key, value) pairs for study.json.
    public var spec: [(String, String)]

    public init(points: [StudyPoint], members: Int, varyProblem: Bool = false, untilConverged: Double? = nil,
                memberRows: Bool = false, gridKeys: [String] = [], spec: [(String, String)] = []) {
        self.points = points
        self.members = members
        self.varyProblem = varyProblem
        self.untilConverged = untilConverged
        self.memberRows = memberRows
        self.gridKeys = gridKeys
        self.spec = spec
    }

    public var total: Int { points.count * members }

    public func memberParameters(_ g: Int) -> Parameters {
        MemberSeed.parameters(points[g / members].parameters, member: g % members, varyProblem: varyProblem)
    }

    /// The largest d over the points: the summary's sigma, w and t_rank columns.
    public var maxSize: Int { points.map { $0.parameters.size }.max() ?? 1 }

    /// Everything that decides the results, one `key=value` per line: the study's settings and every
    /// stored field of every point's parameters (read by reflection, so a field added to
    /// `Parameters` is covered without a change here). Its hash is the spec's identity.
    public var canonicalLines: [String] {
        var lines = ["members=\(members)", "vary-problem=\(varyProblem)",
                     "until-converged=\(untilConverged.map { "\($0)" } ?? "none")",
                     "member-rows=\(memberRows)", "grid=\(gridKeys.joined(separator: ","))"]
        for point in points {
            for child in Mirror(reflecting: point.parameters).children {
                guard let label = child.label else { continue }
                lines.append("point \(point.index) \(label)=\(Self.text(child.value))")
            }
        }
        return lines
    }

    /// A value as text; optionals unwrapped ("none" for nil).
    static func text(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let inner = mirror.children.first else { return "none" }
            return text(inner.value)
        }
        // A set prints in a per-process order (hash seeding): sorted, so the hash is a function of the spec.
        if mirror.displayStyle == .set { return "[" + mirror.children.map { text($0.value) }.sorted().joined(separator: ", ") + "]" }
        return "\(value)"
    }

    /// FNV-1a (64 bits) of the canonical lines, as 16 hex digits.
    public var hash: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in canonicalLines.joined(separator: "\n").utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The times a point's members are summarised at (quantiles.csv), the rows of `dlntui run`'s
    /// schedule (`SaveAt`): shared by every member only if known before the run. Steps counted at a
    /// fixed dt: 0, every, 2 every, ..., the last step, times dt. Rows every H up to a time T:
    /// 0, H, 2H, ..., T. Nil otherwise (an adaptive integrator's steps, or rows in time with a
    /// horizon in steps, fall at each member's own times).
    static func savedTimes(_ p: Parameters) -> [Double]? {
        let schedule = SaveAt(p)
        if let h = schedule.everyTime {
            guard let end = schedule.untilTime else { return nil }
            var times = [0.0]
            var k = 1
            while Double(k) * h < end { times.append(Double(k) * h); k += 1 }
            return times + [end]
        }
        guard !p.integrator.isAdaptive, let steps = schedule.savedSteps else { return nil }
        return steps.map { Double($0) * p.dt }
    }
}
