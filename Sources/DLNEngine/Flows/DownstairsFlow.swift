/// The flows of the end-to-end matrix on the balanced manifold's image, all read in Lemma 1's frame:
///
///   dW = U [ -C o (U^T E'(W) V) + diag(a Sigma' + b Sigma'') ] V^T dt + c U (sqrt(C) o dB) V^T
///
/// - riemannian (4.11): a = b = c = 0;
/// - free-energy descent of F_beta = E - S/beta (6.7, 12.13): a = 1/beta;
/// - Riemannian Langevin (12.12, Theorem 18): a = 1/beta, b = kappa/beta, c = sqrt(2 kappa/beta).
/// Theorem 18 prints the noise without U ... V^T; it lives in the frame, so the frame is applied.
public final class DownstairsFlow: Flow {
    public let kind: FlowKind
    @exclusivity(unchecked) public var knobs: FlowKnobs
    private let energy: any Energy
    /// The frame of the first evaluation made (the one a step's start is evaluated in); every further
    /// evaluation (an integrator's later stages) gets a frame of its own.
    public let frame: SpectralFrame
    private var framesHandedOut = 0
    /// The frame updated last: a later stage's frame tracks from it (the stage points of a step lie
    /// within one step of each other, where the frame's own previous point is a whole step back: under
    /// dopri5 at d = 12 that took the sweeps to 77% of the run's instructions).
    @exclusivity(unchecked) private var lastFrame: SpectralFrame?
    // Buffers of one thread's steps: no dynamic exclusivity checks (~40% of a 2 x 2 riemannian step's
    // instructions went to them, callgrind).
    @exclusivity(unchecked) private var gradient: Matrix
    @exclusivity(unchecked) private var coords: Matrix
    @exclusivity(unchecked) private var force: [Double]
    @exclusivity(unchecked) private var ito: [Double]
    @exclusivity(unchecked) private var logSigma: [Double]

    init(kind: FlowKind, energy: any Energy, knobs: FlowKnobs) {
        self.kind = kind
        self.energy = energy
        self.knobs = knobs
        let d = energy.size
        frame = SpectralFrame(size: d)
        gradient = .zeros(d)
        coords = .zeros(d)
        force = [Double](repeating: 0, count: d)
        ito = force
        logSigma = force
    }

    public static func riemannian(energy: any Energy, knobs: FlowKnobs) -> DownstairsFlow {
        DownstairsFlow(kind: .riemannian, energy: energy, knobs: knobs)
    }
    public static func freeEnergy(energy: any Energy, knobs: FlowKnobs) -> DownstairsFlow {
        DownstairsFlow(kind: .freeEnergy, energy: energy, knobs: knobs)
    }
    public static func langevin(energy: any Energy, knobs: FlowKnobs) -> DownstairsFlow {
        DownstairsFlow(kind: .langevin, energy: energy, knobs: knobs)
    }

    /// Weight of the entropic force U Sigma' V^T.
    var entropyWeight: Double {
        kind == .riemannian || knobs.beta.isInfinite ? 0 : knobs.generatorScale / knobs.beta
    }
    /// Weight of the Ito drift U Sigma'' V^T.
    var itoWeight: Double {
        kind == .langevin && knobs.beta.isFinite ? knobs.generatorScale * knobs.kappa / knobs.beta : 0
    }

    public var hasDiffusion: Bool { kind.hasDiffusion(beta: knobs.beta, kappa: knobs.kappa) }

    /// The evaluation's frame is a `SpectralFrame` of its own: drift and diffusion at x are both read in it.
    public func makeEvaluation(like x: FlowState) -> FlowEvaluation {
        framesHandedOut += 1
        let f = framesHandedOut == 1 ? frame : SpectralFrame(size: frame.size, tracking: frame.isTracking)
        return FlowEvaluation(drift: FlowState(zerosLike: x), frame: f)
    }

    @inline(__always)
    private func spectralFrame(_ e: FlowEvaluation) -> SpectralFrame { unsafeDowncast(e.frame!, to: SpectralFrame.self) }

    /// Lemma 1's frame at W and E'(W).
    private func prepare(_ x: FlowState, _ frame: SpectralFrame) throws(StepError) {
        do {
            if let last = lastFrame, last !== frame { frame.warmStart(from: last) }
            try frame.update(x.parts[0], depth: knobs.depth)
            lastFrame = frame
        } catch {
            throw .linearAlgebra(error)
        }
        energy.gradient(x.parts[0], into: &gradient)
    }

    public func evaluate(at x: FlowState, into e: inout FlowEvaluation) throws(StepError) {
        let frame = spectralFrame(e)
        try prepare(x, frame)
        driftCoordinates(frame)
        frame.synthesize(coords, into: &e.drift.parts[0])
    }

    /// coords = U^T drift V: -C o (U^T E'(W) V) + diag(a Sigma' + b Sigma''), E'(W) in `gradient`.
    private func driftCoordinates(_ frame: SpectralFrame) {
        frame.coordinates(of: gradient, into: &coords)
        let c = frame.eigenvalues
        let g = -knobs.generatorScale
        for k in 0..<coords.storage.count { coords.storage[k] *= g * c.storage[k] }
        let a = entropyWeight, b = itoWeight
        if a != 0 || b != 0 {
            let d = frame.size
            if a != 0 { Lemma1.entropyForce(frame.sigma, depth: knobs.depth, logs: &logSigma, into: &force) }
            if b != 0 { Lemma1.itoDrift(frame.sigma, depth: knobs.depth, into: &ito) }
            for k in 0..<d {
                coords[k, k] += (a != 0 ? a * force[k] : 0) + (b != 0 ? b * ito[k] : 0)
            }
        }
    }

    /// Both terms live in the frame: U (dt M + c sqrt(C) o dB) V^T is one synthesis (two products)
    /// where drift and diffusion apart take two each; at d = 256 the two saved were ~6% of a step.
    public func evaluate(at x: FlowState, dt: Double, noise dB: FlowState, into e: inout FlowEvaluation,
                         increment v: inout FlowState) throws(StepError) {
        let frame = spectralFrame(e)
        try prepare(x, frame)
        driftCoordinates(frame)
        let scale = noiseScale
        let c = frame.eigenvalues
        for k in 0..<coords.storage.count {
            coords.storage[k] = dt * coords.storage[k] + scale * c.storage[k].squareRoot() * dB.parts[0].storage[k]
        }
        frame.synthesize(coords, into: &v.parts[0])
    }

    /// c = sqrt(2 kappa / beta) (times the time scale's generator factor).
    private var noiseScale: Double { (2 * knobs.kappa * knobs.generatorScale / knobs.beta).squareRoot() }

    public func diffusion(_ e: FlowEvaluation, increment dB: FlowState, into v: inout FlowState) {
        let frame = spectralFrame(e)
        let scale = noiseScale
        let c = frame.eigenvalues
        for k in 0..<coords.storage.count {
            coords.storage[k] = scale * c.storage[k].squareRoot() * dB.parts[0].storage[k]
        }
        frame.synthesize(coords, into: &v.parts[0])
    }

    public func endToEnd(_ x: FlowState, into w: inout Matrix) { w.copy(from: x.parts[0]) }

    public func state(for w: Matrix) throws(StepError) -> FlowState { FlowState(parts: [w]) }
}
