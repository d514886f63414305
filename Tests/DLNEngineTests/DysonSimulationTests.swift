import Foundation
import Testing
@testable import DLNEngine

/// The front end's driver of the lift: observables, live edits, refusals, reproducibility, and the
/// confinement, checked through the exact second-moment recursion of the Euler-Maruyama scheme.
@Suite("Dyson Brownian motion: simulation")
struct DysonSimulationTests {
    @Test("observation: eigenvalues of M descending, S = 2 log van, E = |x|^2/2, F = E - S/beta, ranks of |x|")
    func observation() throws {
        let sim = DysonSimulation(size: 4, beta: 3, kappa: 0.5, dt: 0.01, seed: 11, form: .langevin)
        for _ in 0..<50 { try sim.advance() }
        let o = sim.observe()
        let reference = try DysonRef.eigenvalues(sim.matrix).sorted(by: >)
        for k in 0..<4 { #expect(abs(o.sigma[k] - reference[k]) < 1e-12) }
        #expect(zip(o.sigma, o.sigma.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(o.sigma.contains { $0 < 0 }, "eigenvalues keep their sign")
        var logProduct = 0.0
        for i in 0..<4 { for j in (i + 1)..<4 { logProduct += log(abs(reference[i] - reference[j])) } }
        #expect(abs(o.entropy - 2 * logProduct) < 1e-10)
        let energy = 0.5 * reference.reduce(0) { $0 + $1 * $1 }
        #expect(abs(o.energy - energy) < 1e-12)
        #expect(abs(o.freeEnergy - (energy - o.entropy / 3)) < 1e-12)
        let magnitudes = reference.map(abs).sorted(by: >)
        // The reference eigenvalues come from another routine, so they agree to round-off, not bitwise
        // (seen: effective rank off by one ulp when tests run in parallel).
        #expect(abs(o.effectiveRank - Observables.effectiveRank(magnitudes)) < 1e-12)
        #expect(abs(o.stableRank - Observables.stableRank(magnitudes)) < 1e-12)
        #expect(o.balanceDefect == nil)
        #expect(o.step == 50 && abs(o.time - 0.5) < 1e-12)
        #expect(sim.matrix.hermitianDefect == 0)
        #expect(sim.imaginaryPart.maxAbs > 0, "complex entries, as in the paper")
        // Under (11.4), the default, the free energy is E - S/2 whatever beta is.
        let dyson = DysonSimulation(size: 3, beta: 7, kappa: 1, dt: 0.01, seed: 12)
        #expect(dyson.form == .dyson)
        try dyson.advance()
        let d = dyson.observe()
        #expect(abs(d.freeEnergy - (d.energy - d.entropy / 2)) < 1e-12)
    }

    @Test("same seed, same trajectory bit for bit; another seed, another")
    func reproducible() throws {
        func run(_ seed: UInt64) throws -> ComplexMatrix {
            let sim = DysonSimulation(size: 5, beta: 2, kappa: 1, dt: 0.01, seed: seed)
            for _ in 0..<30 { try sim.advance() }
            return sim.matrix
        }
        #expect(try run(3) == run(3))
        #expect(try run(3) != run(4))
    }

    @Test("beta = inf under (11.7): no noise, M_{n+1} = (1 - dt) M_n, so x_n = (1 - dt)^n x_0")
    func zeroTemperatureIsGradientDescent() throws {
        let sim = DysonSimulation(size: 3, beta: .infinity, kappa: 2, dt: 0.05, seed: 1, form: .langevin,
                                  initialEigenvalues: [2, -1, 0.5])
        for _ in 0..<20 { try sim.advance() }
        let factor = pow(0.95, 20.0)
        let expected = [2.0, 0.5, -1].map { $0 * factor }
        for k in 0..<3 { #expect(abs(sim.eigenvalues[k] - expected[k]) < 1e-13) }
        #expect(sim.amplitudes == DysonAmplitudes(tangential: 0, normal: 0))
        #expect(sim.observe().freeEnergy == sim.observe().energy)
    }

    @Test("a step that would diverge is refused and leaves M, the step count and the time unchanged")
    func refusal() throws {
        let sim = DysonSimulation(size: 3, beta: 1, kappa: 1, dt: 0.01, seed: 5)
        for _ in 0..<10 { try sim.advance() }
        let before = sim.matrix, t = sim.time
        sim.setDt(1e250)  // noise of size 1e125: |M|^2 past the divergence bound
        #expect(throws: StepError.self) { try sim.advance() }
        #expect(sim.matrix == before && sim.stepCount == 10 && sim.time == t)
        sim.setDt(0.02)
        try sim.advance()
        #expect(abs(sim.time - (t + 0.02)) < 1e-15)
        #expect(sim.edits.map(\.parameter) == ["dt", "dt"])
    }

    @Test("live edits: beta and kappa reset the amplitudes of (11.7); kappa is inert under (11.4)")
    func liveEdits() {
        let sim = DysonSimulation(size: 3, beta: 2, kappa: 1, dt: 0.01, seed: 5, form: .langevin)
        sim.setBeta(8)
        sim.setKappa(4)
        #expect(abs(sim.amplitudes.tangential - 0.5) < 1e-15 && abs(sim.amplitudes.normal - 1) < 1e-15)
        let dyson = DysonSimulation(size: 3, beta: 2, kappa: 1, dt: 0.01, seed: 5)
        dyson.setKappa(9)
        #expect(dyson.amplitudes == DysonAmplitudes(tangential: 1, normal: 1))
        dyson.setBeta(0.5)
        #expect(dyson.amplitudes == DysonAmplitudes(tangential: 1, normal: 2))
        #expect(dyson.edits.map(\.parameter) == ["kappa", "beta"])
    }

    /// With E = c|x|^2/2 the drift is -cM, and <M, P_M dH> = 0, |P_M dH|^2 ~ (d^2 - d) dt,
    /// |P_M^perp dH|^2 ~ d dt give, for the scheme exactly,
    ///     E|M_{n+1}|^2 = (1 - c dt)^2 E|M_n|^2 + (a^2 (d^2 - d) + b^2 d) dt.
    /// Two forms weigh a and b differently, so both amplitudes and the confinement are checked.
    @Test("confinement: E Tr(M_n^2) follows the scheme's exact recursion under (11.4) and (11.7)",
          arguments: [DysonForm.dyson, .langevin])
    func secondMoment(form: DysonForm) throws {
        let d = 4, dt = 0.01, steps = 300, runs = 600
        let (beta, kappa) = form == .dyson ? (1.0, 1.0) : (2.0, 0.25)
        var sums = [Double](repeating: 0, count: 3), squares = sums
        let checkpoints = [30, 100, 300]
        for run in 0..<runs {
            let sim = DysonSimulation(size: d, beta: beta, kappa: kappa, dt: dt, seed: (form == .dyson ? 20_000 : 30_000) + UInt64(run), form: form)
            for step in 1...steps {
                try sim.advance()
                if let k = checkpoints.firstIndex(of: step) {
                    let q = sim.matrix.normSquared
                    sums[k] += q
                    squares[k] += q * q
                }
            }
        }
        let amplitudes = form.amplitudes(beta: beta, kappa: kappa)
        let a = amplitudes.tangential, b = amplitudes.normal
        let rho = (1 - dt) * (1 - dt)
        let source = (a * a * Double(d * d - d) + b * b * Double(d)) * dt
        let start = [-1.0, -1.0 / 3, 1.0 / 3, 1].reduce(0) { $0 + $1 * $1 }
        for (k, n) in checkpoints.enumerated() {
            let exact = pow(rho, Double(n)) * start + source * (1 - pow(rho, Double(n))) / (1 - rho)
            let mean = sums[k] / Double(runs)
            let error = ((squares[k] / Double(runs) - mean * mean) / Double(runs)).squareRoot()
            #expect(abs(mean - exact) < 4 * error, "\(form) n=\(n): z = \((mean - exact) / error)")
            // The stationary value (a^2 (d^2-d) + b^2 d) / (2c) would differ by many errors early on.
            if n == 30 { #expect(abs(source / (1 - rho) - exact) > 10 * error) }
        }
    }
}
