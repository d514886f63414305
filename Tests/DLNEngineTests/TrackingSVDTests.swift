import Foundation
import Testing
@testable import DLNEngine

/// Issue 7: the warm-started SVD of the downstairs frame (`TrackingSVD` inside `SpectralFrame`)
/// against a fresh LAPACK decomposition of the same W, along real trajectories and at the cases
/// that break naive trackers (repeated, crossing, vanishing singular values).
@Suite("Tracking SVD")
struct TrackingSVDTests {
    /// Worst errors of a decomposition of w: |delta sigma_k| / sigma_1 against LAPACK,
    /// ||U diag(sigma) V^T - W||_F / ||W||_F, and ||U^T U - I||_F, ||V^T V - I||_F (products by plain loops).
    struct Errors: CustomStringConvertible {
        var sigma = 0.0, reconstruction = 0.0, orthogonality = 0.0
        mutating func merge(_ e: Errors) {
            sigma = max(sigma, e.sigma)
            reconstruction = max(reconstruction, e.reconstruction)
            orthogonality = max(orthogonality, e.orthogonality)
        }
        var worst: Double { max(sigma, reconstruction, orthogonality) }
        var description: String { "sigma \(sigma), reconstruction \(reconstruction), orthogonality \(orthogonality)" }
    }

    static func errors(u: Matrix, sigma: [Double], vt: Matrix, of w: Matrix) throws -> Errors {
        let d = w.rows
        let reference = try SVD.of(w).sigma
        let top = max(reference[0], Double.leastNormalMagnitude)
        var e = Errors()
        for k in 0..<d { e.sigma = max(e.sigma, abs(sigma[k] - reference[k]) / top) }
        // Descending and non-negative is part of the contract; a violation counts as a total error.
        for k in 0..<d where sigma[k] < 0 || (k > 0 && sigma[k] > sigma[k - 1]) { e.sigma = .infinity }
        let scale = w.frobeniusNorm
        let back = Ref.synthesize(u: u, diagonal: sigma, vt: vt) - w
        e.reconstruction = scale > 0 ? back.frobeniusNorm / scale : back.frobeniusNorm
        let identity = Matrix.identity(d)
        e.orthogonality = max(
            (Ref.mul(Ref.transpose(u), u) - identity).frobeniusNorm,
            (Ref.mul(vt, Ref.transpose(vt)) - identity).frobeniusNorm)
        return e
    }

    static func errors(_ frame: SpectralFrame, of w: Matrix) throws -> Errors {
        try errors(u: frame.u, sigma: frame.sigma, vt: frame.vt, of: w)
    }

    static func frame(of sim: Simulation) throws -> SpectralFrame {
        try #require((sim.flow as? DownstairsFlow)?.frame)
    }

    static func parameters(_ flow: FlowKind, size d: Int, initialization: InitKind) -> Parameters {
        var p = Parameters()
        p.energy = .completion
        p.flow = flow
        p.size = d
        p.depth = 3
        p.targetRank = 3
        p.observed = 0.5
        p.initialization = initialization
        p.initScale = initialization == .small ? 1e-3 : 0.5
        p.dt = 0.05
        p.seed = 7
        // Free-energy descent at beta = 200 and dt = 0.05 blows up with either frame; Langevin does not.
        if flow == .freeEnergy { p.beta = 1e4 }
        if flow == .langevin { p.beta = 200 }
        if flow == .langevin { p.kappa = 1 }
        return p
    }

