import Foundation
import Testing
@testable import DLNEngine

/// Theorem 1 (conservation of the balance defects) and Theorem 2 (upstairs on the balanced
/// manifold = the Riemannian flow downstairs), checked through the integrator's convergence order.
@Suite("Theorems 1 and 2")
struct TheoremTests {
    /// G_p = W_{p+1}^T W_{p+1} - W_p W_p^T (4.2), computed with plain loops.
    private func defects(_ factors: [Matrix]) -> [Matrix] {
        (0..<(factors.count - 1)).map { p in
            Ref.mul(Ref.transpose(factors[p + 1]), factors[p + 1]) - Ref.mul(factors[p], Ref.transpose(factors[p]))
        }
    }

    /// Runs the upstairs explicit Euler scheme (beta = inf) to time T.
    private func upstairsEuler(_ factors: [Matrix], energy: any Energy, time: Double, dt: Double) throws -> [Matrix] {
        let flow = UpstairsGradientFlow(energy: energy, knobs: FlowKnobs(depth: .finite(factors.count), beta: .infinity, kappa: 0))
        let euler = EulerMaruyama()
        var rng = Xoshiro256(seed: 0)
        var x = FlowState(parts: factors)
        for _ in 0..<Int((time / dt).rounded()) { try euler.step(flow, &x, dt: dt, rng: &rng) }
        return x.parts
    }

    @Test("Theorem 1: under upstairs Euler the drift of G_p over time T is O(dt)", arguments: [2, 3, 5])
    func balanceDefectDriftIsFirstOrder(depth n: Int) throws {
        var rng = Xoshiro256(seed: 1200 + UInt64(n))
        let d = 3
        let target = Ref.withSingularValues([1.5, 0.8, 0.3], rng: &rng)
        var mask = Matrix(rows: d, cols: d, repeating: 1)
        mask[0, 2] = 0; mask[2, 1] = 0
        let energy = CompletionEnergy(target: target, mask: mask)
        // A generic, unbalanced start.
        let start = (0..<n).map { _ in Matrix.identity(d) + Ref.gaussian(d, rng: &rng, scale: 0.3) }
        let g0 = defects(start)
        let time = 1.0
        var drifts: [Double] = []
        for dt in [0.01, 0.005, 0.0025] {
            let end = try upstairsEuler(start, energy: energy, time: time, dt: dt)
            // The flow really moves: the end-to-end matrix changes by O(1).
            #expect(Ref.relativeError(Ref.endToEnd(end), Ref.endToEnd(start)) > 0.05)
            let g1 = defects(end)
            drifts.append(zip(g1, g0).map { ($0 - $1).frobeniusNorm }.max()!)
        }
        let ratios = [drifts[0] / drifts[1], drifts[1] / drifts[2]]
        for r in ratios { #expect(r >= 1.7 && r <= 2.3, "N=\(n): drifts \(drifts), ratios \(ratios)") }
        // G_p itself is O(1), the drift a small fraction of it.
        #expect(drifts[0] < 0.1 * g0.map(\.frobeniusNorm).max()!, "drifts \(drifts)")
    }

    @Test("Theorem 2 (4.11): on the balanced manifold d/dt (W_N...W_1) under the upstairs drift = riemannian drift",
          arguments: [1, 2, 3, 5], [2, 3, 6])
    func upstairsVelocityPushesDown(depth n: Int, size d: Int) throws {
        var rng = Xoshiro256(seed: 1300 + UInt64(10 * n + d))
        let target = Ref.gaussian(d, rng: &rng)
        var mask = Matrix.zeros(d)
        for k in 0..<mask.count { mask.storage[k] = rng.uniform() < 0.6 ? 1 : 0 }
        for energy in [CompletionEnergy(target: target, mask: mask), DenoiseEnergy(observation: target)] as [any Energy] {
            let factors = Initialization.balanced(size: d, depth: n, scale: 1, rng: &rng)
            let x = FlowState(parts: factors)
            let up = UpstairsGradientFlow(energy: energy, knobs: FlowKnobs(depth: .finite(n), beta: .infinity, kappa: 0))
            let v = try up.drift(at: x)
            // Product rule: dW/dt = sum_p W_N ... W_{p+1} V_p W_{p-1} ... W_1.
            var velocity = Matrix.zeros(d)
            for p in 0..<n {
                var f = factors
                f[p] = v.parts[p]
                velocity.add(Ref.endToEnd(f))
            }
            let w = Ref.endToEnd(factors)
            let down = DownstairsFlow.riemannian(energy: energy, knobs: FlowKnobs(depth: .finite(n), beta: .infinity, kappa: 0))
            let xw = FlowState(parts: [w])
            let vw = try down.drift(at: xw)
            let err = Ref.relativeError(vw.parts[0], velocity)
            #expect(err < 1e-11, "N=\(n) d=\(d) \(energy.kind): \(err)")
            // And both equal -A(E'(W)) with (4.14)'s eigen-based powers.
            var eprime = Matrix.zeros(d)
            energy.gradient(w, into: &eprime)
            let reference = -1 * (try Ref.operatorA(w, depth: n)(eprime))
            #expect(Ref.relativeError(velocity, reference) < 1e-11)
        }
    }

    @Test("Theorem 2: from a balanced start, upstairs and riemannian W(T) differ by O(dt)", arguments: [2, 3, 5])
    func upstairsAndRiemannianTrajectoriesAgree(depth n: Int) throws {
        var p = Parameters()
        p.energy = .completion; p.size = 4; p.targetRank = 2; p.observed = 0.7
        p.depth = .finite(n); p.initialization = .balanced; p.initScale = 0.8; p.seed = 21
        let time = 1.0
        var errors: [Double] = []
        var moved = 0.0
        for dt in [0.02, 0.01, 0.005] {
            p.dt = dt
            var ends: [Matrix] = []
            for flow in [FlowKind.upstairs, .riemannian] {
                p.flow = flow
                let sim = try Simulation(parameters: p)
                let start = sim.endToEnd
                for _ in 0..<Int((time / dt).rounded()) { try sim.advance() }
                #expect(abs(sim.time - time) < 1e-9)
                moved = Ref.relativeError(sim.endToEnd, start)
                ends.append(sim.endToEnd)
            }
            errors.append(Ref.relativeError(ends[0], ends[1]))
        }
        #expect(moved > 0.1, "W(T) differs from W(0) by \(moved)")
        let ratios = [errors[0] / errors[1], errors[1] / errors[2]]
        for r in ratios { #expect(r >= 1.7 && r <= 2.3, "N=\(n): errors \(errors), ratios \(ratios)") }
        #expect(errors[2] < 0.01, "errors \(errors)")
    }
}
