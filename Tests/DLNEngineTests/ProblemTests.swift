import Foundation
import Testing
@testable import DLNEngine

/// The data a run starts from: targets, masks, measurements, initial factors, the seed's streams.
@Suite("Problems and initialisations")
struct ProblemTests {
    @Test("random low-rank target: rank r exactly, spectral norm 1, the problem's scale", arguments: [1, 2, 5])
    func lowRankTarget(rank r: Int) throws {
        var p = Parameters()
        p.energy = .completion; p.size = 12; p.targetRank = r; p.seed = 3
        let problem = try Problem.make(p)
        let sigma = try symmetricEigen(Ref.mul(Ref.transpose(problem.target), problem.target)).values
            .map { max($0, 0).squareRoot() }.sorted(by: >)
        #expect(abs(sigma[0] - 1) < 1e-13)
        #expect(abs(problem.scale - 1) < 1e-13)
        #expect(sigma[r - 1] > 1e-3, "rank at least r")
        #expect(sigma[r...].allSatisfy { $0 < 1e-7 }, "rank at most r: \(sigma)")
    }

    @Test("mask: exactly round(fraction d^2) observed entries, 0/1 valued", arguments: [0.1, 0.35, 0.5, 1.0])
    func maskCount(fraction: Double) throws {
        var p = Parameters()
        p.energy = .completion; p.size = 9; p.targetRank = 2; p.observed = fraction
        let mask = try #require(try Problem.make(p).mask)
        #expect(mask.storage.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(Int(mask.storage.reduce(0, +)) == max(1, Int((fraction * 81).rounded())))
    }

    @Test("the 2x2 problem is (14.1): target I on the diagonal mask")
    func twoByTwoProblem() throws {
        var p = Parameters()
        p.energy = .twoByTwo; p.size = 2
        let problem = try Problem.make(p)
        let e = problem.makeEnergy()
        #expect(e.kind == .twoByTwo)
        // Zero exactly on [[1, a], [b, 1]]; the rank-one zeros [[1, a], [1/a, 1]] among them.
        for a in [0.5, 1.0, -2.0] {
            #expect(e.value(Matrix([[1, a], [1 / a, 1]])) == 0)
            #expect(e.value(Matrix([[1, a], [7, 1]])) == 0)
        }
        #expect(abs(e.value(Matrix([[0, 5], [5, 3]])) - 0.5 * (1 + 4)) < 1e-15)
    }

    @Test("sensing: m = 4 d r Gaussian measurements by default, y_k = <A_k, target>")
    func sensingProblem() throws {
        var p = Parameters()
        p.energy = .sensing; p.size = 5; p.targetRank = 2
        let problem = try Problem.make(p)
        let a = try #require(problem.measurements)
        #expect(a.rows == 40 && a.cols == 25)
        let energy = try #require(problem.makeEnergy() as? SensingEnergy)
        for k in 0..<a.rows {
            let y = (0..<25).reduce(0.0) { $0 + a[k, $1] * problem.target.storage[$1] }
            #expect(abs(energy.observations[k] - y) < 1e-13)
        }
        // Entries standard normal: sample variance over 1000 entries within 5 standard errors.
        let variance = a.storage.reduce(0) { $0 + $1 * $1 } / Double(a.count)
        #expect(abs(variance - 1) < 5 * (2.0 / Double(a.count)).squareRoot())
    }

    @Test("denoise: the observation is the target plus noise of Frobenius size about noise x sqrt(d)")
    func denoiseProblem() throws {
        var p = Parameters()
        p.energy = .denoise; p.size = 40; p.targetRank = 2; p.noise = 0.2
        let problem = try Problem.make(p)
        let y = try #require(problem.observation)
        let noise = (y - problem.target).frobeniusNorm
        // Entry sd noise/sqrt(d) over d^2 entries: ||N||_F^2 = noise^2 d (1 +- 5 sqrt(2/d^2)).
        #expect(abs(noise * noise / (0.2 * 0.2 * 40) - 1) < 5 * (2.0 / 1600).squareRoot())
        p.noise = 0
        #expect(try Problem.make(p).observation == problem.target)
    }