    /// From a small start (all sigma about 1e-3 and close together) through the completion
    /// staircase: every checked step agrees with LAPACK to 1e-12, and the tracker, not LAPACK,
    /// served almost every step.
    @Test("along completion trajectories the frame matches LAPACK at every step", arguments: [
        (FlowKind.riemannian, 4), (.riemannian, 16), (.freeEnergy, 16), (.langevin, 4), (.langevin, 16),
    ])
    func trajectoryMatchesLAPACK(flow: FlowKind, size d: Int) throws {
        let sim = try Simulation(parameters: Self.parameters(flow, size: d, initialization: .small))
        let frame = try Self.frame(of: sim)
        #expect(frame.isTracking)
        var worst = Errors()
        var rankBefore = Int.max, rankAfter = 0
        let steps = 1500
        for step in 0..<steps {
            let w = sim.state.parts[0]
            try sim.advance()
            worst.merge(try Self.errors(frame, of: w))
            let rank = frame.sigma.filter { $0 > 0.1 }.count
            if step == 0 { rankBefore = rank }
            rankAfter = rank
        }
        #expect(worst.worst <= 1e-12, "\(flow) d=\(d): \(worst)")
        // The run crossed the regimes it is meant to: a nearly equal tiny cluster, then rank jumps.
        #expect(rankBefore == 0 && rankAfter >= 1, "\(flow) d=\(d): rank \(rankBefore) -> \(rankAfter)")
        // The fast path really runs: LAPACK only for the cold start, refreshes and rare fallbacks.
        #expect(frame.trackedCount + frame.lapackCount == steps)
        #expect(Double(frame.lapackCount) <= 0.02 * Double(steps), "\(flow) d=\(d): \(frame.lapackCount) LAPACK calls")
    }

    /// d = 64 (every 10th step checked), balanced start, beta = 1e4 and dt = 0.005 (at beta = 200,
    /// dt = 0.05 the noise moves W by ~30% a step and the tracker rightly declines): the tracker on
    /// its own, fed the states of a run whose frame is LAPACK's.
    @Test("at d = 64 the tracker matches LAPACK along a Langevin run")
    func trajectoryMatchesLAPACKAtWidth64() throws {
        let d = 64
        var p = Self.parameters(.langevin, size: d, initialization: .balanced)
        p.beta = 1e4
        p.dt = 0.005
        let sim = try Simulation(parameters: p)
        try Self.frame(of: sim).isTracking = false
        let tracker = TrackingSVD(size: d)
        let lapack = SVD(size: d)
        var worst = Errors()
        var declined = 0
        for step in 0..<60 {
            let w = sim.state.parts[0]
            if !tracker.track(w) {
                declined += 1
                try lapack.decompose(w)
                tracker.load(lapack)
            }
            if step % 10 == 9 { worst.merge(try Self.errors(u: tracker.u, sigma: tracker.sigma, vt: tracker.vt, of: w)) }
            try sim.advance()
        }
        #expect(worst.worst <= 1e-12, "\(worst)")
        #expect(declined == 1 && tracker.trackedCount == 59)
    }

    /// The flow does not change, only its cost: deterministic flows with and without the tracker
    /// stay together through the staircase. (Langevin agrees only in law: its noise U (sqrt(C) o dB) V^T
    /// depends on the signs LAPACK happens to choose for the singular vectors.)
    @Test("riemannian and free-energy trajectories equal the LAPACK-frame ones", arguments: [FlowKind.riemannian, .freeEnergy])
    func trajectoryUnchanged(flow: FlowKind) throws {
        let p = Self.parameters(flow, size: 12, initialization: .small)
        let fast = try Simulation(parameters: p)
        let reference = try Simulation(parameters: p)
        try Self.frame(of: reference).isTracking = false
        for _ in 0..<2000 {
            try fast.advance()
            try reference.advance()
        }
        let a = fast.state.parts[0], b = reference.state.parts[0]
        #expect(Ref.relativeError(a, b) <= 1e-10, "\(flow): \(Ref.relativeError(a, b))")
        #expect(try Self.frame(of: fast).trackedCount > 1900)
        #expect(try Self.frame(of: reference).trackedCount == 0)
        #expect(try SVD.of(a).sigma[1] > 0.1, "the run reached the staircase")
    }

    /// A path W(t) = Q1(t) diag(s(t)) Q2(t)^T with rotating frames, stepped finely; every step
    /// compared with LAPACK, and the tracker must have served nearly all of them.
    private func followPath(size d: Int, steps: Int, seed: UInt64, _ s: (Double) -> [Double]) throws -> (Errors, SpectralFrame) {
        var rng = Xoshiro256(seed: seed)
        let q1 = rng.orthogonal(d), q2 = rng.orthogonal(d)
        let a = Ref.gaussian(d, rng: &rng), b = Ref.gaussian(d, rng: &rng)
        let skewA = 0.5 * (a - Ref.transpose(a)), skewB = 0.5 * (b - Ref.transpose(b))
        let frame = SpectralFrame(size: d)
        var worst = Errors()
        for step in 0...steps {
            let t = Double(step) / Double(steps)
            // I + tK + (tK)^2/2 is not orthogonal; W need not be built from orthogonal factors, but
            // its singular values must be s(t): use the Cayley transform.
            let r1 = try cayley(t * skewA), r2 = try cayley(t * skewB)
            let w = Ref.mul(q1, r1, .diagonal(s(t)), Ref.transpose(r2), Ref.transpose(q2))
            try frame.update(w, depth: 3)
            worst.merge(try Self.errors(frame, of: w))
        }
        return (worst, frame)
    }

