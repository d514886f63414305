import Foundation

/// The Riemannian Langevin equation upstairs (12.11) on the balanced manifold M with its Frobenius
/// metric: dW = -grad L dt + dM^{beta,kappa}, noise along the group orbit O_W at temperature 1/beta
/// and normal to it at kappa/beta (12.1-12.3). Read through its generator (12.2),
///   Lf = -<grad L, grad f> + (1/beta)(Delta_O f + kappa Delta_perp f),
/// with Hessian traces over the two subspaces, which pushes down to the downstairs RLE (12.12) for
/// every kappa (MATH.md 2.5). The scheme realising it: a random walk in T_W M,
///   Y = W - dt grad L + sqrt(2/beta) (P_O dB + sqrt(kappa) P_perp dB),
/// mapped back to M keeping phi(Y) = Y_N ... Y_1 and taking the closest point of that fibre
/// (`FibreRetraction`), a second-order retraction. The state stays on M to round-off.
///
/// The state is the N factors (`parts[p-1] = W_p`); the flow keeps their coordinates
/// z(Lambda, Q_N, ..., Q_0) (5.15) as a cache, checked against the state at every `prepare`. A state it
/// did not produce (a start, a change of N) is first mapped to the closest point of its fibre in M,
/// and the step is taken from there.
public final class RLEUpstairsFlow: Flow {
    public let kind = FlowKind.rleUpstairs
    public var knobs: FlowKnobs
    private let energy: any Energy
    private let d: Int
    let orbitSign: Theorem14.OrbitSign

    /// The coordinates of the current state (nil before the first `prepare`).
    public private(set) var coordinates: BalancedCoordinates?
    /// Q_0 ... Q_N when the gauge reference was last set.
    private var reference: [Matrix] = []
    /// The tuple `coordinates` describes, to recognise it.
    private var described: [Matrix] = []
    /// W_bar - W when the last `prepare` had to map the state onto M, else empty.
    private var offset: [Matrix] = []
    private var pending: BalancedCoordinates?

    private let retraction: FibreRetraction
    private let projection: AnisotropicProjection
    private var endToEndBuffer: Matrix
    private var gradient: Matrix
    private var bodyGradient: Matrix
    private var temp: Matrix
    private var temp2: Matrix
    private var body: [Matrix] = []
    private var bodyNoise: [Matrix] = []
    private var powers: [Double] = []

    public convenience init(energy: any Energy, knobs: FlowKnobs) {
        self.init(energy: energy, knobs: knobs, orbitSign: .corrected)
    }

    /// `orbitSign: .printed` uses (8.21) as printed: a wrong process, kept for the law test's control.
    init(energy: any Energy, knobs: FlowKnobs, orbitSign: Theorem14.OrbitSign) {
        self.energy = energy
        self.knobs = knobs
        self.orbitSign = orbitSign
        d = energy.size
        retraction = FibreRetraction(size: d)
        projection = AnisotropicProjection(size: d, sign: orbitSign)
        endToEndBuffer = .zeros(d)
        gradient = .zeros(d)
        bodyGradient = .zeros(d)
        temp = .zeros(d)
        temp2 = .zeros(d)
    }

    /// The orbit noise (temperature 1/beta) is present whenever beta is finite, even at kappa = 0.
    public var hasDiffusion: Bool { knobs.beta.isFinite }

    /// Newton steps and Procrustes sweeps used by the last retraction (diagnostics).
    public var lastNewtonSteps: Int { retraction.lastNewtonSteps }
    public var lastSweepCount: Int { retraction.lastSweepCount }

    /// The gauge's motion: ||Q_p - Q_p(start)||_F for p = 1 ... N-1 (0 to 2 sqrt(d)); the start is the
    /// last state this flow did not produce itself (a start, a change of N), or the last
    /// `resetGaugeReference()`. Empty before the first `prepare`.
    public func gaugeDistances() -> [Double] {
        guard let c = coordinates, reference.count == c.frames.count, c.depth >= 2 else { return [] }
        return (1..<c.depth).map { p in (c.frames[p] - reference[p]).frobeniusNorm }
    }

    public func resetGaugeReference() {
        if let c = coordinates { reference = c.frames }
    }

