import Foundation

/// Dyson Brownian motion as an ordinary `Flow` (`--flow dyson`): the Hermitian lift (11.4) under the
/// confining loss L(M) = |eig(M)|^2 / 2 = Tr(M^2) / 2,
///     dM = -grad L(M) dt + a P_M dH + b P_M^perp dH,   a = 1, b = sqrt(2/beta),
/// whose eigenvalues are Dyson Brownian motion (11.1) at the random-matrix beta (Theorem 15(a)); at
/// beta = inf, b = 0 and only the tangential noise is left: motion by mean curvature (Theorem 15(b)),
/// so the flow always has a diffusion. kappa does not enter (11.4).
///
/// The state is M as two real d x d parts [Re M, Im M] (Re symmetric, Im antisymmetric). The depth N
/// and the time scale have no meaning here and are ignored, so every N (inf included) is valid and
/// changing it moves nothing. The energy the run was built with is not used: the eigenvalue loss
/// replaces it, and `observation` reports the eigenvalues' own observables.
///
/// The tests' reference integrator (`DysonLift`, in their support folder) steps the same equation
/// on its own; this class cuts it into drift, diffusion and
/// retraction for `EulerMaruyama`, which draws the real Gaussian increments. An evaluation's frame
/// is the eigendecomposition of its own M.
public final class DysonFlow: Flow {
    public let kind = FlowKind.dyson
    public var knobs: FlowKnobs
    public let size: Int
    public let loss = EigenvalueLoss.confining(strength: 1)

    private let eigen: HermitianEigen
    private var m: ComplexMatrix
    private var dH: ComplexMatrix
    private var product: ComplexMatrix
    private var rotated: ComplexMatrix
    private var result: ComplexMatrix

    public init(size d: Int, knobs: FlowKnobs) {
        size = d
        self.knobs = knobs
        eigen = HermitianEigen(size: d)
        m = ComplexMatrix(size: d)
        dH = m; product = m; rotated = m; result = m
    }

    /// (11.4)'s amplitudes at the current beta: a = 1, b = sqrt(2/beta) (0 at beta = inf).
    public var amplitudes: DysonAmplitudes { .dyson(beta: knobs.beta) }

    /// Tangential noise is present at every beta.
    public var hasDiffusion: Bool { kind.hasDiffusion(beta: knobs.beta, kappa: knobs.kappa) }

    public func makeEvaluation(like x: FlowState) -> FlowEvaluation {
        FlowEvaluation(drift: FlowState(zerosLike: x), frame: HermitianEigen(size: size))
    }

    /// The eigenframe of M: M = U diag(x) U^*, x ascending, kept as U^* in the evaluation; then the
    /// drift -grad L(M) = -U diag(E'(x)) U^* (section 11.1).
    public func evaluate(at x: FlowState, into e: inout FlowEvaluation) throws(StepError) {
        let frame = unsafeDowncast(e.frame!, to: HermitianEigen.self)
        load(x)
        do { try frame.decompose(m) } catch { throw .linearAlgebra(error) }
        let n = size
        for k in 0..<rotated.storage.count { rotated.storage[k] = 0 }
        for i in 0..<n { rotated[i, i] = (-loss.derivative(at: frame.values[i]), 0) }
        fromEigenframe(frame, into: &e.drift)
    }

    /// a P_M dH + b P_M^perp dH, dH the standard Wiener increment on (Her_d, Tr(M^* M)) built from the
    /// integrator's two real N(0, dt) matrices R, I: dH_ii = R_ii, dH_ij = (R_ij + i I_ij)/sqrt 2 for
    /// i < j, dH_ji = conj(dH_ij). Then every coordinate in the orthonormal basis E_ii,
    /// (E_ij + E_ji)/sqrt 2, i (E_ij - E_ji)/sqrt 2 is N(0, dt), as `HermitianWiener` draws it; the
    /// lower triangle of R and the diagonal and lower triangle of I go unused. In the eigenframe
    /// G = U^* dH U, P_M^perp keeps the diagonal (matrices commuting with M) and P_M the rest.
    public func diffusion(_ e: FlowEvaluation, increment dB: FlowState, into v: inout FlowState) {
        let frame = unsafeDowncast(e.frame!, to: HermitianEigen.self)
        let n = size
        let r = dB.parts[0], im = dB.parts[1]
        let c = 0.5.squareRoot()
        for i in 0..<n {
            dH[i, i] = (r[i, i], 0)
            for j in (i + 1)..<n {
                let re = c * r[i, j], ii = c * im[i, j]
                dH[i, j] = (re, ii)
                dH[j, i] = (re, -ii)
            }
        }
        let a = amplitudes.tangential, b = amplitudes.normal
        ComplexBLAS.gemm(frame.adjointFrame, dH, into: &product)
        ComplexBLAS.gemm(product, frame.adjointFrame, adjointB: true, into: &rotated)
        rotated.storage.withUnsafeMutableBufferPointer { g in
            for i in 0..<n {
                for j in 0..<n where j != i {
                    g[2 * (i * n + j)] *= a
                    g[2 * (i * n + j) + 1] *= a
                }
                g[2 * (i * n + i)] *= b
                g[2 * (i * n + i) + 1] = 0
            }
        }
        fromEigenframe(frame, into: &v)
    }

