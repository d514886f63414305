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
    public var depth: Int
    public var beta: Double
    public var kappa: Double
    public var timeScale: TimeScale

    public init(depth: Int, beta: Double, kappa: Double, timeScale: TimeScale = .plain) {
        self.depth = depth
        self.beta = beta
        self.kappa = kappa
        self.timeScale = timeScale
    }

    public var isInfiniteDepth: Bool { depth == Lemma1.infiniteDepth }

    /// The factor the generator is multiplied by: 1/N under depth-normalised time (the drift, the
    /// entropic and Ito drifts and the noise variance alike), 1 otherwise. At N = inf Lemma 1's
    /// quantities are already the normalised limits.
    public var generatorScale: Double {
        timeScale == .depth && !isInfiniteDepth ? 1 / Double(depth) : 1
    }
}

/// A stochastic vector field dx = drift(x) dt + diffusion(x) dB: what is integrated, knowing
/// nothing of how it is stepped (Diffrax's terms). Flows own their workspaces, so a step
/// allocates nothing; an instance belongs to one thread at a time.
public protocol Flow: AnyObject {
    var kind: FlowKind { get }
    var knobs: FlowKnobs { get set }
    /// Computes what drift and diffusion share at x (for the downstairs flows, the SVD frame).
    func prepare(at x: FlowState) throws(StepError)
    func drift(at x: FlowState, into v: inout FlowState)
    /// Whether `diffusion` contributes at the current knobs (beta finite, kappa > 0, ...).
    var hasDiffusion: Bool { get }
    /// v = sigma(x) dB for a Wiener increment dB whose entries are N(0, dt).
    func diffusion(at x: FlowState, increment dB: FlowState, into v: inout FlowState)
    /// v = drift(x) dt + sigma(x) dB, what an Euler-Maruyama step adds (Diffrax's `vf_prod` of a
    /// drift and a diffusion term). The default forms the two terms apart (`scratch` holds the
    /// second); a flow that can form the sum for less overrides it.
    func increment(at x: FlowState, dt: Double, noise dB: FlowState, into v: inout FlowState, scratch: inout FlowState)
    /// Maps a provisional step back onto the flow's manifold; the identity for flows on a vector space.
    func retract(_ x: inout FlowState) throws(StepError)
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
    public func increment(at x: FlowState, dt: Double, noise dB: FlowState, into v: inout FlowState, scratch: inout FlowState) {
        drift(at: x, into: &v)
        diffusion(at: x, increment: dB, into: &scratch)
        // noise + dt drift in one pass over the noise, then the two buffers trade places.
        for p in 0..<v.parts.count { scratch.parts[p].add(v.parts[p], scaledBy: dt) }
        swap(&v, &scratch)
    }

    public func retract(_ x: inout FlowState) throws(StepError) {}
    public func observation(of x: FlowState, rankTolerance: Double, step: Int, time: Double)
        throws(LinearAlgebraError) -> Observation? { nil }
    public var isUpstairs: Bool { kind.isUpstairs }
}

/// Why a step was refused; the state is then unchanged.
public enum StepError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A quantity became NaN or infinite: which one.
    case nonFinite(quantity: String)
    /// The state grew `EulerMaruyama.jumpFactor`-fold in one step, or past `divergenceBound` where
    /// observables would overflow.
    case diverged(quantity: String)
    case linearAlgebra(LinearAlgebraError)

    public var description: String {
        switch self {
        case .nonFinite(let q): return "\(q) became non-finite"
        case .diverged(let q): return "\(q) diverged (grew \(Int(EulerMaruyama.jumpFactor))-fold in one step, or past \(EulerMaruyama.divergenceBound))"
        case .linearAlgebra(let e): return e.description
        }
    }
}