    public func prepare(at x: FlowState) throws(StepError) {
        let n = x.parts.count
        offset.removeAll(keepingCapacity: true)
        if coordinates?.depth != n || described != x.parts {
            let c: BalancedCoordinates
            do { c = try BalancedCoordinates.projecting(x.parts) } catch { throw .linearAlgebra(error) }
            coordinates = c
            pending = c
            reference = c.frames
            described = c.factors()
            offset = (0..<n).map { described[$0] - x.parts[$0] }
            body = (0..<n).map { _ in .zeros(d) }
            bodyNoise = body
            powers = [Double](repeating: 0, count: n * d)
        }
        // W and E'(W) from the described tuple, then G = Q_N^T E'(W) Q_0.
        endToEndBuffer.copy(from: described[0])
        for p in 1..<n {
            BLAS.gemm(described[p], endToEndBuffer, into: &temp)
            endToEndBuffer.copy(from: temp)
        }
        energy.gradient(endToEndBuffer, into: &gradient)
        let c = coordinates!
        BLAS.gemm(c.frames[n], transposeA: true, gradient, into: &temp)
        BLAS.gemm(temp, c.frames[0], into: &bodyGradient)
    }

    /// -grad L = -A_{s+1}^T E'(W) B_{s-1}^T (3.6) = Q_s (-Lambda^(N-s) G Lambda^(s-1)) Q_{s-1}^T on M.
    public func drift(at x: FlowState, into v: inout FlowState) {
        let c = coordinates!
        let n = c.depth
        // powers[j * d + i] = lambda_i^j, j = 0 ... N-1.
        for i in 0..<d { powers[i] = 1 }
        for j in 1..<max(n, 1) { for i in 0..<d { powers[j * d + i] = powers[(j - 1) * d + i] * c.lambda[i] } }
        let g = knobs.generatorScale  // 1/N under depth-normalised time
        for s in 1...n {
            for i in 0..<d {
                let left = -g * powers[(n - s) * d + i]
                for j in 0..<d {
                    temp.storage[i * d + j] = left * bodyGradient.storage[i * d + j] * powers[(s - 1) * d + j]
                }
            }
            toAmbient(temp, layer: s, c, into: &v.parts[s - 1])
        }
    }

    public func diffusion(at x: FlowState, increment dB: FlowState, into v: inout FlowState) {
        let c = coordinates!
        let n = c.depth
        for s in 1...n {
            BLAS.gemm(c.frames[s], transposeA: true, dB.parts[s - 1], into: &temp)
            BLAS.gemm(temp, c.frames[s - 1], into: &body[s - 1])
        }
        let orbit = (2 * knobs.generatorScale / knobs.beta).squareRoot()
        let normal = (2 * knobs.kappa * knobs.generatorScale / knobs.beta).squareRoot()
        projection.apply(body, lambda: c.lambda, orbitScale: orbit, normalScale: normal, into: &bodyNoise)
        for s in 1...n { toAmbient(bodyNoise[s - 1], layer: s, c, into: &v.parts[s - 1]) }
    }

    public func retract(_ x: inout FlowState) throws(StepError) {
        guard var next = pending, let c = coordinates else { return }
        // `next` must own its buffers before they are written, or each write copies them.
        pending = nil
        let n = c.depth
        if !offset.isEmpty { for p in 0..<n { x.parts[p].add(offset[p]) } }
        for s in 1...n {
            BLAS.gemm(c.frames[s], transposeA: true, x.parts[s - 1], into: &temp)
            BLAS.gemm(temp, c.frames[s - 1], into: &body[s - 1])
        }
        for i in 0..<d { next.lambda[i] = c.lambda[i] }
        for p in 0...n { next.frames[p].copy(from: c.frames[p]) }
        do { try retraction.retract(&next, body: body) } catch {
            pending = next
            throw .linearAlgebra(error)
        }
        next.writeFactors(into: &x.parts, scratch: &temp)
        for p in 0..<n where !x.parts[p].isFinite {
            pending = next
            throw .nonFinite(quantity: "factor W_\(p + 1)")
        }
        pending = coordinates
        coordinates = next
        for p in 0..<n { described[p].copy(from: x.parts[p]) }
    }

    public func endToEnd(_ x: FlowState, into w: inout Matrix) {
        w.copy(from: x.parts[0])
        for p in 1..<max(x.parts.count, 1) {
            BLAS.gemm(x.parts[p], w, into: &temp2)
            w.copy(from: temp2)
        }
    }

    /// The balanced factorisation (5.16) of w at the current depth.
    public func state(for w: Matrix) throws(StepError) -> FlowState {
        do {
            return FlowState(parts: try Initialization.balancedFactorisation(w, depth: knobs.depth))
        } catch {
            throw .linearAlgebra(error)
        }
    }

    /// out = Q_s X Q_{s-1}^T.
    private func toAmbient(_ x: Matrix, layer s: Int, _ c: BalancedCoordinates, into out: inout Matrix) {
        BLAS.gemm(c.frames[s], x, into: &temp2)
        BLAS.gemm(temp2, c.frames[s - 1], transposeB: true, into: &out)
    }
}
