import Foundation
import Testing
@testable import DLNEngine

/// The `rle-upstairs` flow: its drift, noise and retraction against independent computations (the
/// upstairs gradient flow, Lemma 2's tangent map, the differential of phi), and its behaviour as a
/// running flow (balance at round-off, a continuous gauge, the kappa = 0 limit of 12.6-12.7).
@Suite("RLE upstairs flow")
struct RLEUpstairsFlowTests {
    static func denoise(_ d: Int, seed: UInt64) -> DenoiseEnergy {
        var rng = Xoshiro256(seed: seed)
        return DenoiseEnergy(observation: rng.gaussianMatrix(rows: d, cols: d, scale: 0.6))
    }

    static func prepared(_ d: Int, _ n: Int, beta: Double = 10, kappa: Double = 1, seed: UInt64 = 1)
        throws -> (RLEUpstairsFlow, FlowState, BalancedCoordinates)
    {
        let flow = RLEUpstairsFlow(energy: denoise(d, seed: seed), knobs: FlowKnobs(depth: .finite(n), beta: beta, kappa: kappa))
        let point = BalancedFixture.point(size: d, depth: n, seed: seed + 10)
        let x = FlowState(parts: point.factors())
        _ = try flow.evaluation(at: x)
        return (flow, x, flow.coordinates!)
    }

    @Test("registered as rle-upstairs, an upstairs flow")
    func registry() {
        #expect(FlowKind(rawValue: "rle-upstairs") == .rleUpstairs)
        #expect(FlowKind.allCases.contains(.rleUpstairs))
        #expect(FlowKind.rleUpstairs.isUpstairs)
        let flow = FlowKind.rleUpstairs.make(energy: Self.denoise(2, seed: 1), knobs: FlowKnobs(depth: 2, beta: 1, kappa: 1))
        #expect(flow is RLEUpstairsFlow)
        #expect(flow.kind == .rleUpstairs)
    }

