/// A live edit: one parameter of a running simulation set to one value. The keys produce edits,
/// a recorded session's log is a list of them, and `Simulation.apply` is the one place that
/// applies them (so a replayed session goes through exactly the code a key press went through).
public enum Edit: Equatable, Sendable {
    case beta(Double)
    case kappa(Double)
    /// N: a finite depth, or `Depth.infinite` for N = inf.
    case depth(Depth)
    case dt(Double)
    case flow(FlowKind)
    case timeScale(TimeScale)
    /// The stepping scheme; a flow with noise keeps Euler-Maruyama (`Parameters.validate`).
    case integrator(IntegratorKind)
    /// dopri5's relative and absolute tolerances.
    case rtol(Double)
    case atol(Double)

    /// The parameter's name in logs and sidecars.
    public var parameter: String {
        switch self {
        case .beta: return "beta"
        case .kappa: return "kappa"
        case .depth: return "N"
        case .dt: return "dt"
        case .flow: return "flow"
        case .timeScale: return "time-scale"
        case .integrator: return "integrator"
        case .rtol: return "rtol"
        case .atol: return "atol"
        }
    }

    public var value: EditValue {
        switch self {
        case .beta(let x), .kappa(let x), .dt(let x), .rtol(let x), .atol(let x): return .number(x)
        case .depth(let n): return n.factors.map { .integer($0) } ?? .text("inf")
        case .flow(let f): return .text(f.rawValue)
        case .timeScale(let s): return .text(s.rawValue)
        case .integrator(let i): return .text(i.rawValue)
        }
    }

    /// The edit a log entry names; nil when the parameter is not a live one or the value does not fit it.
    public init?(parameter: String, value: EditValue) {
        switch (parameter, value) {
        case ("beta", .number(let x)): self = .beta(x)
        case ("beta", .integer(let n)): self = .beta(Double(n))
        case ("beta", .text("inf")): self = .beta(.infinity)
        case ("kappa", .number(let x)): self = .kappa(x)
        case ("kappa", .integer(let n)): self = .kappa(Double(n))
        case ("dt", .number(let x)): self = .dt(x)
        case ("dt", .integer(let n)): self = .dt(Double(n))
        case ("N", .integer(let n)): self = .depth(.finite(n))
        case ("N", .text(let t)) where ["inf", "infinity"].contains(t.lowercased()): self = .depth(.infinite)
        case ("flow", .text(let t)):
            guard let f = FlowKind(rawValue: t) else { return nil }
            self = .flow(f)
        case ("rtol", .number(let x)): self = .rtol(x)
        case ("atol", .number(let x)): self = .atol(x)
        case ("integrator", .text(let t)):
            guard let i = IntegratorKind(rawValue: t) else { return nil }
            self = .integrator(i)
        case ("time-scale", .text(let t)):
            guard let s = TimeScale(rawValue: t) else { return nil }
            self = .timeScale(s)
        default: return nil
        }
    }

    /// The parameters with this edit written in (no coercion: `Simulation.apply` decides what a
    /// flow or N change implies).
    public func written(into p: Parameters) -> Parameters {
        var q = p
        switch self {
        case .beta(let x): q.beta = x
        case .kappa(let x): q.kappa = x
        case .depth(let n): q.depth = n
        case .dt(let x): q.dt = x
        case .flow(let f): q.flow = f
        case .timeScale(let s): q.timeScale = s
        case .integrator(let i): q.integrator = i
        case .rtol(let x): q.rtol = x
        case .atol(let x): q.atol = x
        }
        return q
    }
}

/// A logged value: a number, an integer (N, steps) or a word (flow names, "inf"), as a sidecar
/// writes it (JSON number or string).
public enum EditValue: Equatable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    case number(Double)
    case integer(Int)
    case text(String)

    public init(stringLiteral value: String) { self = .text(value) }

    /// As a user writes it: %.17g for numbers.
    public var description: String {
        switch self {
        case .number(let x): return NumberFormat.g17(x)
        case .integer(let n): return String(n)
        case .text(let t): return t
        }
    }
}

/// One entry of a run's log: an edit applied at a step, a rollback (the state put back at an
/// earlier step) or a refused step (whose noise was drawn although the state did not move).
/// Entries are in the order they happened; `step` is the step count at that moment, so the steps
/// grow except right after a rollback, which sets the count back to its target.
public struct LiveEdit: Equatable, Sendable {
    public static let rollback = "rollback"
    public static let refused = "refused"

    public let step: Int
    public let parameter: String
    public let value: EditValue
    /// The parameter whose edit forced this one (a flow change that must change N or W), nil for
    /// an edit asked for. A replay applies only the edits asked for and checks that the forced ones recur.
    public let cause: String?

    public init(step: Int, parameter: String, value: EditValue, cause: String? = nil) {
        self.step = step
        self.parameter = parameter
        self.value = value
        self.cause = cause
    }

    public init(step: Int, edit: Edit, cause: String? = nil) {
        self.init(step: step, parameter: edit.parameter, value: edit.value, cause: cause)
    }

    /// The edit this entry applied; nil for rollbacks, refusals and forced W changes.
    public var edit: Edit? { Edit(parameter: parameter, value: value) }
}

/// What `Simulation.apply` did: the edit asked for, the value that took effect, and what it had
/// to change besides (N, the time scale or W on a flow change). Messages are made from this.
public struct AppliedEdit: Equatable, Sendable {
    public let asked: Edit
    /// The parameters before and after.
    public let before: Parameters
    public let after: Parameters
    /// The entries logged, the asked-for edit first.
    public let logged: [LiveEdit]
    /// ||W_after - W_before||_F when the new flow could not keep W (0 otherwise).
    public let wChange: Double
    /// What happened to W, in words, when it changed.
    public let wNote: String?

    /// Whether anything changed (false at a ladder's end, or an edit to the value in force).
    public var changed: Bool { !logged.isEmpty }
    /// Edits forced by this one (N, the time scale, W).
    public var forced: [LiveEdit] { Array(logged.dropFirst()) }
}

extension Parameters {
    /// The flow's knobs, derived from the parameters: the only place they are formed, so that what
    /// the parameter panel and the sidecar show is what the flow integrates.
    public var knobs: FlowKnobs {
        FlowKnobs(depth: depth, beta: beta, kappa: kappa, timeScale: effectiveTimeScale)
    }
}
