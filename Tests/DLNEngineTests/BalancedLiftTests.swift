import Foundation
import Testing
@testable import DLNEngine

/// The riemannian flow stepped in its balanced factors (`--lift balanced`, Theorem 2) against
/// independent curves: the exact diagonal solution, and the riemannian flow stepped as W itself
/// (Lemma 1's frame, another code path) at a much tighter tolerance.
@Suite("Balanced lift of the riemannian flow", .serialized)
struct BalancedLiftTests {
    typealias Exact = IntegratorTests

    /// sum_p ||G_p||_F relative to the largest ||W_p||_F^2 (G_p = W_{p+1}^T W_{p+1} - W_p W_p^T, (4.2)).
    static func relativeDefect(_ sim: Simulation) -> Double {
        let scale = sim.state.parts.map { $0.sumOfSquares }.max()!
        return sim.balanceDefects().reduce(0, +) / scale
    }

    @Test("lifted, dopri5 at rtol 1e-8 follows the exact diagonal curve within 5e-7, W and the factors stay diagonal and balanced",
          arguments: [2, 3, 4])
    func exactDiagonal(_ n: Int) throws {
        let sim = try Exact.simulation(.riemannian, depth: n, .dopri5, dt: 0.01, rtol: 1e-8, atol: 1e-12, lift: .balanced)
        #expect(sim.flow is BalancedRiemannianFlow && sim.state.parts.count == n)
        #expect(Self.relativeDefect(sim) < 1e-15, "the start is factorised in balance")
        let saved = stride(from: 0.25, through: Exact.end, by: 0.25).map { $0 }
        let r = try Exact.run(sim, saved: saved)
        #expect(r.error < 5e-7, "N=\(n): error \(r.error)")
        #expect(r.offDiagonal < 1e-10)
        for part in sim.state.parts {
            for i in 0..<3 { for j in 0..<3 where i != j { #expect(abs(part[i, j]) < 1e-10) } }
        }
        #expect(Self.relativeDefect(sim) < 1e-9, "N=\(n): defect \(Self.relativeDefect(sim))")
    }

    @Test("lifted, heun and rk4 converge at orders 2 and 4 to the exact diagonal curve", arguments: [2, 3, 4])
    func orders(_ n: Int) throws {
        for (kind, dt, range) in [(IntegratorKind.heun, 0.04, 3.0...5.5), (.rk4, 0.1, 11.0...22.0)] {
            let coarse = try Exact.run(Exact.simulation(.riemannian, depth: n, kind, dt: dt, lift: .balanced), saved: [Exact.end])
            let fine = try Exact.run(Exact.simulation(.riemannian, depth: n, kind, dt: dt / 2, lift: .balanced), saved: [Exact.end])
            let ratio = coarse.error / fine.error
            #expect(range.contains(ratio), "N=\(n) \(kind.rawValue): errors \(coarse.error), \(fine.error), ratio \(ratio)")
        }
    }

    /// A completion problem (d = 6, rank 2, half observed, small start 1e-5) to t = 200, past both rank jumps.
    static func completion(depth n: Int, lift: Lift, rtol: Double, atol: Double, timeScale: TimeScale = .plain) throws -> Simulation {
        var p = Preset.named("completion")!.parameters
        p.flow = .riemannian
        p.size = 6
        p.targetRank = 2
        p.initScale = 1e-5
        p.depth = .finite(n)
        p.timeScale = timeScale
        p.seed = 1
        p.integrator = .dopri5
        p.rtol = rtol
        p.atol = atol
        p.lift = lift
        return try Simulation(parameters: p)
    }

    /// The singular values at t = 20, 40, ..., 200 (times t / N under the depth time scale).
    static func curve(_ sim: Simulation, scale: Double = 1) throws -> [[Double]] {
        try stride(from: 20.0, through: 200, by: 20).map { t in
            while !(try sim.advance(landingAt: t * scale)) {}
            return try sim.observe().sigma
        }
    }

    /// The largest relative difference of a singular value above 1e-2 sigma_1 over the rows.
    static func worst(_ got: [[Double]], _ reference: [[Double]]) -> Double {
        var worst = 0.0
        for (g, r) in zip(got, reference) {
            for (a, b) in zip(g, r) where b > 1e-2 * r[0] { worst = max(worst, abs(a - b) / b) }
        }
        return worst
    }

    @Test("completion: lifted at the presets' rtol 1e-8 is within 1e-6 of W stepped at rtol 1e-11, closer than W at rtol 1e-8 from N = 3, and its factors stay balanced",
          arguments: [2, 3])
    func completionAgainstAmbient(_ n: Int) throws {
        let reference = try Self.curve(Self.completion(depth: n, lift: .ambient, rtol: 1e-11, atol: 1e-15))
        #expect(reference.last![1] > 0.1, "both values learned by t = 200")
        let sim = try Self.completion(depth: n, lift: .balanced, rtol: 1e-8, atol: 1e-12)
        #expect(sim.flow is BalancedRiemannianFlow)
        #expect(Self.relativeDefect(sim) < 1e-14)
        let lifted = Self.worst(try Self.curve(sim), reference)
        #expect(lifted < 1e-6, "N=\(n): lifted \(lifted)")
        #expect(Self.relativeDefect(sim) < 1e-7, "N=\(n): defect \(Self.relativeDefect(sim))")
        let ambient = Self.worst(try Self.curve(Self.completion(depth: n, lift: .ambient, rtol: 1e-8, atol: 1e-12)), reference)
        // At N = 2 stepping W is already as accurate (Lemma 1's C is smooth there); from N = 3 the
        // small singular values' frame is what the additive step scrambles.
        if n >= 3 { #expect(lifted < ambient, "N=\(n): lifted \(lifted), W itself \(ambient) at the same tolerance") }
    }

    @Test("under --time-scale depth the lifted flow is the W flow on the time axis t / N")
    func depthTimeScale() throws {
        let n = 3
        let reference = try Self.curve(Self.completion(depth: n, lift: .ambient, rtol: 1e-11, atol: 1e-15, timeScale: .depth), scale: Double(n))
        let plain = try Self.curve(Self.completion(depth: n, lift: .ambient, rtol: 1e-11, atol: 1e-15))
        #expect(Self.worst(reference, plain) < 1e-5, "depth-normalised time is the plain flow at t N")
        let lifted = try Self.curve(Self.completion(depth: n, lift: .balanced, rtol: 1e-8, atol: 1e-12, timeScale: .depth), scale: Double(n))
        #expect(Self.worst(lifted, reference) < 1e-6)
    }

    @Test("auto lifts under heun, rk4, dopri5 and not under euler; never at N = inf nor for another flow")
    func autoChoice() throws {
        var p = Parameters()
        p.flow = .riemannian
        for (kind, lifted) in [(IntegratorKind.euler, false), (.heun, true), (.rk4, true), (.dopri5, true)] {
            p.integrator = kind
            #expect(p.stepsBalancedFactors == lifted)
        }
        p.lift = .ambient
        #expect(!p.stepsBalancedFactors)
        p.lift = .balanced
        p.integrator = .euler
        #expect(p.stepsBalancedFactors && p.liftFallback == nil)
        p.depth = .infinite
        #expect(!p.stepsBalancedFactors && p.liftFallback!.contains("N = inf"))
        p.depth = 3
        for flow in [FlowKind.freeEnergy, .langevin] {
            p.flow = flow
            #expect(!p.stepsBalancedFactors && p.liftFallback!.contains("Theorem 2"))
        }
        // --dt alone (euler) steps W itself: the rows written before the lift existed.
        let sim = try Simulation(parameters: { var q = Parameters(); q.flow = .riemannian; q.size = 4; return q }())
        #expect(sim.flow is DownstairsFlow && sim.state.parts.count == 1)
    }

    @Test("edits: N refactorises W in balance, N = inf and a flow with an entropic force fall back to W, euler and dopri5 switch under auto")
    func edits() throws {
        let sim = try Self.completion(depth: 3, lift: .auto, rtol: 1e-8, atol: 1e-12)
        for _ in 0..<50 { try sim.advance() }
        let w = sim.endToEnd
        try sim.apply(.depth(5))
        #expect(sim.flow is BalancedRiemannianFlow && sim.state.parts.count == 5)
        #expect(Self.relativeDefect(sim) < 1e-13)
        #expect((sim.endToEnd - w).frobeniusNorm < 1e-12 * w.frobeniusNorm)
        try sim.apply(.depth(.infinite))
        #expect(sim.flow is DownstairsFlow && sim.state.parts.count == 1)
        try sim.apply(.depth(3))
        #expect(sim.flow is BalancedRiemannianFlow && sim.state.parts.count == 3)
        try sim.apply(.integrator(.euler))
        #expect(sim.flow is DownstairsFlow)
        try sim.apply(.integrator(.rk4))
        #expect(sim.flow is BalancedRiemannianFlow)
        #expect((sim.endToEnd - w).frobeniusNorm < 1e-12 * w.frobeniusNorm, "W kept through every change")
        // --lift balanced asked at the start: a flow it cannot apply to is not refused, it steps W.
        var p = sim.start
        p.lift = .balanced
        p.givenFlags = ["--lift"]
        let asked = try Simulation(parameters: p)
        try asked.apply(.beta(20))
        try asked.apply(.flow(.freeEnergy))
        #expect(asked.flow is DownstairsFlow)
        try asked.apply(.flow(.riemannian))
        #expect(asked.flow is BalancedRiemannianFlow)
    }
}
