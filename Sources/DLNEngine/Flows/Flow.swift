/// The state a flow moves: the N factors W_1 ... W_N upstairs (`parts[p-1] = W_p`), or the single
/// end-to-end matrix W downstairs.
public struct FlowState: Equatable, Sendable {
    public var parts: [Matrix]

    public init(parts: [Matrix]) { self.parts = parts }

    public init(zerosLike other: FlowState) {
        parts = other.parts.map { Matrix(rows: $0.rows, cols: $0.cols) }
    }

    public var isFinite: Bool { parts.allSatisfy(\.isFinite) }
}

/// How time is counted: the seed's unnormalised generator, or the whole generator divided by N
/// (Cohen, Menon and Veraszto 2023), so runs at N = 5, 10, 20 and inf share a time axis.
public enum TimeScale: String, CaseIterable, Sendable {
    case plain
    case depth
}

/// The values a user can turn while a flow runs.
public struct FlowKnobs: Equatable, Sendable {
    public var depth: Depth
    public var beta: Double
    public var kappa: Double
    public var timeScale: TimeScale

    public init(depth: Depth, beta: Double, kappa: Double, timeScale: TimeScale = .plain) {
        self.depth = depth
        self.beta = beta
        self.kappa = kappa
        self.timeScale = timeScale
    }

    public var isInfiniteDepth: Bool { depth.isInfinite }

    /// The factor the generator is multiplied by: 1/N under depth-normalised time (the drift, the
    /// entropic and Ito drifts and the noise variance alike), 1 otherwise. At N = inf Lemma 1's
    /// quantities are already the normalised limits.
    public var generatorScale: Double {
        depth.factors.map { timeScale == .depth ? 1 / Double($0) : 1 } ?? 1
    }
}

/// A flow evaluated at one state x: its drift there, and the frame its diffusion (and a retraction
/// of a step taken from x) is read in. A flow fills it (`Flow.evaluate`); everything read later names
/// the evaluation, so nothing depends on which state the flow looked at last. Each evaluation owns
/// its buffers (made once by `Flow.makeEvaluation`), so an integrator can hold several at once, one
/// per stage.
public struct FlowEvaluation {
    /// drift(x). Left unset by the combined form `Flow.evaluate(at:dt:noise:into:increment:)`.
    public var drift: FlowState
    /// What the flow keeps of x beyond the drift (the SVD frame downstairs, the balanced coordinates of
    /// rle-upstairs, the eigenframe of dyson, the prefix products upstairs); the flow's own type.
    public let frame: AnyObject?

    public init(drift: FlowState, frame: AnyObject?) {
        self.drift = drift
        self.frame = frame
    }
}

