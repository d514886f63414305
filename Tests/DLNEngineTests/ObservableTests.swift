import Foundation
import Testing
@testable import DLNEngine

/// Ranks, free energy and balance defect as read off a state.
@Suite("Observables")
struct ObservableTests {
    private func sigma(_ w: Matrix) throws -> [Double] { try SVD.of(w).sigma }

    @Test("effective rank: 2 for diag(1,1,0,...), 1 for rank one, 0 at W = 0, d for I")
    func effectiveRank() throws {
        #expect(abs(Observables.effectiveRank(try sigma(.diagonal([1, 1, 0, 0, 0]))) - 2) < 1e-14)
        #expect(abs(Observables.effectiveRank(try sigma(.diagonal([0, 3, 0, 3]))) - 2) < 1e-14)
        var rng = Xoshiro256(seed: 1800)
        let u = rng.gaussianMatrix(rows: 6, cols: 1), v = rng.gaussianMatrix(rows: 1, cols: 6)
        #expect(abs(Observables.effectiveRank(try sigma(Ref.mul(u, v))) - 1) < 1e-12)
        #expect(Observables.effectiveRank(try sigma(.zeros(4))) == 0)
        #expect(abs(Observables.effectiveRank(try sigma(.identity(7))) - 7) < 1e-13)
        // Roy-Vetterli at sigma = (2, 1): p = (2/3, 1/3), erank = exp(H) = 3 / 2^(2/3).
        #expect(abs(Observables.effectiveRank([2, 1]) - 3 / pow(2, 2.0 / 3)) < 1e-14)
        // Scale-free.
        let s = [3.0, 1.0, 0.2]
        #expect(abs(Observables.effectiveRank(s) - Observables.effectiveRank(s.map { 1e-5 * $0 })) < 1e-13)
    }

    @Test("stable rank = ||W||_F^2 / ||W||_2^2, 0 at W = 0")
    func stableRank() throws {
        var rng = Xoshiro256(seed: 1801)
        for d in [2, 5, 9] {
            let w = Ref.gaussian(d, rng: &rng)
            let top = try symmetricEigen(Ref.mul(Ref.transpose(w), w)).values.last!
            let want = pow(w.frobeniusNorm, 2) / top
            #expect(abs(Observables.stableRank(try sigma(w)) - want) < 1e-12 * want)
        }
        #expect(Observables.stableRank(try sigma(.zeros(3))) == 0)
        #expect(abs(Observables.stableRank(try sigma(.identity(4))) - 4) < 1e-14)
    }

    @Test("numerical rank counts sigma_k above tolerance x the problem's scale, not x sigma_1")
    func numericalRank() throws {
        let w = Matrix.diagonal([5, 0.5, 0.05, 0.001])
        let energy = DenoiseEnergy(observation: .zeros(4))
        let observer = Observer(size: 4)
        func rank(_ w: Matrix, scale: Double, tol: Double = 1e-2) throws -> Int {
            try observer.observe(endToEnd: w, factors: nil, energy: energy, depth: 3, beta: .infinity, scale: scale,
                                 rankTolerance: tol, step: 0, time: 0).numericalRank
        }
        #expect(try rank(w, scale: 10) == 2)  // threshold 0.1
        #expect(try rank(w, scale: 1) == 3)  // threshold 0.01
        #expect(try rank(w, scale: 0.01) == 4)  // threshold 1e-4
        #expect(try rank(w, scale: 1, tol: 0.2) == 2)
        // A tiny W counts nothing learned, though its values are within a factor of each other.
        var rng = Xoshiro256(seed: 1802)
        #expect(try rank(Ref.gaussian(4, rng: &rng, scale: 1e-4), scale: 1) == 0)
        #expect(try rank(.zeros(4), scale: 1) == 0)
        #expect(Observables.numericalRank([1, 0.5], tolerance: 0.5) == 1, "strictly above the tolerance")
    }

