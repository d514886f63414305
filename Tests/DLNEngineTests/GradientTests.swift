import Foundation
import Testing
@testable import DLNEngine

/// E'(W) of every energy, and the upstairs drift -grad L, against central finite differences.
/// Each energy is quadratic in W, so a central difference is exact up to round-off.
@Suite("Energy gradients")
struct EnergyGradientTests {
    /// E'(W) against central differences of the engine's own E, plus E against a literal
    /// re-implementation of its formula from the problem's data.
    private func checkEnergy(_ energy: any Energy, literal: (Matrix) -> Double, seed: UInt64) {
        var rng = Xoshiro256(seed: seed)
        let d = energy.size
        for _ in 0..<3 {
            let w = Ref.gaussian(d, rng: &rng)
            #expect(abs(energy.value(w) - literal(w)) <= 1e-12 * max(1, abs(literal(w))),
                    "\(energy.kind) value differs from its formula")
            var g = Matrix.zeros(d)
            energy.gradient(w, into: &g)
            let fd = Ref.gradient({ energy.value($0) }, at: w, step: 1e-4)
            let err = Ref.relativeError(g, fd)
            #expect(err < 1e-8, "\(energy.kind) d=\(d): |E' - FD|/|FD| = \(err)")
        }
    }

    @Test("E' = FD of E for every energy built by Problem.make", arguments: EnergyKind.allCases)
    func problemEnergies(kind: EnergyKind) throws {
        var p = Parameters()
        p.energy = kind
        p.size = kind == .twoByTwo ? 2 : 6
        p.targetRank = kind == .twoByTwo ? 1 : 2
        p.noise = 0.3
        p.seed = 11
        let problem = try Problem.make(p)
        let energy = problem.makeEnergy()
        #expect(energy.kind == kind || (kind == .completion && energy.kind == .completion))
        let literal: (Matrix) -> Double
        switch kind {
        case .twoByTwo:
            // (14.1): E = 1/2 ((W_11 - 1)^2 + (W_22 - 1)^2).
            literal = { w in 0.5 * ((w[0, 0] - 1) * (w[0, 0] - 1) + (w[1, 1] - 1) * (w[1, 1] - 1)) }
        case .completion:
            let a = problem.target, mask = try #require(problem.mask)
            literal = { w in
                var e = 0.0
                for i in 0..<w.rows { for j in 0..<w.cols where mask[i, j] == 1 { e += (w[i, j] - a[i, j]) * (w[i, j] - a[i, j]) } }
                return 0.5 * e
            }
        case .denoise:
            let y = try #require(problem.observation)
            #expect(Ref.relativeError(y, problem.target) > 0.01, "noise 0.3 should perturb the target")
            literal = { w in 0.5 * pow(Ref.relativeError(w, y) * y.frobeniusNorm, 2) }
        case .sensing:
            let a = try #require(problem.measurements)
            let t = problem.target
            #expect(a.rows == p.measurementCount)
            literal = { w in
                var e = 0.0
                for k in 0..<a.rows {
                    var r = 0.0
                    for i in 0..<w.rows { for j in 0..<w.cols { r += a[k, i * w.cols + j] * (w[i, j] - t[i, j]) } }
                    e += r * r
                }
                return e / (2 * Double(a.rows))
            }
        }
        checkEnergy(energy, literal: literal, seed: 100 + UInt64(kind.rawValue.count))
    }

    @Test("E' = FD of E for energies built directly", arguments: [1, 3, 6])
    func directEnergies(d: Int) {
        var rng = Xoshiro256(seed: 7 + UInt64(d))
        let target = Ref.gaussian(d, rng: &rng)
        var mask = Matrix.zeros(d)
        for k in 0..<mask.count { mask.storage[k] = rng.uniform() < 0.6 ? 1 : 0 }
        mask.storage[0] = 1
        let completion = CompletionEnergy(target: target, mask: mask)
        checkEnergy(completion, literal: { w in
            var e = 0.0
            for k in 0..<w.count where mask.storage[k] == 1 { e += pow(w.storage[k] - target.storage[k], 2) }
            return 0.5 * e
        }, seed: 1)

        let denoise = DenoiseEnergy(observation: target)
        checkEnergy(denoise, literal: { w in 0.5 * pow((w - target).frobeniusNorm, 2) }, seed: 2)

        let m = 3 * d * d + 1
        let a = rng.gaussianMatrix(rows: m, cols: d * d)
        let sensing = SensingEnergy(measurements: a, target: target)
        checkEnergy(sensing, literal: { w in
            var e = 0.0
            for k in 0..<m {
                var r = 0.0
                for q in 0..<(d * d) { r += a[k, q] * (w.storage[q] - target.storage[q]) }
                e += r * r
            }
            return e / (2 * Double(m))
        }, seed: 3)
    }

    @Test("E vanishes exactly at the target and E' with it")
    func zeroAtTarget() {
        var rng = Xoshiro256(seed: 5)
        let target = Ref.gaussian(4, rng: &rng)
        let energies: [any Energy] = [
            CompletionEnergy(target: target, mask: Matrix(rows: 4, cols: 4, repeating: 1)),
            DenoiseEnergy(observation: target),
            SensingEnergy(measurements: rng.gaussianMatrix(rows: 20, cols: 16), target: target),
        ]
        for e in energies {
            var g = Matrix.zeros(4)
            e.gradient(target, into: &g)
            #expect(abs(e.value(target)) < 1e-24)
            #expect(g.maxAbs < 1e-12)
        }
    }
}