/// A stochastic vector field dx = drift(x) dt + diffusion(x) dB: what is integrated, knowing
/// nothing of how it is stepped (Diffrax's terms; the schemes are `Integrator`s). Flows own their
/// configuration and caches, evaluations own the values at a state, so a step allocates nothing;
/// an instance belongs to one thread at a time.
public protocol Flow: AnyObject {
    var kind: FlowKind { get }
    var knobs: FlowKnobs { get set }
    /// An evaluation buffer for states shaped like x (allocates: once per integrator stage).
    func makeEvaluation(like x: FlowState) -> FlowEvaluation
    /// e := the flow at x: e.drift = drift(x), and e.frame what diffusion and retraction at x read.
    func evaluate(at x: FlowState, into e: inout FlowEvaluation) throws(StepError)
    /// Whether `diffusion` contributes at the current knobs (beta finite, kappa > 0, ...).
    var hasDiffusion: Bool { get }
    /// v = sigma(x) dB for x the state e was evaluated at and a Wiener increment dB whose entries are N(0, dt).
    func diffusion(_ e: FlowEvaluation, increment dB: FlowState, into v: inout FlowState)
    /// Evaluates at x (e then describes x for `retract`) and forms v = drift(x) dt + sigma(x) dB: the
    /// drift and diffusion terms applied to the control (dt, dB) together (Diffrax's `vf_prod` of a
    /// multi-term). The default forms the two apart; a flow that can form the sum for less overrides it.
    func evaluate(at x: FlowState, dt: Double, noise dB: FlowState, into e: inout FlowEvaluation,
                  increment v: inout FlowState) throws(StepError)
    /// Maps y, a provisional step taken from the state e was evaluated at, back onto the flow's
    /// manifold; the identity (the default) for flows on a vector space. The integrator decides when.
    func retract(_ y: inout FlowState, from e: FlowEvaluation) throws(StepError)
    /// Whether the state is the N factors (the upstairs flows, and the riemannian flow stepped in its
    /// balanced factors): their balance is observed and an N edit refactorises W.
    var stepsFactors: Bool { get }
    /// The end-to-end matrix of a state.
    func endToEnd(_ x: FlowState, into w: inout Matrix)
    /// The state for an end-to-end W at the current depth (used to start and to change N).
    func state(for w: Matrix) throws(StepError) -> FlowState
    /// The observables of x when they are not those of its end-to-end W (Dyson: eigenvalues, not
    /// singular values); nil, the default, lets `Simulation` read them off W.
    func observation(of x: FlowState, rankTolerance: Double, step: Int, time: Double)
        throws(LinearAlgebraError) -> Observation?
}

extension Flow {
    public func evaluate(at x: FlowState, dt: Double, noise dB: FlowState, into e: inout FlowEvaluation,
                         increment v: inout FlowState) throws(StepError) {
        try evaluate(at: x, into: &e)
        diffusion(e, increment: dB, into: &v)
        // noise + dt drift, in one pass over the noise.
        for p in 0..<v.parts.count { v.parts[p].add(e.drift.parts[p], scaledBy: dt) }
    }

    public func retract(_ y: inout FlowState, from e: FlowEvaluation) throws(StepError) {}
    public func observation(of x: FlowState, rankTolerance: Double, step: Int, time: Double)
        throws(LinearAlgebraError) -> Observation? { nil }
    public var isUpstairs: Bool { kind.isUpstairs }
    public var stepsFactors: Bool { kind.isUpstairs }

    /// drift(x) in a fresh evaluation (allocates: for tests and one-off uses, not for stepping).
    public func drift(at x: FlowState) throws(StepError) -> FlowState {
        var e = makeEvaluation(like: x)
        try evaluate(at: x, into: &e)
        return e.drift
    }

    /// A fresh evaluation at x (allocates).
    public func evaluation(at x: FlowState) throws(StepError) -> FlowEvaluation {
        var e = makeEvaluation(like: x)
        try evaluate(at: x, into: &e)
        return e
    }
}

/// Why a step was refused; the state is then unchanged.
public enum StepError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A quantity became NaN or infinite: which one.
    case nonFinite(quantity: String)
    /// The state grew `StepCheck.jumpFactor`-fold in one step, or past `divergenceBound` where
    /// observables would overflow.
    case diverged(quantity: String)
    case linearAlgebra(LinearAlgebraError)
    /// An adaptive integrator's step size fell below its floor at time t: the flow is too stiff or
    /// singular there for the tolerances asked.
    case stepSizeCollapsed(time: Double, size: Double)

    public var description: String {
        switch self {
        case .nonFinite(let q): return "\(q) became non-finite"
        case .diverged(let q): return "\(q) diverged (grew \(Int(StepCheck.jumpFactor))-fold in one step, or past \(StepCheck.divergenceBound))"
        case .linearAlgebra(let e): return e.description
        case .stepSizeCollapsed(let t, let h):
            return "the adaptive step size collapsed to \(NumberFormat.g17(h)) at t = \(NumberFormat.g17(t)) (below the floor \(NumberFormat.g17(StepSizeController.floor(at: t))))"
        }
    }
}
