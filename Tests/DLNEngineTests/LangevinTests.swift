import Foundation
import Testing
@testable import DLNEngine

/// The downstairs flows beyond the plain Riemannian one: free-energy descent (6.7, 12.13) and the
/// Riemannian Langevin equation (12.12, Theorem 18).
@Suite("Free energy and Langevin")
struct LangevinTests {
    private func drift(_ flow: DownstairsFlow, at w: Matrix) throws -> Matrix {
        let x = FlowState(parts: [w])
        let v = try flow.drift(at: x)
        return v.parts[0]
    }

    private func singularValues(_ w: Matrix) throws -> [Double] {
        try symmetricEigen(Ref.mul(Ref.transpose(w), w)).values.map { max($0, 0).squareRoot() }.sorted(by: >)
    }

    private func completion(size d: Int, rng: inout Xoshiro256) -> CompletionEnergy {
        var mask = Matrix.zeros(d)
        for k in 0..<mask.count { mask.storage[k] = rng.uniform() < 0.6 ? 1 : 0 }
        return CompletionEnergy(target: Ref.gaussian(d, rng: &rng), mask: mask)
    }

    @Test("free-energy drift = -A(FD gradient of F = E - S/beta)", arguments: [2, 3, 5])
    func freeEnergyDriftIsMinusRiemannianGradient(depth n: Int) throws {
        var rng = Xoshiro256(seed: 1400 + UInt64(n))
        let d = 3
        let energy = completion(size: d, rng: &rng)
        let beta = 3.0
        let w = Ref.withSingularValues([1.4, 0.9, 0.35], rng: &rng)
        let f: (Matrix) -> Double = { m in
            energy.value(m) - (try! Ref.theorem10Entropy(singularValues(m), depth: n)) / beta
        }
        let expected = -1 * (try Ref.operatorA(w, depth: n)(Ref.gradient(f, at: w)))
        let flow = DownstairsFlow.freeEnergy(energy: energy, knobs: FlowKnobs(depth: .finite(n), beta: beta, kappa: 0))
        let err = Ref.relativeError(try drift(flow, at: w), expected)
        #expect(err < 1e-7, "N=\(n): \(err)")
        // The entropic part is a real contribution here, not a rounding error.
        let plain = try drift(DownstairsFlow.riemannian(energy: energy, knobs: flow.knobs), at: w)
        #expect(Ref.relativeError(plain, expected) > 1e-3)
    }

    @Test("Langevin drift = free-energy drift + (kappa/beta) U Sigma'' V^T")
    func langevinDrift() throws {
        var rng = Xoshiro256(seed: 1500)
        let energy = completion(size: 3, rng: &rng)
        let w = Ref.withSingularValues([1.2, 0.5, 0.2], rng: &rng)
        let knobs = FlowKnobs(depth: 3, beta: 4, kappa: 2.5)
        let difference = try drift(DownstairsFlow.langevin(energy: energy, knobs: knobs), at: w)
            - drift(DownstairsFlow.freeEnergy(energy: energy, knobs: knobs), at: w)
        let (u, sigma, vt) = try SVD.of(w)
        let ito = sigma.map { 2.0 * pow($0, 1.0 / 3) }  // (N-1) s^((N-2)/N) at N = 3
        let expected = (2.5 / 4) * Ref.synthesize(u: u, diagonal: ito, vt: vt)
        #expect(Ref.relativeError(difference, expected) < 1e-12)
    }

