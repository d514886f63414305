import Foundation
import Testing
@testable import DLNEngine

/// The `dyson` flow run through the ordinary machinery (`Simulation`, `EulerMaruyama`, the preset):
/// its eigenvalue law against the particle system (11.1) with the confinement, the Hermitian state,
/// and the observation's formulas against independent computations from the matrix.
@Suite("Dyson Brownian motion: the dyson flow through Simulation")
struct DysonFlowTests {
    static let runs = 3000
    static let dt = 5e-3

    /// The preset at d = 3: M starts at diag(1, 0, -1), the start of `DysonLawTests`.
    static func parameters(beta: Double = 2, seed: UInt64 = 1, size: Int = 3) -> Parameters {
        var p = Preset.named("dyson")!.parameters
        p.size = size; p.beta = beta; p.dt = dt; p.seed = seed
        return p
    }

    static func flowSample(seedBase: UInt64) throws -> DysonLawTests.Moments {
        let steps = Int((DysonLawTests.horizon / dt).rounded())
        var out: [[Double]] = []
        out.reserveCapacity(runs)
        for r in 0..<runs {
            let sim = try Simulation(parameters: parameters(seed: seedBase + UInt64(r)))
            for _ in 0..<steps { try sim.advance() }
            out.append(try sim.observe().sigma.reversed())
        }
        return DysonLawTests.Moments(out)
    }

    static func particleSample(loss: EigenvalueLoss, seed: UInt64) throws -> DysonLawTests.Moments {
        let steps = Int((DysonLawTests.horizon / dt).rounded())
        var rng = Xoshiro256(seed: seed)
        var out: [[Double]] = []
        out.reserveCapacity(runs)
        for _ in 0..<runs {
            var x = DysonParticles(positions: DysonLawTests.start, amplitudes: .dyson(beta: 2), loss: loss)
            for _ in 0..<steps { try x.step(dt: dt, rng: &rng) }
            out.append(x.positions)
        }
        return DysonLawTests.Moments(out)
    }

    @Test("beta = 2: eigenvalues at T = 0.2 ~ the particle system (11.1) with E = |x|^2/2, |z| < 4; without E, |z| > 4")
    func lawMatchesParticles() throws {
        let start = try Simulation(parameters: Self.parameters()).observe().sigma
        #expect(zip(start, [1.0, 0, -1]).allSatisfy { abs($0 - $1) < 1e-14 }, "start \(start)")
        let flow = try Self.flowSample(seedBase: 50_000)
        let particles = try Self.particleSample(loss: .confining(strength: 1), seed: 9100)
        let z = flow.zScores(against: particles)
        print("dyson flow vs particles (means, then variances): z = \(z.map { String(format: "%.2f", $0) })")
        #expect(z.allSatisfy { abs($0) < 4 }, "z = \(z)")
        #expect(particles.variance.allSatisfy { $0 > 0.02 }, "\(particles.variance)")
        // Power: the unconfined particle system differs by the drift -x over T, visible in the means.
        let free = try Self.particleSample(loss: .none, seed: 9101)
        let zFree = flow.zScores(against: free).map(abs).max()!
        print("dyson flow vs unconfined particles: max |z| = \(zFree)")
        #expect(zFree > 4, "max |z| = \(zFree)")
    }

    @Test("the state stays Hermitian with a genuinely complex part; tr M and ||M||_F^2 are the eigenvalues' sum and |x|^2")
    func stateStaysHermitian() throws {
        let sim = try Simulation(parameters: Self.parameters(size: 5))
        for _ in 0..<300 { try sim.advance() }
        let re = sim.state.parts[0], im = sim.state.parts[1]
        #expect(sim.state.parts.count == 2)
        for i in 0..<5 {
            #expect(im[i, i] == 0)
            for j in 0..<5 {
                #expect(re[i, j] == re[j, i])
                #expect(im[i, j] == -im[j, i])
            }
        }
        #expect(im.frobeniusNorm > 0.1, "Im M = \(im.frobeniusNorm)")
        let x = try sim.observe().sigma
        #expect(zip(x, x.dropFirst()).allSatisfy { $0 >= $1 }, "descending: \(x)")
        let norm2 = re.dot(re) + im.dot(im)
        #expect(abs(x.reduce(0, +) - re.trace) < 1e-12)
        #expect(abs(x.reduce(0) { $0 + $1 * $1 } - norm2) < 1e-12 * norm2)
        // W panel: the end-to-end matrix is Re M.
        #expect(sim.endToEnd == re)
    }

