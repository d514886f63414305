/// How the riemannian flow's state is held while it is stepped (`--lift`).
public enum Lift: String, CaseIterable, Sendable {
    /// `balanced` under heun, rk4 and dopri5, `none` (ambient) under euler (so `--dt` alone steps W as it always did).
    case auto
    /// The balanced factors W_N ... W_1 of W, stepped by the upstairs gradient flow (3.6).
    case balanced
    /// W itself in the ambient space, in Lemma 1's frame (an SVD at every evaluation).
    case ambient = "none"

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The riemannian flow (4.11) integrated through its balanced factors: the state is W_1 ... W_N with
/// W = W_N ... W_1 factorised in balance (5.16), and the vector field is the upstairs gradient flow
/// (3.6), whose end-to-end curve from a balanced start is (4.11) exactly (Theorem 2). An additive
/// step of W in the ambient space misplaces the small singular values by errors of their own size
/// (issue 17: dopri5 on W reached 2.9e-5 at t = 600 where the factors reached 2.6e-9 for as many
/// evaluations); the factors carry them multiplicatively, and an evaluation is 3(N-1) products, no SVD.
/// Only the noiseless riemannian flow: the entropic force of free-energy and langevin is not the
/// image of an upstairs force (it breaks Theorem 2), and N = inf has no factors.
public final class BalancedRiemannianFlow: Flow {
    public let kind = FlowKind.riemannian
    private let upstairs: UpstairsGradientFlow

    public init(energy: any Energy, knobs: FlowKnobs) {
        upstairs = UpstairsGradientFlow(energy: energy, knobs: knobs)
    }

    /// The upstairs field reads the same knobs: N, and the time scale's 1/N (the generator of (4.11)
    /// and of (3.6) carry the same factor, so the projection holds under either time scale).
    public var knobs: FlowKnobs {
        get { upstairs.knobs }
        set { upstairs.knobs = newValue }
    }

    public var stepsFactors: Bool { true }
    /// The riemannian flow is noiseless whatever beta is.
    public var hasDiffusion: Bool { false }

    public func makeEvaluation(like x: FlowState) -> FlowEvaluation { upstairs.makeEvaluation(like: x) }

    public func evaluate(at x: FlowState, into e: inout FlowEvaluation) throws(StepError) {
        try upstairs.evaluate(at: x, into: &e)
    }

    public func diffusion(_ e: FlowEvaluation, increment dB: FlowState, into v: inout FlowState) {
        for p in 0..<v.parts.count { v.parts[p].scale(by: 0) }
    }

    public func endToEnd(_ x: FlowState, into w: inout Matrix) { upstairs.endToEnd(x, into: &w) }

    /// The balanced factorisation of W at the current N (5.16): at the start, and when N is edited.
    public func state(for w: Matrix) throws(StepError) -> FlowState { try upstairs.state(for: w) }
}
