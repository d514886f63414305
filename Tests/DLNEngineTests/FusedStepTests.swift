import Testing
@testable import DLNEngine

/// The small-d upstairs paths (`evaluateSmall`, the fused Euler step with its 2 x 2 products written
/// out, and its copy of `StepCheck`) must give the general Matrix path's states and refusals to the bit.
@Suite("The fused small-d upstairs step")
struct FusedStepTests {
    static func flow(d: Int, n: Int, seed: UInt64, small: Bool) -> (UpstairsGradientFlow, FlowState) {
        var rng = Xoshiro256(seed: seed)
        let target = rng.gaussianMatrix(rows: d, cols: d, scale: 1 / Double(d).squareRoot())
        var mask = Matrix.zeros(d)
        for k in 0..<mask.count { mask.storage[k] = k == 0 || rng.uniform() < 0.6 ? 1 : 0 }
        let energy = CompletionEnergy(target: target, mask: mask)
        let flow = UpstairsGradientFlow(energy: energy, knobs: FlowKnobs(depth: .finite(n), beta: .infinity, kappa: 0))
        flow.usesSmallPaths = small
        // Near the identity, so that 60 steps of N = 7 stay bounded.
        let parts = (0..<n).map { _ in Matrix.identity(d) + rng.gaussianMatrix(rows: d, cols: d, scale: 0.3 / Double(d).squareRoot()) }
        return (flow, FlowState(parts: parts))
    }

    static func bits(_ x: FlowState) -> [UInt64] { x.parts.flatMap { $0.storage.map(\.bitPattern) } }

    @Test("Euler steps equal the general step's bit for bit: d = 1 ... 9, N = 1, 2, 4, 7",
          arguments: [1, 2, 3, 4, 5, 8, 9])
    func sameSteps(d: Int) throws {
        for n in [1, 2, 4, 7] {
            let (fast, x0) = Self.flow(d: d, n: n, seed: UInt64(10 * d + n), small: true)
            let (reference, _) = Self.flow(d: d, n: n, seed: UInt64(10 * d + n), small: false)
            #expect(Self.bits(try fast.drift(at: x0)) == Self.bits(try reference.drift(at: x0)), "drift d = \(d), N = \(n)")
            let a = EulerMaruyama(), b = EulerMaruyama()
            var x = x0, y = x0, rng = Xoshiro256(seed: 1)
            for step in 0..<60 {
                try a.step(fast, &x, dt: 0.02, rng: &rng)
                try b.step(reference, &y, dt: 0.02, rng: &rng)
                #expect(Self.bits(x) == Self.bits(y), "d = \(d), N = \(n), step \(step)")
            }
            #expect(x != x0)
        }
    }

    @Test("a refused step is refused alike, with the same message, and leaves the state as it was")
    func sameRefusals() {
        for d in [2, 3, 6] {
            for n in [1, 3] {
                let (fast, x0) = Self.flow(d: d, n: n, seed: UInt64(d + 100 * n), small: true)
                let (reference, _) = Self.flow(d: d, n: n, seed: UInt64(d + 100 * n), small: false)
                for dt in [1e6, 1e200, Double.infinity] {
                    var x = x0, y = x0, rng = Xoshiro256(seed: 2)
                    var e1: StepError? = nil, e2: StepError? = nil
                    do { try EulerMaruyama().step(fast, &x, dt: dt, rng: &rng) } catch { e1 = error }
                    do { try EulerMaruyama().step(reference, &y, dt: dt, rng: &rng) } catch { e2 = error }
                    #expect(e1 != nil && e1 == e2, "d = \(d), N = \(n), dt = \(dt): \(String(describing: e1)) vs \(String(describing: e2))")
                    #expect(Self.bits(x) == Self.bits(x0))
                }
            }
        }
    }

    @Test("a deep product past the norm bound is formed and refused alike (the end-to-end W check)")
    func endToEndBound() {
        // 40 factors of norm ~1e3 each: every part is fine, their product bound 1e120 passes 1e100.
        for d in [2, 4] {
            var x = FlowState(parts: (0..<40).map { _ in Matrix.identity(d) })
            for p in 0..<40 { x.parts[p].scale(by: 1e3) }
            let (fast, _) = Self.flow(d: d, n: 40, seed: 5, small: true)
            let (reference, _) = Self.flow(d: d, n: 40, seed: 5, small: false)
            var a = x, b = x, rng = Xoshiro256(seed: 3)
            var e1: StepError? = nil, e2: StepError? = nil
            do { try EulerMaruyama().step(fast, &a, dt: 0, rng: &rng) } catch { e1 = error }
            do { try EulerMaruyama().step(reference, &b, dt: 0, rng: &rng) } catch { e2 = error }
            #expect(e1 == .diverged(quantity: "end-to-end W") && e1 == e2, "\(String(describing: e1)) vs \(String(describing: e2))")
        }
    }
}