    @Test("the observation: S = 2 log van(x), E = |x|^2/2 = ||M||_F^2/2, F = E - S/2, ranks of |x|", arguments: [2.0, .infinity])
    func observationFormulas(beta: Double) throws {
        let sim = try Simulation(parameters: Self.parameters(beta: beta, size: 5))
        for _ in 0..<200 { try sim.advance() }
        let o = try sim.observe()
        let x = o.sigma
        var product = 1.0
        for i in 0..<5 { for j in (i + 1)..<5 { product *= (x[i] - x[j]) * (x[i] - x[j]) } }
        #expect(abs(o.entropy - log(product)) < 1e-12 * max(1, abs(o.entropy)))
        let re = sim.state.parts[0], im = sim.state.parts[1]
        let e = 0.5 * (re.dot(re) + im.dot(im))
        #expect(abs(o.energy - e) < 1e-12 * e)
        // The eigenvalue drift is -grad(E - S/2) at every beta (a = 1 in (11.4)).
        #expect(abs(o.freeEnergy - (o.energy - o.entropy / 2)) < 1e-12 * max(1, abs(o.freeEnergy)))
        let magnitudes = x.map(abs).sorted(by: >)
        #expect(o.stableRank == Observables.stableRank(magnitudes))
        #expect(o.effectiveRank == Observables.effectiveRank(magnitudes))
        #expect(o.balanceDefect == nil)
        #expect(o.step == 200 && abs(o.time - 200 * Self.dt) < 1e-12)
    }

    /// The tangential noise is traceless (off-diagonal in the eigenframe) and the normal noise is not:
    /// Tr M_{n+1} = (1 - dt) Tr M_n + b Tr(diag G). At beta = inf, b = 0 and the trace is deterministic:
    /// the evenly spaced start has Tr M_0 = 0, so it stays 0 to round-off.
    @Test("beta = inf: only tangential noise, so tr M = (1 - dt)^n tr M_0 (= 0) exactly, while M is still random")
    func infiniteBetaIsTangential() throws {
        var p = Self.parameters(beta: .infinity, size: 4)
        let a = try Simulation(parameters: p)
        p.seed = 2
        let b = try Simulation(parameters: p)
        for _ in 0..<200 { try a.advance(); try b.advance() }
        let expected = pow(1 - Self.dt, 200) * Initialization.evenlySpaced(size: 4, scale: 1).reduce(0, +)
        #expect(abs(a.endToEnd.trace - expected) < 1e-12 && abs(b.endToEnd.trace - expected) < 1e-12)
        #expect(a.state != b.state, "the tangential noise moves M")
        // At beta = 2 the normal noise moves the trace.
        let c = try Simulation(parameters: Self.parameters(beta: 2, size: 4))
        for _ in 0..<200 { try c.advance() }
        #expect(abs(c.endToEnd.trace - expected) > 1e-3)
    }

    @Test("the preset validates, ignores N (inf included) and switches flows both ways")
    func presetAndSwitching() throws {
        var p = Preset.named("dyson")!.parameters
        try p.validate()
        #expect(p.flow == .dyson && p.size == 5 && p.beta == 2 && p.dt == 0.002 && p.steps == 5000)
        p.depth = Depth.infinite
        try p.validate()
        let sim = try Simulation(parameters: Self.parameters(size: 5))
        for _ in 0..<20 { try sim.advance() }
        let before = sim.state
        try sim.apply(.depth(7))
        #expect(sim.state == before)
        let w = sim.endToEnd
        try sim.apply(.flow(.riemannian))
        #expect(sim.endToEnd == w)
        try sim.apply(.flow(.dyson))
        #expect(sim.state.parts[0] == 0.5 * (w + w.transposed) && sim.state.parts[1] == .zeros(5))
        try sim.advance()
    }
}