    /// (I - K/2)^(-1) (I + K/2) for skew K: orthogonal.
    private func cayley(_ k: Matrix) throws -> Matrix {
        let d = k.rows
        let minus = Matrix.identity(d) - 0.5 * k, plus = Matrix.identity(d) + 0.5 * k
        // minus is normal with eigenvalues 1 - i lambda / 2: invert through (minus^T minus)^(-1) minus^T.
        let gram = Ref.mul(Ref.transpose(minus), minus)
        let inverseGram = try Ref.psdPower(gram, -1)
        return Ref.mul(inverseGram, Ref.transpose(minus), plus)
    }

    @Test("two singular values that cross swap places in the output, still descending")
    func crossing() throws {
        let (worst, frame) = try followPath(size: 6, steps: 400, seed: 11) { t in
            [2.0, 1.2 - t, 0.6 + t, 0.45, 0.3, 0.1]
        }
        #expect(worst.worst <= 1e-12, "\(worst)")
        #expect(frame.lapackCount <= 2, "\(frame.lapackCount) LAPACK calls")
    }

    @Test("a singular value passing through zero (its vectors change sign) and a triple cluster")
    func signFlipAndCluster() throws {
        let (worst, frame) = try followPath(size: 7, steps: 400, seed: 12) { t in
            [1.5, 0.7, 0.7, 0.7, 0.4, 0.2 - 0.4 * t, 1e-9]
        }
        #expect(worst.worst <= 1e-12, "\(worst)")
        #expect(frame.lapackCount <= 2, "\(frame.lapackCount) LAPACK calls")
    }

    /// The round-robin schedule has a bye for odd d and a single pair at d = 2; d = 1 has no pair.
    @Test("widths 1, 2, 3 and 5 track a moving W", arguments: [1, 2, 3, 5])
    func smallWidths(size d: Int) throws {
        let (worst, frame) = try followPath(size: d, steps: 50, seed: 16 + UInt64(d)) { t in
            Array([1.0 + t, 0.8 - t, 0.5, 0.3, 0.1].prefix(d))
        }
        #expect(worst.worst <= 1e-12, "d=\(d): \(worst)")
        #expect(d == 2 ? frame.closedFormCount == 51 : frame.lapackCount == 1 && frame.trackedCount == 50)
    }

    @Test("exactly repeated singular values, W -> -W and the zero matrix")
    func degenerateInputs() throws {
        var rng = Xoshiro256(seed: 13)
        let d = 8
        let frame = SpectralFrame(size: d)
        let start = Ref.withSingularValues([1.5, 1.1, 0.9, 0.8, 0.5, 0.4, 0.2, 0.1], rng: &rng)
        try frame.update(start, depth: 3)
        // Repeated values reached from a frame that separated them: the pairs inside each cluster
        // rotate by up to pi/4, which the exact 2 x 2 SVD takes in its stride.
        let repeated = Ref.mul(frame.u, .diagonal([1.5, 1, 1, 1, 0.5, 0.5, 0, 0]), frame.vt)
            + Ref.gaussian(d, rng: &rng, scale: 1e-6)
        let exact = Ref.mul(frame.u, .diagonal([1.5, 1, 1, 1, 0.5, 0.5, 0, 0]), frame.vt)
        for w in [repeated, exact, -1 * exact] {
            let before = frame.trackedCount
            try frame.update(w, depth: 3)
            #expect(frame.trackedCount == before + 1)
            let e = try Self.errors(frame, of: w)
            #expect(e.worst <= 1e-12, "\(e)")
        }
        // Below ||W|| ~ 1e-130 the unscaled 2 x 2 solves would form subnormal squares and stop
        // being rotations (c^2 + s^2 - 1 ~ 1e-2 at entries of 1e-161): LAPACK takes those, and
        // the zero matrix. Each is an exact SVD all the same, and tracking resumes afterwards.
        for w in [1e-200 * exact, 1e-140 * repeated, Matrix.zeros(d)] {
            let before = frame.lapackCount
            try frame.update(w, depth: 3)
            #expect(frame.lapackCount == before + 1)
            let e = try Self.errors(frame, of: w)
            #expect(e.worst <= 1e-12, "\(e)")
        }
        #expect(frame.sigma.allSatisfy { $0 == 0 })
        let trackedBefore = frame.trackedCount
        try frame.update(exact, depth: 3)
        try frame.update(exact, depth: 3)
        #expect(frame.trackedCount >= trackedBefore + 1)
    }

