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
/// The state is the N factors (`parts[p-1] = W_p`). An evaluation at x holds the coordinates
/// z(Lambda, Q_N, ..., Q_0) (5.15) of x, and a retraction is taken from an evaluation's point. The
/// flow remembers the coordinates of the last state it produced (or projected), so the next
/// evaluation there need not recompute them; a state it did not produce (a start, a change of N) is
/// first mapped to the closest point of its fibre in M, and the step is taken from there.
public final class RLEUpstairsFlow: Flow {
    public let kind = FlowKind.rleUpstairs
    public var knobs: FlowKnobs
    private let energy: any Energy
    private let d: Int
    let orbitSign: Theorem14.OrbitSign

    /// What an evaluation keeps of its state x: x's coordinates on M, and W_bar - W when x had to
    /// be mapped onto M first (a step from x is then taken from W_bar).
    private final class Point {
        var coordinates: BalancedCoordinates
        var offset: [Matrix] = []
        var hasOffset = false
        init(depth n: Int, size d: Int) {
            coordinates = BalancedCoordinates(lambda: [Double](repeating: 0, count: d), frames: (0...n).map { _ in .zeros(d) })
        }
    }

    /// The coordinates of the last state this flow produced or projected (nil before the first evaluation).
    public private(set) var coordinates: BalancedCoordinates?
    /// Q_0 ... Q_N when the gauge reference was last set.
    private var reference: [Matrix] = []
    /// The tuple `coordinates` describes, to recognise it.
    private var described: [Matrix] = []
    /// The buffers the next retraction writes into (nil: a fresh copy).
    private var spare: BalancedCoordinates?

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
    public var hasDiffusion: Bool { kind.hasDiffusion(beta: knobs.beta, kappa: knobs.kappa) }

    /// The gauge's motion: ||Q_p - Q_p(start)||_F for p = 1 ... N-1 (0 to 2 sqrt(d)); the start is the
    /// last state this flow did not produce itself (a start, a change of N), or the last
    /// `resetGaugeReference()`. Empty before the first evaluation.
    public func gaugeDistances() -> [Double] {
        guard let c = coordinates, reference.count == c.frames.count, c.depth >= 2 else { return [] }
        return (1..<c.depth).map { p in (c.frames[p] - reference[p]).frobeniusNorm }
    }

    public func resetGaugeReference() {
        if let c = coordinates { reference = c.frames }
    }

    public func makeEvaluation(like x: FlowState) -> FlowEvaluation {
        FlowEvaluation(drift: FlowState(zerosLike: x), frame: Point(depth: x.parts.count, size: d))
    }

    @inline(__always)
    private func point(_ e: FlowEvaluation) -> Point { unsafeDowncast(e.frame!, to: Point.self) }

    /// x's coordinates (remembered, or projected onto M), then the drift there.
    public func evaluate(at x: FlowState, into e: inout FlowEvaluation) throws(StepError) {
        let n = x.parts.count
        let here = point(e)
        here.hasOffset = false
        if coordinates?.depth != n || described != x.parts {
            let c: BalancedCoordinates
            do { c = try BalancedCoordinates.projecting(x.parts) } catch { throw .linearAlgebra(error) }
            coordinates = c
            spare = nil
            reference = c.frames
            described = c.factors()
            here.offset = (0..<n).map { described[$0] - x.parts[$0] }
            here.hasOffset = true
            body = (0..<n).map { _ in .zeros(d) }
            bodyNoise = body
            powers = [Double](repeating: 0, count: n * d)
        }
        let memo = coordinates!
        if here.coordinates.depth != n { here.coordinates = Point(depth: n, size: d).coordinates }
        for i in 0..<d { here.coordinates.lambda[i] = memo.lambda[i] }
        for p in 0...n { here.coordinates.frames[p].copy(from: memo.frames[p]) }
        // W and E'(W) from the described tuple, then G = Q_N^T E'(W) Q_0.
        endToEndBuffer.copy(from: described[0])
        for p in 1..<n {
            BLAS.gemm(described[p], endToEndBuffer, into: &temp)
            endToEndBuffer.copy(from: temp)
        }
        energy.gradient(endToEndBuffer, into: &gradient)
        BLAS.gemm(memo.frames[n], transposeA: true, gradient, into: &temp)
        BLAS.gemm(temp, memo.frames[0], into: &bodyGradient)
        drift(memo, into: &e.drift)
    }

    /// -grad L = -A_{s+1}^T E'(W) B_{s-1}^T (3.6) = Q_s (-Lambda^(N-s) G Lambda^(s-1)) Q_{s-1}^T on M.
    private func drift(_ c: BalancedCoordinates, into v: inout FlowState) {
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

    public func diffusion(_ e: FlowEvaluation, increment dB: FlowState, into v: inout FlowState) {
        let c = point(e).coordinates
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

    /// The fibre retraction (`FibreRetraction`) in the body frame of e's point; the result's
    /// coordinates are remembered for the next evaluation.
    public func retract(_ y: inout FlowState, from e: FlowEvaluation) throws(StepError) {
        let here = point(e)
        let c = here.coordinates
        let n = c.depth
        // `next` must own its buffers before they are written, or each write copies them.
        var next = spare ?? c
        spare = nil
        if here.hasOffset { for p in 0..<n { y.parts[p].add(here.offset[p]) } }
        for s in 1...n {
            BLAS.gemm(c.frames[s], transposeA: true, y.parts[s - 1], into: &temp)
            BLAS.gemm(temp, c.frames[s - 1], into: &body[s - 1])
        }
        for i in 0..<d { next.lambda[i] = c.lambda[i] }
        for p in 0...n { next.frames[p].copy(from: c.frames[p]) }
        do { try retraction.retract(&next, body: body) } catch {
            spare = next
            throw .linearAlgebra(error)
        }
        next.writeFactors(into: &y.parts, scratch: &temp)
        for p in 0..<n where !y.parts[p].isFinite {
            spare = next
            throw .nonFinite(quantity: "factor W_\(p + 1)")
        }
        spare = coordinates
        coordinates = next
        for p in 0..<n { described[p].copy(from: y.parts[p]) }
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
            return FlowState(parts: try Initialization.balancedFactorisation(w, depth: knobs.depth.storedFactors))
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