    @Test("F = E - S/beta, and F = E at beta = inf even where S = -inf")
    func freeEnergy() {
        #expect(Observables.freeEnergy(energy: 2, entropy: -.infinity, beta: .infinity) == 2)
        #expect(Observables.freeEnergy(energy: 2, entropy: 3, beta: .infinity) == 2)
        #expect(Observables.freeEnergy(energy: 2, entropy: 3, beta: 4) == 2 - 0.75)
        #expect(Observables.freeEnergy(energy: 2, entropy: -.infinity, beta: 4) == .infinity)
    }

    @Test("the observation of a state: E, S, F and sigma are those of its end-to-end W")
    func observationOfAState() throws {
        var p = Parameters()
        p.energy = .completion; p.size = 5; p.depth = 3; p.targetRank = 2; p.beta = 7; p.flow = .upstairs
        p.initialization = .balanced; p.initScale = 0.8
        let sim = try Simulation(parameters: p)
        let o = try sim.observe()
        let w = Ref.endToEnd(sim.state.parts)
        let s = try symmetricEigen(Ref.mul(Ref.transpose(w), w)).values.map { max($0, 0).squareRoot() }.sorted(by: >)
        for k in 0..<5 { #expect(abs(o.sigma[k] - s[k]) < 1e-13) }
        #expect(abs(o.energy - sim.energy.value(w)) < 1e-14)
        #expect(abs(o.entropy - Ref.theorem10Entropy(s, depth: 3)) < 1e-11)
        #expect(abs(o.freeEnergy - (o.energy - o.entropy / 7)) < 1e-14)
        #expect(o.step == 0 && o.time == 0)
    }

    /// sum_p ||G_p||_F with plain loops.
    private func referenceDefect(_ factors: [Matrix]) -> Double {
        (0..<(factors.count - 1)).reduce(0.0) { total, p in
            total + (Ref.mul(Ref.transpose(factors[p + 1]), factors[p + 1]) - Ref.mul(factors[p], Ref.transpose(factors[p]))).frobeniusNorm
        }
    }

    @Test("balance defect: 0 at a balanced start (to 1e-12), positive for a small Gaussian start",
          arguments: [2, 3, 6])
    func balanceDefect(depth n: Int) throws {
        var p = Parameters()
        p.energy = .completion; p.size = 6; p.depth = .finite(n); p.targetRank = 2; p.flow = .upstairs
        p.initialization = .balanced; p.initScale = 1
        let balanced = try Simulation(parameters: p)
        let ob = try balanced.observe()
        #expect(try #require(ob.balanceDefect) < 1e-12)
        #expect(balanced.balanceDefects().count == n - 1)
        #expect(balanced.balanceDefects().allSatisfy { $0 < 1e-12 })

        p.initialization = .small; p.initScale = 1e-2
        let small = try Simulation(parameters: p)
        let os = try small.observe()
        let defect = try #require(os.balanceDefect)
        let reference = referenceDefect(small.state.parts)
        #expect(defect > 0.01 * pow(1e-2, 2.0 / Double(n)), "G_p is of the order of the factors squared")
        #expect(abs(defect - reference) < 1e-13 * reference)
        #expect(abs(small.balanceDefects().reduce(0, +) - reference) < 1e-13 * reference)

        // Downstairs there are no factors: no defect.
        p.flow = .riemannian
        let down = try Simulation(parameters: p)
        #expect(try down.observe().balanceDefect == nil)
        #expect(down.balanceDefects().isEmpty)
    }

    @Test("N = 1 has no balance condition")
    func depthOne() throws {
        var p = Parameters()
        p.size = 4; p.depth = 1; p.targetRank = 2
        let sim = try Simulation(parameters: p)
        #expect(sim.balanceDefects().isEmpty)
        #expect(try sim.observe().balanceDefect == 0)
        #expect(try sim.observe().entropy == 0)
    }
}