    @Test("an unrelated W, the refresh interval and LAPACK's fault hook all go through LAPACK")
    func fallbacks() throws {
        var rng = Xoshiro256(seed: 14)
        let d = 5
        let frame = SpectralFrame(size: d)
        let w0 = Ref.gaussian(d, rng: &rng)
        try frame.update(w0, depth: 3)
        #expect(frame.lapackCount == 1 && frame.trackedCount == 0)
        // A matrix with no relation to the frame: the tracker declines, LAPACK answers correctly.
        let other = Ref.gaussian(d, rng: &rng)
        try frame.update(other, depth: 3)
        #expect(frame.lapackCount == 2)
        #expect(try Self.errors(frame, of: other).worst <= 1e-12)
        // A fault injected into LAPACK throws even where the tracker would have succeeded, and
        // leaves the tracked frame alone: the retry is the update an undisturbed frame makes.
        let twin = SpectralFrame(size: d)
        try twin.update(other, depth: 3)
        let next = other + Ref.gaussian(d, rng: &rng, scale: 1e-3)
        frame.svd.simulatedNonConvergence = 1
        #expect(throws: LinearAlgebraError.svdDidNotConverge(info: 1)) { try frame.update(next, depth: 3) }
        try frame.update(next, depth: 3)
        try twin.update(next, depth: 3)
        #expect(frame.trackedCount == 1 && twin.trackedCount == 1)
        #expect(frame.u == twin.u && frame.vt == twin.vt && frame.sigma == twin.sigma)
        // Every refreshInterval tracked calls one LAPACK call bounds the drift of U, V from orthogonality.
        let tracker = try #require(frame.tracker)
        let lapackBefore = frame.lapackCount
        var w = next
        for _ in 0..<(2 * (tracker.refreshInterval + 1)) {
            w = w + Ref.gaussian(d, rng: &rng, scale: 1e-4)
            try frame.update(w, depth: 3)
        }
        #expect(frame.lapackCount - lapackBefore == 2)
        #expect(try Self.errors(frame, of: w).worst <= 1e-12)
        // Non-finite input is LAPACK's error, not the tracker's.
        var bad = w
        bad[0, 0] = .nan
        #expect(throws: LinearAlgebraError.nonFiniteInput) { try frame.update(bad, depth: 3) }
    }

    /// Orthogonality drift over many tracked steps with no refresh stays at rounding level.
    @Test("U and V stay orthogonal to 1e-13 over 20000 tracked steps without a refresh")
    func orthogonalityDrift() throws {
        var rng = Xoshiro256(seed: 15)
        let d = 6
        let tracker = TrackingSVD(size: d)
        tracker.refreshInterval = .max
        let lapack = SVD(size: d)
        var w = Ref.withSingularValues([1.4, 1.0, 0.7, 0.69, 0.3, 0.01], rng: &rng)
        try lapack.decompose(w)
        tracker.load(lapack)
        for _ in 0..<20000 {
            w = w + Ref.gaussian(d, rng: &rng, scale: 1e-3)
            #expect(tracker.track(w))
        }
        let e = try Self.errors(u: tracker.u, sigma: tracker.sigma, vt: tracker.vt, of: w)
        #expect(e.orthogonality <= 1e-13 && e.worst <= 1e-12, "\(e)")
    }
}