    @Test("balanced initialisation (5.16): every factor has singular values sigma(W)^(1/N), G_p = 0",
          arguments: [1, 2, 4])
    func balancedInitialisation(depth n: Int) throws {
        var rng = Xoshiro256(seed: 2000 + UInt64(n))
        let factors = Initialization.balanced(size: 5, depth: n, scale: 2, rng: &rng)
        let w = Ref.endToEnd(factors)
        let sigma = try SVD.of(w).sigma
        #expect(sigma.allSatisfy { $0 >= 1 - 1e-12 && $0 <= 3 + 1e-12 }, "sigma in [0.5, 1.5] x scale: \(sigma)")
        for f in factors {
            let s = try SVD.of(f).sigma
            for k in 0..<5 { #expect(abs(s[k] - pow(sigma[k], 1 / Double(n))) < 1e-12) }
        }
        for p in 0..<(n - 1) {
            let g = Ref.mul(Ref.transpose(factors[p + 1]), factors[p + 1]) - Ref.mul(factors[p], Ref.transpose(factors[p]))
            #expect(g.maxAbs < 1e-12)
        }
    }

    @Test("small initialisation: entries N(0, scale^(2/N)/d)")
    func smallInitialisation() {
        var rng = Xoshiro256(seed: 2100)
        let d = 40, n = 3, scale = 1e-3
        let factors = Initialization.small(size: d, depth: n, scale: scale, rng: &rng)
        let sd = pow(scale, 1 / Double(n)) / Double(d).squareRoot()
        let entries = factors.flatMap(\.storage)
        let variance = entries.reduce(0) { $0 + $1 * $1 } / Double(entries.count)
        #expect(abs(variance / (sd * sd) - 1) < 5 * (2.0 / Double(entries.count)).squareRoot())
        #expect(abs(entries.reduce(0, +) / Double(entries.count)) < 5 * sd / Double(entries.count).squareRoot())
    }

    @Test("balancedFactorisation reproduces W and is balanced, including rank-deficient W", arguments: [1, 2, 3, 7])
    func balancedFactorisation(depth n: Int) throws {
        var rng = Xoshiro256(seed: 2200 + UInt64(n))
        for w in [Ref.gaussian(4, rng: &rng), Ref.withSingularValues([2, 1, 1, 0], rng: &rng)] {
            let factors = try Initialization.balancedFactorisation(w, depth: n)
            #expect(factors.count == n)
            #expect(Ref.relativeError(Ref.endToEnd(factors), w) < 1e-12)
            for p in 0..<(n - 1) {
                let g = Ref.mul(Ref.transpose(factors[p + 1]), factors[p + 1]) - Ref.mul(factors[p], Ref.transpose(factors[p]))
                #expect(g.maxAbs < 1e-12)
            }
        }
    }

    @Test("the seed's streams: problem, start and noise are separate and reproducible")
    func streams() throws {
        var p = Parameters()
        p.energy = .completion; p.size = 6; p.targetRank = 2; p.seed = 9
        #expect(try Problem.make(p).target == Problem.make(p).target)
        let a = try Initialization.factors(p, size: 6)
        #expect(a == (try Initialization.factors(p, size: 6)))
        p.seed = 10
        #expect(a != (try Initialization.factors(p, size: 6)))
        #expect(Set([RandomStreams.problem(9), RandomStreams.initial(9), RandomStreams.noise(9)]).count == 3)
    }

    /// splitmix64 from seed 0 gives the published state 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4,
    /// 0x06C45D188009454F, 0xF88BB8A8724C81EC; xoshiro256** (Blackman-Vigna) is written out here
    /// from its reference C code.
    @Test("Xoshiro256(seed: 0) is xoshiro256** on the splitmix64 state of 0")
    func xoshiroKnownAnswer() {
        var s: [UInt64] = [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC]
        func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
        var rng = Xoshiro256(seed: 0)
        for _ in 0..<1000 {
            let expected = rotl(s[1] &* 5, 7) &* 9
            let t = s[1] << 17
            s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
            #expect(rng.next() == expected)
        }
    }
}