/// The upstairs drift is -grad L with L(W_1, ..., W_N) = E(W_N ... W_1) (3.6, 7.5).
@Suite("Upstairs gradient")
struct UpstairsGradientTests {
    @Test("drift = -FD gradient of E(W_N...W_1)", arguments: [1, 2, 3, 5], [1, 3, 6])
    func driftIsMinusGradient(depth n: Int, size d: Int) throws {
        var rng = Xoshiro256(seed: UInt64(100 * n + d))
        let target = Ref.gaussian(d, rng: &rng)
        var mask = Matrix.zeros(d)
        for k in 0..<mask.count { mask.storage[k] = rng.uniform() < 0.7 ? 1 : 0 }
        mask.storage[mask.count - 1] = 1
        let energies: [any Energy] = [CompletionEnergy(target: target, mask: mask), DenoiseEnergy(observation: target)]
        for energy in energies {
            // Factor entries of size ~d^(-1/2) keep every product of order 1 at any depth.
            let factors = (0..<n).map { _ in Ref.gaussian(d, rng: &rng, scale: 1.1 / Double(d).squareRoot()) }
            let x = FlowState(parts: factors)
            let flow = UpstairsGradientFlow(energy: energy, knobs: FlowKnobs(depth: .finite(n), beta: .infinity, kappa: 0))
            let v = try flow.drift(at: x)

            var w = Matrix.zeros(d)
            flow.endToEnd(x, into: &w)
            #expect(Ref.relativeError(w, Ref.endToEnd(factors)) < 1e-13, "endToEnd is W_N ... W_1")

            for p in 0..<n {
                let fd = Ref.gradient({ wp in
                    var f = factors
                    f[p] = wp
                    return energy.value(Ref.endToEnd(f))
                }, at: factors[p], step: 1e-5)
                let err = Ref.relativeError(-1 * v.parts[p], fd)
                #expect(err < 1e-7, "N=\(n) d=\(d) \(energy.kind) factor W_\(p + 1): rel. error \(err)")
            }
        }
    }

    @Test("drift of each factor is -A_{p+1}^T E'(W) B_{p-1}^T (3.6) written out")
    func driftClosedForm() throws {
        var rng = Xoshiro256(seed: 77)
        let d = 4, n = 4
        let target = Ref.gaussian(d, rng: &rng)
        let energy = DenoiseEnergy(observation: target)
        let factors = (0..<n).map { _ in Ref.gaussian(d, rng: &rng, scale: 0.6) }
        let x = FlowState(parts: factors)
        let flow = UpstairsGradientFlow(energy: energy, knobs: FlowKnobs(depth: .finite(n), beta: .infinity, kappa: 0))
        let v = try flow.drift(at: x)
        let eprime = Ref.endToEnd(factors) - target
        for p in 1...n {
            // A_{p+1} = W_N ... W_{p+1}, B_{p-1} = W_{p-1} ... W_1 (4.10).
            var a = Matrix.identity(d), b = Matrix.identity(d)
            for q in stride(from: n, through: p + 1, by: -1) { a = Ref.mul(a, factors[q - 1]) }
            for q in stride(from: p - 1, through: 1, by: -1) { b = Ref.mul(b, factors[q - 1]) }
            let expected = -1 * Ref.mul(Ref.transpose(a), eprime, Ref.transpose(b))
            #expect(Ref.relativeError(v.parts[p - 1], expected) < 1e-13, "factor W_\(p)")
        }
    }
}