    @Test("drift is -grad L of the upstairs gradient flow (3.6)", arguments: [(2, 2), (3, 4), (4, 1)])
    func driftIsUpstairsGradient(_ shape: (Int, Int)) throws {
        let (d, n) = shape
        let (flow, x, _) = try Self.prepared(d, n)
        let v = try flow.drift(at: x)
        let reference = UpstairsGradientFlow(energy: Self.denoise(d, seed: 1), knobs: flow.knobs)
        let r = try reference.drift(at: x)
        for p in 0..<n { #expect((v.parts[p] - r.parts[p]).maxAbs < 1e-12) }
    }

    @Test("noise = sum_b s_b <e_b, dB> e_b over Theorem 14's basis, s = sqrt(2/beta) on the orbit, sqrt(2 kappa/beta) off it")
    func noiseMatchesBasisProjection() throws {
        let (d, n, beta, kappa) = (4, 4, 7.0, 2.5)
        let (flow, x, point) = try Self.prepared(d, n, beta: beta, kappa: kappa)
        var rng = Xoshiro256(seed: 3)
        let dB = FlowState(parts: BalancedFixture.randomTuple(size: d, depth: n, rng: &rng))
        var v = FlowState(zerosLike: x)
        flow.diffusion(try flow.evaluation(at: x), increment: dB, into: &v)
        var expected = (0..<n).map { _ in Matrix.zeros(d) }
        for e in Theorem14.basis(at: point) {
            let s = e.label.isOrbit(depth: n) ? (2 / beta).squareRoot() : (2 * kappa / beta).squareRoot()
            let xi = BalancedFixture.inner(e.components, dB.parts)
            for p in 0..<n { expected[p].add(e.components[p], scaledBy: s * xi) }
        }
        for p in 0..<n { #expect((v.parts[p] - expected[p]).maxAbs < 1e-12) }
    }

    @Test("noise is tangent, pushes down to sqrt(2 kappa/beta) D phi(dB), and at kappa = 1 is sqrt(2/beta) P_T dB",
          arguments: [(2, 2), (3, 3), (3, 5)])
    func noiseGeometry(_ shape: (Int, Int)) throws {
        let (d, n) = shape
        let beta = 4.0
        var rng = Xoshiro256(seed: 11)
        let dB = FlowState(parts: BalancedFixture.randomTuple(size: d, depth: n, rng: &rng))
        for kappa in [0.0, 0.25, 1, 4] {
            let (flow, x, point) = try Self.prepared(d, n, beta: beta, kappa: kappa)
            let w = x.parts
            var v = FlowState(zerosLike: x)
            flow.diffusion(try flow.evaluation(at: x), increment: dB, into: &v)
            #expect(BalancedFixture.dBalance(w, v.parts).map(\.maxAbs).max() ?? 0 < 1e-12)
            let pushed = BalancedFixture.dPhi(w, v.parts)
            let expected = (2 * kappa / beta).squareRoot() * BalancedFixture.dPhi(w, dB.parts)
            #expect((pushed - expected).maxAbs < 1e-12)
            // The residual dB - v / s is normal to M for kappa = 1 (every tangent vector of (8.2)),
            // and normal to the orbit (tangent vectors with A_0 = A_N = 0, theta = 0) for every kappa.
            let s = (2 / beta).squareRoot()
            let residual = (0..<n).map { dB.parts[$0] - (1 / s) * v.parts[$0] }
            for _ in 0..<6 {
                var generators = (0...n).map { _ in BalancedFixture.randomAntisymmetric(d, rng: &rng) }
                let theta = (0..<d).map { _ in rng.gaussian() }
                let tangent = Lemma2.tangent(at: point, theta: theta, generators: generators)
                if kappa == 1 { #expect(abs(BalancedFixture.inner(residual, tangent)) < 1e-12) }
                generators[0] = .zeros(d)
                generators[n] = .zeros(d)
                let vertical = Lemma2.tangent(at: point, theta: [Double](repeating: 0, count: d), generators: generators)
                #expect(abs(BalancedFixture.inner(residual, vertical)) < 1e-12)
            }
        }
    }

    @Test("retraction keeps phi(Y), lands on M, and is the closest point of the fibre",
          arguments: [(2, 2, 0.05), (3, 3, 0.05), (4, 5, 0.05), (3, 4, 0.4)])
    func retraction(_ c: (Int, Int, Double)) throws {
        let (d, n, size) = c
        let (flow, x, _) = try Self.prepared(d, n)
        var rng = Xoshiro256(seed: 21)
        var y = x
        for p in 0..<n { y.parts[p].add(rng.gaussianMatrix(rows: d, cols: d, scale: size)) }
        let before = y
        try flow.retract(&y, from: flow.evaluation(at: x))
        let scale = BalancedFixture.phi(before.parts).maxAbs
        #expect((BalancedFixture.phi(y.parts) - BalancedFixture.phi(before.parts)).maxAbs < 1e-13 * max(scale, 1))
        var g = Matrix.zeros(d), h = Matrix.zeros(d)
        #expect(Observables.balanceDefects(y.parts, g: &g, h: &h).max() ?? 0 < 1e-13)
        let point = flow.coordinates!
        for p in 0..<n { #expect((point.factors()[p] - y.parts[p]).maxAbs < 1e-14) }
        // First-order optimality: Y - R(Y) is orthogonal to the orbit through R(Y).
        let residual = (0..<n).map { before.parts[$0] - y.parts[$0] }
        for _ in 0..<6 {
            var generators = (0...n).map { _ in BalancedFixture.randomAntisymmetric(d, rng: &rng) }
            generators[0] = .zeros(d)
            generators[n] = .zeros(d)
            let vertical = Lemma2.tangent(at: point, theta: [Double](repeating: 0, count: d), generators: generators)
            let cosine = BalancedFixture.inner(residual, vertical)
                / (BalancedFixture.norm(residual) * BalancedFixture.norm(vertical))
            #expect(abs(cosine) < 1e-8)
        }
    }

    @Test("a run stays on M to round-off; the frames never flip or relabel a column", arguments: [(2, 2), (3, 3), (4, 5)])
    func runStaysBalancedWithContinuousFrames(_ shape: (Int, Int)) throws {
        let (d, n) = shape
        let dt = 1e-3, beta = 30.0
        var rng = Xoshiro256(seed: 8)
        let sigma = [1.6, 1.0, 0.6, 0.35].prefix(d)
        let start = rng.orthogonal(d) * Matrix.diagonal(Array(sigma)) * rng.orthogonal(d).transposed
        let flow = RLEUpstairsFlow(energy: DenoiseEnergy(observation: start), knobs: FlowKnobs(depth: .finite(n), beta: beta, kappa: 2))
        var x = try flow.state(for: start)
        let integrator = EulerMaruyama()
        var g = Matrix.zeros(d), h = Matrix.zeros(d)
        var previous: [Matrix]? = nil
        var worstDefect = 0.0, relabelled = 0
        let relabellings = Self.signedPermutations(d)
        for _ in 0..<400 {
            try integrator.step(flow, &x, dt: dt, rng: &rng)
            let frames = flow.coordinates!.frames
            if let prev = previous {
                // A fresh SVD could return the frames with columns permuted and flipped (jointly in
                // every Q_p, with Lambda permuted, the same point of M). The flow must pick the
                // labelling closest to the previous step's frames.
                func distance(_ perm: [Int], _ signs: [Double]) -> Double {
                    var total = 0.0
                    for p in 0...n {
                        for r in 0..<d {
                            for c in 0..<d {
                                let e = frames[p][r, perm[c]] * signs[c] - prev[p][r, c]
                                total += e * e
                            }
                        }
                    }
                    return total
                }
                let chosen = distance(Array(0..<d), [Double](repeating: 1, count: d))
                if relabellings.contains(where: { distance($0.0, $0.1) < chosen - 1e-12 }) { relabelled += 1 }
            }
            previous = frames
            let scale = x.parts.map { $0.frobeniusNorm * $0.frobeniusNorm }.max()!
            worstDefect = max(worstDefect, (Observables.balanceDefects(x.parts, g: &g, h: &h).max() ?? 0) / scale)
        }
        #expect(worstDefect < 1e-13, "balance defect \(worstDefect)")
        #expect(relabelled == 0)
        let distances = flow.gaugeDistances()
        #expect(distances.count == n - 1)
        #expect(distances.allSatisfy { $0 > 0.02 }, "the gauge did not move: \(distances)")
    }

    /// Every (permutation, signs) of d columns.
    static func signedPermutations(_ d: Int) -> [([Int], [Double])] {
        func permutations(_ items: [Int]) -> [[Int]] {
            if items.count <= 1 { return [items] }
            return items.indices.flatMap { i -> [[Int]] in
                var rest = items
                let head = rest.remove(at: i)
                return permutations(rest).map { [head] + $0 }
            }
        }
        let signs = (0..<(1 << d)).map { mask in (0..<d).map { (mask >> $0) & 1 == 1 ? -1.0 : 1.0 } }
        return permutations(Array(0..<d)).flatMap { p in signs.map { (p, $0) } }
    }

    @Test("retracting a point of M gives back its frames, whatever LAPACK's signs and the order of Lambda",
          arguments: [(2, 2), (3, 3), (5, 4)])
    func retractionIsIdentityOnM(_ shape: (Int, Int)) throws {
        let (d, n) = shape
        // Lambda deliberately not descending: a tracked labelling after singular values crossed.
        let lambda = Array([0.7, 1.2, 0.5, 1.5, 0.9].prefix(d))
        let point = BalancedFixture.point(size: d, depth: n, seed: 3, lambda: lambda)
        let retraction = FibreRetraction(size: d)
        var body = (0..<n).map { _ in Matrix.diagonal(lambda) }  // Z_s = Q_s^T W_s Q_{s-1} = Lambda
        var moved = point
        try retraction.retract(&moved, body: body)
        for p in 0...n { #expect((moved.frames[p] - point.frames[p]).maxAbs < 1e-13) }
        for k in 0..<d { #expect(abs(moved.lambda[k] - lambda[k]) < 1e-13) }
        // A perturbation of size 1e-7 moves the frames by O(1e-7 / gap), not by a relabelling.
        var rng = Xoshiro256(seed: 4)
        for s in 0..<n { body[s].add(rng.gaussianMatrix(rows: d, cols: d, scale: 1e-7)) }
        moved = point
        try retraction.retract(&moved, body: body)
        for p in 0...n { #expect((moved.frames[p] - point.frames[p]).maxAbs < 1e-5) }
    }

    @Test("kappa = 0: W follows free-energy descent (12.7) while the gauge diffuses (12.6)")
    func quasistaticLimit() throws {
        let (d, n, beta, dt, steps) = (3, 3, 10.0, 1e-3, 200)
        let energy = Self.denoise(d, seed: 5)
        let start = BalancedFixture.point(size: d, depth: 1, seed: 6).endToEnd
        let knobs = FlowKnobs(depth: .finite(n), beta: beta, kappa: 0)
        let descent = DownstairsFlow.freeEnergy(energy: energy, knobs: knobs)
        var reference = try descent.state(for: start)
        let integrator = EulerMaruyama()
        var rng = Xoshiro256(seed: 1)
        for _ in 0..<steps { try integrator.step(descent, &reference, dt: dt, rng: &rng) }
        var w = Matrix.zeros(d)
        var gauges: [[Double]] = []
        for seed in [UInt64(2), 3] {
            let flow = RLEUpstairsFlow(energy: energy, knobs: knobs)
            var x = try flow.state(for: start)
            var noise = Xoshiro256(seed: seed)
            for _ in 0..<steps { try integrator.step(flow, &x, dt: dt, rng: &noise) }
            flow.endToEnd(x, into: &w)
            // The fluctuation of W is (2/beta) sqrt(T dt) ~ 3e-3; at kappa = 1 it would be ~ 0.3.
            #expect((w - reference.parts[0]).maxAbs < 0.02)
            gauges.append(flow.gaugeDistances())
        }
        #expect(gauges.allSatisfy { $0.allSatisfy { $0 > 0.05 } })
        #expect(gauges[0] != gauges[1])
    }

    @Test("through Simulation: an unbalanced start is mapped onto M, N can change, flows can switch")
    func simulation() throws {
        var p = Parameters()
        p.energy = .denoise
        p.size = 3
        p.depth = 3
        p.flow = .rleUpstairs
        p.beta = 20
        p.kappa = 1
        p.dt = 0.01
        p.initialization = .small
        p.initScale = 0.5
        let sim = try Simulation(parameters: p)
        let w0 = sim.endToEnd
        var rng = Xoshiro256(seed: 5)
        var g = Matrix.zeros(3), h = Matrix.zeros(3)
        // The simulation starts every flow other than `upstairs` from its own state for the shared
        // end-to-end W: for rle-upstairs, the balanced factorisation of the small Gaussian product.
        #expect(sim.balanceDefects().allSatisfy { $0 < 1e-13 })
        let flow = RLEUpstairsFlow(energy: sim.energy, knobs: sim.flow.knobs)
        var unbalanced = FlowState(parts: Initialization.small(size: 3, depth: 3, scale: 0.5, rng: &rng))
        let defects = Observables.balanceDefects(unbalanced.parts, g: &g, h: &h)
        #expect(defects.max()! > 1e-3)  // small Gaussian factors are not balanced...
        let e = try flow.evaluation(at: unbalanced)
        try flow.retract(&unbalanced, from: e)
        // ...and the flow maps them onto M.
        #expect(Observables.balanceDefects(unbalanced.parts, g: &g, h: &h).allSatisfy { $0 < 1e-13 })
        try sim.advance()
        #expect(sim.balanceDefects().allSatisfy { $0 < 1e-13 })
        #expect((sim.endToEnd - w0).maxAbs < 0.3)
        try sim.apply(.depth(5))
        for _ in 0..<5 { try sim.advance() }
        #expect(sim.state.parts.count == 5)
        #expect(sim.balanceDefects().count == 4 && sim.balanceDefects().allSatisfy { $0 < 1e-13 })
        #expect((sim.flow as! RLEUpstairsFlow).gaugeDistances().count == 4)
        try sim.apply(.flow(.langevin))
        try sim.apply(.flow(.rleUpstairs))
        try sim.advance()
        #expect(sim.balanceDefects().allSatisfy { $0 < 1e-13 })
        #expect(sim.state.isFinite)
    }

    @Test("state(for:) is balanced with the given end-to-end matrix; W = 0 steps to finite values")
    func stateForEndToEnd() throws {
        let flow = RLEUpstairsFlow(energy: Self.denoise(3, seed: 2), knobs: FlowKnobs(depth: 4, beta: 10, kappa: 1))
        var rng = Xoshiro256(seed: 4)
        let w = rng.gaussianMatrix(rows: 3, cols: 3)
        let x = try flow.state(for: w)
        var g = Matrix.zeros(3), h = Matrix.zeros(3)
        #expect(Observables.balanceDefects(x.parts, g: &g, h: &h).max()! < 1e-13)
        #expect((BalancedFixture.phi(x.parts) - w).maxAbs < 1e-13)
        var zero = try flow.state(for: .zeros(3))
        try EulerMaruyama().step(flow, &zero, dt: 0.01, rng: &rng)
        #expect(zero.isFinite)
    }
}