    /// Re-Hermitises: Re M symmetric, Im M antisymmetric (so its diagonal is 0), removing the
    /// round-off the frame products leave.
    public func retract(_ x: inout FlowState, from e: FlowEvaluation) throws(StepError) {
        let n = size
        for i in 0..<n {
            x.parts[1][i, i] = 0
            for j in (i + 1)..<n {
                let re = 0.5 * (x.parts[0][i, j] + x.parts[0][j, i])
                let im = 0.5 * (x.parts[1][i, j] - x.parts[1][j, i])
                x.parts[0][i, j] = re; x.parts[0][j, i] = re
                x.parts[1][i, j] = im; x.parts[1][j, i] = -im
            }
        }
    }

    /// Re M: what the W panel shows and what another flow starts from after `f`. The imaginary part
    /// is not shown; the eigenvalues are in the observation.
    public func endToEnd(_ x: FlowState, into w: inout Matrix) {
        w.copy(from: x.parts[0])
    }

    /// M = (W + W^T)/2, a real symmetric start (Im M = 0).
    public func state(for w: Matrix) throws(StepError) -> FlowState {
        precondition(w.isSquare && w.rows == size, "dyson: a d x d start")
        guard w.isFinite else { throw .nonFinite(quantity: "W") }
        return FlowState(parts: [0.5 * (w + w.transposed), .zeros(size)])
    }

    /// The eigenvalues' observables: sigma = eigenvalues of M descending (signed); S = 2 log van(x)
    /// (11.5) without C_d, -inf at a collision; E = |x|^2/2; F = E - (a^2/2) S, the free energy whose
    /// gradient the eigenvalue drift is (a^2/2 = 1/2 at every beta, beta = inf included: the
    /// tangential noise's Ito drift is the repulsion); the ranks read |x|, the numerical rank
    /// counting |x_k| > rankTolerance max |x| (there is no target to set a scale); no balance defect.
    public func observation(of x: FlowState, rankTolerance: Double, step: Int, time: Double)
        throws(LinearAlgebraError) -> Observation?
    {
        load(x)
        try eigen.decompose(m)
        let sigma = Array(eigen.values.reversed())
        let e = loss.value(sigma)
        let s = OrbitEntropy.value(sigma)
        let weight = amplitudes.entropyWeight
        let magnitudes = sigma.map { abs($0) }.sorted(by: >)
        return Observation(
            step: step, time: time, energy: e, entropy: s,
            freeEnergy: weight == 0 ? e : e - weight * s,
            effectiveRank: Observables.effectiveRank(magnitudes),
            numericalRank: Observables.numericalRank(magnitudes, tolerance: rankTolerance * (magnitudes.first ?? 0)),
            stableRank: Observables.stableRank(magnitudes),
            balanceDefect: nil,
            sigma: sigma)
    }

    /// m = Re + i Im from the state's parts.
    private func load(_ x: FlowState) {
        let re = x.parts[0].storage, im = x.parts[1].storage
        m.storage.withUnsafeMutableBufferPointer { p in
            for k in 0..<re.count {
                p[2 * k] = re[k]
                p[2 * k + 1] = im[k]
            }
        }
    }

    /// v = [Re, Im] of U D U^* for D = `rotated`, given in the eigenframe.
    private func fromEigenframe(_ frame: HermitianEigen, into v: inout FlowState) {
        ComplexBLAS.gemm(frame.adjointFrame, adjointA: true, rotated, into: &product)
        ComplexBLAS.gemm(product, frame.adjointFrame, into: &result)
        for k in 0..<v.parts[0].storage.count {
            v.parts[0].storage[k] = result.storage[2 * k]
            v.parts[1].storage[k] = result.storage[2 * k + 1]
        }
    }
}
