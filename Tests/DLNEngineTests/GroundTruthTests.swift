import Foundation
import Testing
@testable import DLNEngine

/// The errors against the clean target, recomputed here entry by entry from the problem's own
/// matrices (a second formula: sums of squared differences, not `GroundTruth`'s code path).
@Suite("Ground truth")
struct GroundTruthTests {
    /// sqrt(sum over entries where keep(i, j) of (x - y)^2).
    static func norm(_ x: Matrix, _ y: Matrix, keep: (Int, Int) -> Bool = { _, _ in true }) -> Double {
        var sum = 0.0
        for i in 0..<x.rows { for j in 0..<x.cols where keep(i, j) { sum += pow(x[i, j] - y[i, j], 2) } }
        return sum.squareRoot()
    }

    static func run(_ preset: String, steps: Int, change: (inout Parameters) -> Void = { _ in }) throws -> Simulation {
        var p = Preset.named(preset)!.parameters
        change(&p)
        let sim = try Simulation(parameters: p)
        for _ in 0..<steps { try sim.advance() }
        return sim
    }

    @Test("completion: error over all entries and over the unobserved ones")
    func completion() throws {
        let sim = try Self.run("completion", steps: 3000) { $0.size = 6; $0.targetRank = 2; $0.observed = 0.5 }
        let o = try sim.observe()
        let w = sim.endToEnd, a = sim.problem.target, mask = try #require(sim.problem.mask)
        let zero = Matrix.zeros(6)
        let error = Self.norm(w, a) / Self.norm(a, zero)
        let unobserved = Self.norm(w, a) { mask[$0, $1] == 0 } / Self.norm(a, zero) { mask[$0, $1] == 0 }
        #expect(abs(try #require(o.error) - error) <= 1e-14 * error)
        #expect(abs(try #require(o.errorUnobserved) - unobserved) <= 1e-14 * unobserved)
        // The two differ: the observed entries are fitted first.
        #expect(abs(error - unobserved) > 1e-3)
    }

    @Test("at the start from a tiny W the error is about 1; at W = A it is 0")
    func endpoints() throws {
        let sim = try Self.run("completion", steps: 0)
        #expect(abs(try #require(try sim.observe().error) - 1) < 1e-3)
        let truth = try #require(GroundTruth(problem: sim.problem))
        #expect(truth.error(sim.problem.target) == 0)
        #expect(truth.unobservedError(sim.problem.target) == 0)
    }

    @Test("denoise: measured against the clean target, not the noisy observation")
    func denoise() throws {
        let sim = try Self.run("denoise", steps: 2000)
        let o = try sim.observe()
        let w = sim.endToEnd, a = sim.problem.target, y = try #require(sim.problem.observation)
        let zero = Matrix.zeros(a.rows)
        let clean = Self.norm(w, a) / Self.norm(a, zero)
        let noisy = Self.norm(w, y) / Self.norm(y, zero)
        #expect(abs(try #require(o.error) - clean) <= 1e-14 * clean)
        #expect(abs(clean - noisy) > 1e-3)
        #expect(o.errorUnobserved == nil)
    }

    @Test("sensing: measured against the true matrix")
    func sensing() throws {
        let sim = try Self.run("sensing", steps: 200)
        let o = try sim.observe()
        let a = sim.problem.target
        let want = Self.norm(sim.endToEnd, a) / Self.norm(a, .zeros(a.rows))
        #expect(abs(try #require(o.error) - want) <= 1e-14 * want)
        #expect(o.errorUnobserved == nil)
    }

    @Test("a completion observing every entry has no unobserved error")
    func everyEntryObserved() throws {
        let o = try Self.run("entropy", steps: 10).observe()
        #expect(o.error != nil && o.errorUnobserved == nil)
    }

    @Test("no ground truth: the two-by-two problem (only the diagonal is given) and the dyson flow")
    func none() throws {
        #expect(try Self.run("two-by-two", steps: 10).observe().error == nil)
        let dyson = try Self.run("dyson", steps: 10).observe()
        #expect(dyson.error == nil && dyson.errorUnobserved == nil)
    }