    /// (12.9) and Theorem 18 say U Sigma'' V^T is the Ito drift of Brownian motion on (M_d, g^N):
    /// the Laplace-Beltrami operator of g^N applied to the coordinate functions W_j,
    /// Delta x^j = |g|^(-1/2) sum_i d_i (|g|^(1/2) g^{ij}), with g^{ij} = A (the inverse metric) and
    /// |g| = 1/det A. Both A and det A come from (4.14) with eigen-based powers; d_i is a central
    /// difference. Nothing of the engine but U, V, sigma and Sigma''.
    @Test("U Sigma'' V^T = Laplace-Beltrami of the coordinates for g^N", arguments: [2, 3, 5], [2, 3])
    func itoDriftIsLaplaceBeltrami(depth n: Int, size d: Int) throws {
        var rng = Xoshiro256(seed: 1600 + UInt64(10 * n + d))
        let s: [Double] = d == 2 ? [1.3, 0.6] : [1.4, 0.8, 0.45]
        let w = Ref.withSingularValues(s, rng: &rng)
        func inverseMetricAndDensity(_ m: Matrix) throws -> (Matrix, Double) {
            let a = Ref.operatorMatrix(size: d, try Ref.operatorA(m, depth: n))
            let logDet = try symmetricEigen(a).values.reduce(0) { $0 + log($1) }
            return (a, exp(-0.5 * logDet))
        }
        let h = 1e-5
        let dim = d * d
        var divergence = [Double](repeating: 0, count: dim)
        for i in 0..<dim {
            var plus = w, minus = w
            plus.storage[i] += h
            minus.storage[i] -= h
            let (ap, rp) = try inverseMetricAndDensity(plus)
            let (am, rm) = try inverseMetricAndDensity(minus)
            for j in 0..<dim { divergence[j] += (rp * ap[i, j] - rm * am[i, j]) / (2 * h) }
        }
        let (_, root) = try inverseMetricAndDensity(w)
        let laplacian = Matrix(rows: d, cols: d, storage: divergence.map { $0 / root })

        let (u, sigma, vt) = try SVD.of(w)
        var ito = [Double](repeating: 0, count: d)
        Lemma1.itoDrift(sigma, depth: .finite(n), into: &ito)
        let err = Ref.relativeError(Ref.synthesize(u: u, diagonal: ito, vt: vt), laplacian)
                #expect(err < 1e-6, "N=\(n) d=\(d): \(err)")
    }

    // MARK: limits of the Langevin flow

    private func trajectory(_ p: Parameters, steps: Int) throws -> (FlowState, Observation) {
        let sim = try Simulation(parameters: p)
        for _ in 0..<steps { try sim.advance() }
        return (sim.state, try sim.observe())
    }

    private var base: Parameters {
        var p = Parameters()
        p.energy = .completion; p.size = 5; p.depth = 3; p.targetRank = 2; p.observed = 0.6
        p.initialization = .balanced; p.initScale = 0.6; p.dt = 0.01; p.seed = 17
        return p
    }

    @Test("langevin at kappa = 0 is free-energy descent, bit for bit")
    func langevinAtZeroKappa() throws {
        var p = base
        p.beta = 5; p.kappa = 0
        p.flow = .langevin
        let (xl, ol) = try trajectory(p, steps: 100)
        p.flow = .freeEnergy
        let (xf, of) = try trajectory(p, steps: 100)
        #expect(xl == xf)
        #expect(ol == of)
        // The entropic force acted: the run differs from the plain Riemannian flow.
        p.flow = .riemannian
        let (xr, _) = try trajectory(p, steps: 100)
        #expect(Ref.relativeError(xr.parts[0], xf.parts[0]) > 1e-4)
    }

    @Test("langevin at beta = inf is the Riemannian flow, bit for bit, whatever kappa")
    func langevinAtInfiniteBeta() throws {
        var p = base
        p.beta = .infinity; p.kappa = 3
        p.flow = .langevin
        let (xl, ol) = try trajectory(p, steps: 100)
        p.flow = .riemannian
        let (xr, or) = try trajectory(p, steps: 100)
        #expect(xl == xr)
        #expect(ol == or)
    }

    @Test("free-energy at beta = inf is the Riemannian flow, bit for bit")
    func freeEnergyAtInfiniteBeta() throws {
        var p = base
        p.beta = .infinity
        p.flow = .freeEnergy
        let (xf, _) = try trajectory(p, steps: 50)
        p.flow = .riemannian
        let (xr, _) = try trajectory(p, steps: 50)
        #expect(xf == xr)
    }

