import DLNEngine
import Foundation
import Testing

/// Issue 6's limits and relatives: infinite depth (14.6-14.11), depth-normalised time, and the
/// Bures-Wasserstein flow (Remark 9).
@Suite("Limits and relatives")
struct LimitsTests {
    static let sigma: [Double] = [1.7, 1.1, 1.1 + 1e-7, 0.6, 0.05]

    @Test("C_kl / N and Sigma' / N converge to the N = inf values, the error falling like 1/N")
    func infiniteDepthIsTheLimit() {
        let d = Self.sigma.count
        var cInf = Matrix.zeros(d), cN = Matrix.zeros(d)
        Lemma1.eigenvalues(Self.sigma, depth: Depth.infinite, into: &cInf)
        var fInf = [Double](repeating: 0, count: d), fN = fInf
        Lemma1.entropyForce(Self.sigma, depth: Depth.infinite, into: &fInf)
        // The logarithmic mean, independently: (a - b) / (log a - log b) of a = s_k^2, b = s_l^2.
        for k in 0..<d {
            for l in 0..<d {
                let a = Self.sigma[k] * Self.sigma[k], b = Self.sigma[l] * Self.sigma[l]
                let mean = abs(a - b) < 1e-6 * a ? (a + b) / 2 : (a - b) / (log(a) - log(b))
                #expect(abs(cInf[k, l] - mean) <= 1e-9 * mean)
            }
        }
        var operatorErrors: [Double] = [], forceErrors: [Double] = []
        for n in [10, 100, 1000, 10000] {
            Lemma1.eigenvalues(Self.sigma, depth: .finite(n), into: &cN)
            Lemma1.entropyForce(Self.sigma, depth: .finite(n), into: &fN)
            var e1 = 0.0, e2 = 0.0
            for k in 0..<(d * d) { e1 = max(e1, abs(cN.storage[k] / Double(n) - cInf.storage[k]) / cInf.storage[k]) }
            for k in 0..<d { e2 = max(e2, abs(fN[k] / Double(n) - fInf[k]) / max(abs(fInf[k]), 1e-12)) }
            operatorErrors.append(e1)
            forceErrors.append(e2)
        }
        // Each tenfold deeper network is about ten times closer.
        for i in 1..<operatorErrors.count {
            #expect(operatorErrors[i] < operatorErrors[i - 1] / 5, "\(operatorErrors)")
            #expect(forceErrors[i] < forceErrors[i - 1] / 5, "\(forceErrors)")
        }
        #expect(operatorErrors.last! < 1e-3 && forceErrors.last! < 1e-3)
    }

    @Test("S_inf carries the 1/2: its finite-difference gradient times C_kk is Sigma'_inf")
    func infiniteDepthEntropyGradient() {
        let d = Self.sigma.count
        var force = [Double](repeating: 0, count: d)
        let sigma: [Double] = [1.7, 1.1, 0.8, 0.6, 0.05]
        Lemma1.entropyForce(sigma, depth: Depth.infinite, into: &force)
        for k in 0..<d {
            let h = 1e-6 * sigma[k]
            var plus = sigma, minus = sigma
            plus[k] += h
            minus[k] -= h
            let dS = (Lemma1.entropy(plus, depth: Depth.infinite) - Lemma1.entropy(minus, depth: Depth.infinite)) / (2 * h)
            let expected = sigma[k] * sigma[k] * dS  // C_kk = s_k^2 at N = inf
            #expect(abs(force[k] - expected) <= 1e-6 * max(1, abs(expected)), "k = \(k)")
        }
    }

    @Test("depth-normalised time divides every flow's drift by N", arguments: [FlowKind.upstairs, .rleUpstairs, .riemannian, .freeEnergy, .langevin])
    func depthTimeScale(_ kind: FlowKind) throws {
        var p = Parameters()
        p.energy = .completion; p.size = 4; p.targetRank = 2; p.depth = 5; p.flow = kind
        p.beta = kind.isUpstairs ? .infinity : 7; p.kappa = 0; p.dt = 1e-6  // deterministic drift only; tiny dt makes the upstairs product linear in dt
        p.initialization = .balanced; p.initScale = 1
        let plain = try Simulation(parameters: p)
        p.timeScale = .depth
        let scaled = try Simulation(parameters: p)
        let w0 = plain.endToEnd
        try plain.advance()
        try scaled.advance()
        let dPlain = plain.endToEnd - w0, dScaled = scaled.endToEnd - w0
        // One Euler step: W1 - W0 = dt v (downstairs exactly; upstairs to O(dt^2) in the product).
        let err = (dScaled - (1.0 / 5.0) * dPlain).frobeniusNorm / dPlain.frobeniusNorm
        #expect(err < (kind.isUpstairs ? 1e-4 : 1e-8), "\(err)")  // W1 - W0 at dt = 1e-6 cancels 10 digits
    }