    @Test("the target's singular values are kept with the problem")
    func targetSigma() throws {
        let sim = try Self.run("completion", steps: 0)
        let want = try SVD.of(sim.problem.target).sigma
        #expect(sim.problem.targetSigma == want)
        #expect(sim.problem.targetSigma.filter { $0 > 1e-10 }.count == sim.parameters.targetRank)
    }
}

@Suite("Short numbers in messages")
struct ShortNumberTests {
    @Test("the shortest text that reads back, exponents unpadded; rows keep %.17g")
    func short() {
        #expect(NumberFormat.short(1e-7) == "1e-7")
        #expect(NumberFormat.short(9.9999999999999995e-08) == "1e-7")
        #expect(NumberFormat.short(0.1) == "0.1" && NumberFormat.short(5) == "5" && NumberFormat.short(-3) == "-3")
        #expect(NumberFormat.short(2.5e20) == "2.5e20" && NumberFormat.short(.infinity) == "inf")
        #expect(NumberFormat.g17(1e-7) == "9.9999999999999995e-08")
        var rng = Xoshiro256(seed: 12)
        for _ in 0..<2000 {
            let x = Double(bitPattern: rng.next())
            guard x.isFinite else { continue }
            #expect(Double(NumberFormat.short(x)) == x, "\(x)")
        }
    }
}

/// bures-wasserstein learns W = W_1^T W_1, positive semidefinite (Remark 9): its ground truth is the
/// PSD part of the symmetrised target, computed here a second way, from the SVD: for symmetric S,
/// |S| = V diag(sigma) V^T and S_+ = (S + |S|) / 2 (no eigensolver involved).
@Suite("Ground truth of bures-wasserstein")
struct BuresWassersteinGroundTruthTests {
    static func positivePartBySVD(_ s: Matrix) throws -> Matrix {
        let svd = try SVD.of(s)
        let v = svd.vt.transposed
        let absolute = v * Matrix.diagonal(svd.sigma) * svd.vt
        return 0.5 * (s + absolute)
    }

    @Test("the error and the reference lines are those of the PSD part of sym A")
    func psdPart() throws {
        var p = Preset.named("bures-wasserstein")!.parameters
        p.size = 6
        let problem = try Problem.make(p)
        let s = problem.target
        #expect(GroundTruthTests.norm(s, s.transposed) == 0, "the energy's target is symmetrised")
        let expected = try Self.positivePartBySVD(s)
        let truth = try #require(problem.reachable)
        let scale = s.frobeniusNorm
        #expect(GroundTruthTests.norm(truth, expected) <= 1e-12 * scale)
        // The target has negative eigenvalues, so the PSD part really differs from it.
        #expect(GroundTruthTests.norm(s, expected) > 1e-3 * scale)
        // Reference lines: the singular values of S_+ (its eigenvalues clipped at 0).
        let sigma = try SVD.of(expected).sigma
        #expect(problem.targetSigma.count == sigma.count)
        for (a, b) in zip(problem.targetSigma, sigma) { #expect(abs(a - b) <= 1e-12) }
        // error(S_+) = 0; error(S) = ||S - S_+|| / ||S_+||.
        let g = try #require(GroundTruth(problem: problem))
        #expect(g.error(expected) <= 1e-12)
        let zero = Matrix.zeros(6)
        let e = GroundTruthTests.norm(s, expected) / GroundTruthTests.norm(expected, zero)
        #expect(abs(g.error(s) - e) <= 1e-12 * e)
        // Other flows keep the whole target.
        p.flow = .riemannian
        let whole = try Problem.make(p)
        #expect(whole.reachable == nil)
    }

    @Test("the preset's run recovers its ground truth")
    func presetRecovers() throws {
        let sim = try GroundTruthTests.run("bures-wasserstein", steps: Preset.named("bures-wasserstein")!.parameters.steps)
        let o = try sim.observe()
        let expected = try Self.positivePartBySVD(sim.problem.target)
        let direct = GroundTruthTests.norm(sim.endToEnd, expected) / GroundTruthTests.norm(expected, .zeros(sim.problem.size))
        #expect(abs(try #require(o.error) - direct) <= 1e-12)
        #expect(direct < 1e-2, "error \(direct) against the PSD part")
    }
}