    /// The noise U (sqrt(C) o dB) V^T times sqrt(2 kappa/beta) has covariance (2 kappa/beta) dt A
    /// on d^2-vectors (A's eigenvectors are u_k v_l^T with eigenvalues C_kl). For zero-mean
    /// Gaussian samples the estimator of Sigma_ij from n draws has variance
    /// (Sigma_ii Sigma_jj + Sigma_ij^2)/n; every entry must lie within 4.5 of its standard errors
    /// (45 distinct entries: a false alarm has probability about 3e-4; the seed is fixed).
    @Test("Langevin noise increment has covariance (2 kappa/beta) dt A")
    func noiseCovariance() throws {
        var rng = Xoshiro256(seed: 1700)
        let d = 3, n = 3, dim = 9
        let energy = completion(size: d, rng: &rng)
        let w = Ref.withSingularValues([1.5, 0.7, 0.3], rng: &rng)
        let kappa = 2.0, beta = 4.0, dt = 0.01
        let flow = DownstairsFlow.langevin(energy: energy, knobs: FlowKnobs(depth: .finite(n), beta: beta, kappa: kappa))
        #expect(flow.hasDiffusion)
        let x = FlowState(parts: [w])
        let e = try flow.evaluation(at: x)
        var dB = FlowState(zerosLike: x), v = FlowState(zerosLike: x)
        let samples = 40_000
        var cov = [Double](repeating: 0, count: dim * dim)
        var mean = [Double](repeating: 0, count: dim)
        for _ in 0..<samples {
            rng.fillGaussian(&dB.parts[0], scale: dt.squareRoot())
            flow.diffusion(e, increment: dB, into: &v)
            let y = v.parts[0].storage
            for i in 0..<dim {
                mean[i] += y[i]
                for j in 0..<dim { cov[i * dim + j] += y[i] * y[j] }
            }
        }
        let expected = (2 * kappa / beta * dt) * Ref.operatorMatrix(size: d, try Ref.operatorA(w, depth: n))
        var worst = 0.0
        for i in 0..<dim {
            let seMean = (expected[i, i] / Double(samples)).squareRoot()
            #expect(abs(mean[i] / Double(samples)) < 4.5 * seMean, "mean of entry \(i)")
            for j in 0..<dim {
                let estimate = cov[i * dim + j] / Double(samples)
                let truth = expected[i, j]
                let se = ((expected[i, i] * expected[j, j] + truth * truth) / Double(samples)).squareRoot()
                worst = max(worst, abs(estimate - truth) / se)
            }
        }
                #expect(worst < 4.5, "largest |z| over the covariance entries: \(worst)")
        // A wrong frame (noise without U ... V^T, as Theorem 18 prints it) has a different covariance.
        let sigma = try SVD.of(w).sigma
        var c = Matrix.zeros(d)
        Lemma1.eigenvalues(sigma, depth: .finite(n), into: &c)
        let unframed = Matrix.diagonal(c.storage.map { 2 * kappa / beta * dt * $0 })
        #expect(Ref.relativeError(unframed, expected) > 0.1)
    }

    /// The step's increment is formed in one synthesis, U (dt M + c sqrt(C) o dB) V^T; it must be
    /// the two terms formed apart, dt drift + diffusion dB, under both time scales.
    @Test("the one-synthesis increment = dt drift + diffusion dB", arguments: [TimeScale.plain, .depth])
    func incrementIsDriftPlusNoise(_ timeScale: TimeScale) throws {
        var rng = Xoshiro256(seed: 1701)
        let d = 5
        let energy = completion(size: d, rng: &rng)
        let w = Ref.withSingularValues([1.4, 0.9, 0.5, 0.2, 0.05], rng: &rng)
        let flow = DownstairsFlow.langevin(energy: energy, knobs: FlowKnobs(depth: 4, beta: 3, kappa: 1.5, timeScale: timeScale))
        let x = FlowState(parts: [w])
        let dt = 0.02
        var dB = FlowState(zerosLike: x)
        rng.fillGaussian(&dB.parts[0], scale: dt.squareRoot())
        var together = FlowState(zerosLike: x)
        var combined = flow.makeEvaluation(like: x)
        try flow.evaluate(at: x, dt: dt, noise: dB, into: &combined, increment: &together)
        // Apart, from an evaluation of its own (made second, so its frame is not the flow's first).
        let e = try flow.evaluation(at: x)
        let drift = e.drift
        var noise = FlowState(zerosLike: x)
        flow.diffusion(e, increment: dB, into: &noise)
        let apart = dt * drift.parts[0] + noise.parts[0]
        #expect(Ref.relativeError(together.parts[0], apart) < 1e-13)
        // Both terms matter at this size, so a dropped one would show.
        #expect(Ref.relativeError(noise.parts[0], apart) > 1e-3 && Ref.relativeError(dt * drift.parts[0], apart) > 1e-3)
    }

    @Test("no noise is drawn when kappa = 0 or beta = inf")
    func diffusionSwitch() {
        let energy = DenoiseEnergy(observation: .identity(2))
        #expect(!DownstairsFlow.langevin(energy: energy, knobs: FlowKnobs(depth: 3, beta: 2, kappa: 0)).hasDiffusion)
        #expect(!DownstairsFlow.langevin(energy: energy, knobs: FlowKnobs(depth: 3, beta: .infinity, kappa: 1)).hasDiffusion)
        #expect(!DownstairsFlow.freeEnergy(energy: energy, knobs: FlowKnobs(depth: 3, beta: 2, kappa: 1)).hasDiffusion)
        #expect(!DownstairsFlow.riemannian(energy: energy, knobs: FlowKnobs(depth: 3, beta: 2, kappa: 1)).hasDiffusion)
    }
}