    @Test("N = inf runs downstairs, keeps W when N changes live, and is refused upstairs")
    func infiniteDepthSimulation() throws {
        var p = Preset.named("infinite-depth")!.parameters
        let sim = try Simulation(parameters: p)
        #expect(sim.parameters.timeScale == .depth)
        for _ in 0..<20 { try sim.advance() }
        let o = try sim.observe()
        #expect(o.entropy.isFinite && o.energy.isFinite)
        let w = sim.endToEnd
        try sim.apply(.depth(7))
        // dopri5 at a finite N steps the balanced factors (--lift auto): W is refactorised, kept to rounding.
        #expect(sim.flow.stepsFactors)
        #expect((sim.endToEnd - w).frobeniusNorm <= 1e-14 * w.frobeniusNorm, "\((sim.endToEnd - w).frobeniusNorm)")
        try sim.apply(.depth(Depth.infinite))
        #expect(sim.parameters.depthText == "inf")
        p.flow = .upstairs
        #expect(throws: SetupError.self) { try Simulation(parameters: p) }
        // Switching to a factor flow at N = inf lands on the largest finite depth.
        try sim.apply(.flow(.upstairs))
        #expect(sim.parameters.depth == .finite(Parameters.maxDepth))
    }

    /// A symmetric positive definite start and a denoising energy with a symmetric target.
    static func symmetricProblem(flow: FlowKind, dt: Double) throws -> Simulation {
        var p = Parameters()
        p.energy = .denoise; p.flow = flow; p.size = 4; p.depth = 2; p.targetRank = 2
        p.initialization = .balanced; p.initScale = 0.8; p.dt = dt; p.seed = 3
        let dir = NSTemporaryDirectory() + "dlntui-bw-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var rng = Xoshiro256(seed: 11)
        let q = rng.orthogonal(4)
        let w0 = q * Matrix.diagonal([1.2, 0.7, 0.4, 0.1]) * q.transposed
        var target = Problem.randomLowRank(size: 4, rank: 2, rng: &rng)
        target = 0.5 * (target + target.transposed)
        try MatrixCSV.format(w0).write(toFile: dir + "/w0.csv", atomically: true, encoding: .utf8)
        try MatrixCSV.format(target).write(toFile: dir + "/a.csv", atomically: true, encoding: .utf8)
        p.initialPath = dir + "/w0.csv"
        p.targetPath = dir + "/a.csv"
        return try Simulation(parameters: p)
    }

    @Test("Bures-Wasserstein: W stays symmetric PSD; its velocity is the N = 2 Riemannian one; trajectories agree to O(dt)")
    func buresWasserstein() throws {
        let bw = try Self.symmetricProblem(flow: .buresWasserstein, dt: 0.01)
        let rm = try Self.symmetricProblem(flow: .riemannian, dt: 0.01)
        #expect((bw.endToEnd - rm.endToEnd).maxAbs < 1e-12)
        // Instantaneous: the pushed-forward velocity of W_1 equals -(W E' + E' W).
        let w0 = bw.endToEnd
        try bw.advance()
        try rm.advance()
        let vBW = (1 / 0.01) * (bw.endToEnd - w0), vRM = (1 / 0.01) * (rm.endToEnd - w0)
        #expect((vBW - vRM).frobeniusNorm / vRM.frobeniusNorm < 0.02)  // O(dt) from the product
        var gaps: [Double] = []
        for dt in [0.02, 0.01, 0.005] {
            let a = try Self.symmetricProblem(flow: .buresWasserstein, dt: dt)
            let b = try Self.symmetricProblem(flow: .riemannian, dt: dt)
            for _ in 0..<Int((1.0 / dt).rounded()) {
                try a.advance()
                try b.advance()
                let w = a.endToEnd
                #expect((w - w.transposed).maxAbs < 1e-12)
                let eigen = try symmetricEigen(0.5 * (w + w.transposed))
                #expect(eigen.values.min()! > -1e-12)
            }
            gaps.append((a.endToEnd - b.endToEnd).frobeniusNorm)
        }
        #expect(gaps[0] / gaps[1] > 1.7 && gaps[0] / gaps[1] < 2.3, "\(gaps)")
        #expect(gaps[1] / gaps[2] > 1.7 && gaps[1] / gaps[2] < 2.3, "\(gaps)")
    }
}
