import Foundation
import Testing
@testable import DLNEngine

/// Theorem 10's entropy S, its Riemannian gradient Sigma' (12.8) and the Ito drift Sigma'' (12.9).
@Suite("Entropy and its gradient")
struct EntropyTests {
    /// Singular values with consecutive ratios >= 1.25, descending.
    private func separated(_ d: Int, rng: inout Xoshiro256) -> [Double] {
        var s = [pow(10, 2 * rng.uniform() - 1)]
        for _ in 1..<d { s.append(s.last! / (1.25 + 2 * rng.uniform())) }
        return s
    }

    /// sigma of W from an eigendecomposition of W^T W (independent of the engine's SVD).
    private func singularValues(_ w: Matrix) throws -> [Double] {
        try symmetricEigen(Ref.mul(Ref.transpose(w), w)).values.map { max($0, 0).squareRoot() }.sorted(by: >)
    }

    @Test("S = Theorem 10 (6.2) for separated singular values", arguments: [2, 3, 5, 10, 100])
    func entropyMatchesTheorem10(depth n: Int) {
        var rng = Xoshiro256(seed: 900 + UInt64(n))
        for d in [2, 3, 5, 8] {
            for _ in 0..<10 {
                let s = separated(d, rng: &rng)
                let got = Lemma1.entropy(s, depth: .finite(n))
                let want = Ref.theorem10Entropy(s, depth: n)
                #expect(abs(got - want) <= 1e-12 * max(1, abs(want)), "N=\(n) sigma=\(s): \(got) vs \(want)")
            }
        }
    }

    @Test("S = 1/2 sum_{i<j} log C_ij with C the plain sum, including equal values")
    func entropyWithEqualValues() {
        let s = [2.0, 1.0, 1.0, 1.0, 0.25]
        for n in [2, 3, 7] {
            var want = 0.0
            for i in 0..<s.count { for j in (i + 1)..<max(i + 1, s.count) { want += 0.5 * log(Ref.eigenvalue(s[i], s[j], depth: n)) } }
            #expect(abs(Lemma1.entropy(s, depth: .finite(n)) - want) < 1e-13 * max(1, abs(want)))
        }
    }

    @Test("S = 0 at N = 1, whatever the singular values")
    func entropyAtDepthOne() {
        for s in [[3.0, 1, 0.2], [1, 1], [1, 0, 0], [0, 0, 0], [5.0]] {
            #expect(Lemma1.entropy(s, depth: 1) == 0)
        }
    }

    @Test("S = -inf with two zero singular values, finite with one", arguments: [2, 3, 10])
    func entropyWithZeros(depth n: Int) throws {
        #expect(Lemma1.entropy([1, 0.5, 0, 0], depth: .finite(n)) == -.infinity)
        #expect(Lemma1.entropy([0, 0], depth: .finite(n)) == -.infinity)
        let one = Lemma1.entropy([1.3, 0.5, 0], depth: .finite(n))
        #expect(one.isFinite)
        // With s_j = 0 the (i, j) term of (6.2) is 1/2 log(s_i^(2 - 2/N)).
        #expect(abs(one - Ref.theorem10Entropy([1.3, 0.5, 0], depth: n)) < 1e-13)

        // Through an observation of W = diag(1, 0.5, 0, 0): the SVD of a diagonal matrix is exact.
        let energy = DenoiseEnergy(observation: .identity(4))
        let observer = Observer(size: 4)
        let w = Matrix.diagonal([1, 0.5, 0, 0])
        let o = try observer.observe(endToEnd: w, factors: nil, energy: energy, depth: .finite(n), beta: .infinity,
                                     scale: 1, rankTolerance: 1e-2, step: 0, time: 0)
        #expect(o.entropy == -.infinity)
        #expect(o.freeEnergy == energy.value(w), "F = E at beta = inf even where S = -inf")
        let finiteBeta = try observer.observe(endToEnd: w, factors: nil, energy: energy, depth: .finite(n), beta: 2,
                                              scale: 1, rankTolerance: 1e-2, step: 0, time: 0)
        #expect(finiteBeta.freeEnergy == .infinity, "F = E - S/beta = +inf at finite beta")
    }

    // MARK: Sigma'

    private func entropyForce(_ s: [Double], depth n: Int) -> [Double] {
        var out = [Double](repeating: .nan, count: s.count)
        Lemma1.entropyForce(s, depth: .finite(n), into: &out)
        return out
    }

    /// The Riemannian gradient of S in g^N is A(grad_E S); S depends on W through its singular
    /// values only. Here grad_E S is a central difference of Theorem 10's formula in the d^2 entries
    /// of W, and A is (4.14) with eigen-based powers: nothing of the engine but U, V and Sigma'.
    @Test("U diag(Sigma') V^T = A(FD gradient of S(W))", arguments: [2, 3, 5], [3, 4])
    func entropyForceIsRiemannianGradient(depth n: Int, size d: Int) throws {
        var rng = Xoshiro256(seed: 1000 + UInt64(10 * n + d))
        for _ in 0..<2 {
            let w = Ref.withSingularValues(separated(d, rng: &rng), rng: &rng)
            let fd = Ref.gradient({ try! Ref.theorem10Entropy(singularValues($0), depth: n) }, at: w, step: 1e-5)
            let riemannian = try Ref.operatorA(w, depth: n)(fd)
            let (u, sigma, vt) = try SVD.of(w)
            let got = Ref.synthesize(u: u, diagonal: entropyForce(sigma, depth: n), vt: vt)
            let err = Ref.relativeError(got, riemannian)
            #expect(err < 1e-6, "N=\(n) d=\(d): |U Sigma' V^T - A(grad S)| / |A(grad S)| = \(err)")
        }
    }

    @Test("Sigma' = (12.8) for separated singular values", arguments: [2, 3, 4, 10, 50])
    func entropyForceMatches128(depth n: Int) {
        var rng = Xoshiro256(seed: 1100 + UInt64(n))
        for d in [2, 3, 6] {
            for _ in 0..<10 {
                let s = separated(d, rng: &rng)
                let got = entropyForce(s, depth: n)
                let printed = Ref.sigmaPrime128(s, depth: n)
                let scale = printed.map(abs).max()!
                for k in 0..<d {
                    #expect(abs(got[k] - printed[k]) <= 1e-10 * scale, "N=\(n) sigma=\(s) k=\(k): \(got[k]) vs (12.8) \(printed[k])")
                }
            }
        }
    }

    /// (12.8) in 64-bit-mantissa arithmetic. Its two fractions are each ~1/gap and cancel, so the
    /// result keeps about 19 - 2 log10(1/gap) digits: 9 at a gap of 1e-5 (Double would keep 6),
    /// too few at 1e-9, where the sums and the smoothness check below are the reference.
    private func sigmaPrime128Extended(_ s: [Double], depth n: Int) -> [Double] {
        let nd = Float80(n)
        let lam = s.map { pow(Float80($0), 1 / nd) }
        return (0..<s.count).map { k in
            var total: Float80 = 0
            for l in 0..<s.count where l != k {
                let a = nd * pow(lam[k], 2 * nd - 1) / (pow(lam[k], 2 * nd) - pow(lam[l], 2 * nd))
                let b = lam[k] / (lam[k] * lam[k] - lam[l] * lam[l])
                total += (a - b) * pow(lam[k], nd - 1)
            }
            return Double(total)
        }
    }

    @Test("Sigma' stays accurate when two singular values differ by 1e-9", arguments: [2, 3, 10, 1000])
    func entropyForceNearCoincidence(depth n: Int) {
        let coincident = [2.0, 1.0, 1.0, 0.4]
        let atCoincidence = entropyForce(coincident, depth: n)
        for gap in [1e-9, 1e-12, 1e-15] {
            let s = [2.0, 1.0 + gap, 1.0, 0.4]
            let got = entropyForce(s, depth: n)
            // A sum of positive terms (MATH.md section 3): no cancellation at any gap.
            let sums = Ref.sigmaPrimeBySums(s, depth: n)
            let scale = sums.map(abs).max()!
            for k in 0..<4 {
                #expect(got[k].isFinite)
                #expect(abs(got[k] - sums[k]) <= 1e-11 * scale, "N=\(n) gap \(gap) k=\(k): \(got[k]) vs \(sums[k])")
                // Sigma' is smooth in s, so a gap of 1e-9 moves it by O(1e-9).
                #expect(abs(got[k] - atCoincidence[k]) <= 10 * gap * scale + 1e-13 * scale,
                        "N=\(n) gap \(gap) k=\(k): moved by \(abs(got[k] - atCoincidence[k]))")
            }
        }
    }

    @Test("Sigma' = (12.8) in extended precision at a gap of 1e-5", arguments: [2, 3, 10])
    func entropyForceNearCoincidenceExtended(depth n: Int) {
        let s = [2.0, 1.0 + 1e-5, 1.0, 0.4]
        let got = entropyForce(s, depth: n)
        let extended = sigmaPrime128Extended(s, depth: n)
        let scale = extended.map(abs).max()!
        for k in 0..<4 {
            #expect(abs(got[k] - extended[k]) <= 1e-8 * scale, "N=\(n) k=\(k): \(got[k]) vs (12.8) in Float80 \(extended[k])")
        }
    }

    @Test("Sigma' is continuous across the series cutoff |log s_k - log s_l| = 1e-2", arguments: [2, 3, 20])
    func entropyForceAcrossSeriesCutoff(depth n: Int) {
        for t in [0.0099999, 0.01, 0.0100001, -0.0099999, -0.0100001, 0.005, 0.02] {
            let s = [1.5, exp(-t), 1.0]
            let got = entropyForce(s, depth: n)
            let sums = Ref.sigmaPrimeBySums(s, depth: n)
            let scale = sums.map(abs).max()!
            for k in 0..<3 {
                #expect(abs(got[k] - sums[k]) <= 1e-12 * scale, "N=\(n) t=\(t) k=\(k): \(got[k]) vs \(sums[k])")
            }
        }
    }

    @Test("Sigma' at the boundary: 0 at N = 1, finite with one zero singular value")
    func entropyForceEdgeCases() {
        #expect(entropyForce([2, 1, 0.5], depth: 1) == [0, 0, 0])
        for n in [2, 3, 5] {
            let s = [1.5, 0.7, 0]
            let got = entropyForce(s, depth: n)
            let sums = Ref.sigmaPrimeBySums(s.map { $0 == 0 ? 1e-300 : $0 }, depth: n)
            #expect(got.allSatisfy { $0.isFinite })
            #expect(got[2] == 0, "C_kk = 0 at s_k = 0 (N = \(n))")
            for k in 0..<2 { #expect(abs(got[k] - sums[k]) <= 1e-12 * abs(sums[k]), "N=\(n) k=\(k)") }
        }
    }

    // MARK: Sigma''

    @Test("Sigma'' = (N-1) lambda^(N-2), lambda = s^(1/N) (12.9)", arguments: [1, 2, 3, 4, 10, 1000])
    func itoDriftFormula(depth n: Int) {
        let s = [3.0, 1.0, 1.0, 0.2, 1e-6]
        var out = [Double](repeating: .nan, count: s.count)
        Lemma1.itoDrift(s, depth: .finite(n), into: &out)
        for k in 0..<s.count {
            let lambda = pow(s[k], 1 / Double(n))
            let want = n == 1 ? 0 : Double(n - 1) * pow(lambda, Double(n - 2))
            #expect(abs(out[k] - want) <= 1e-13 * max(1, want), "N=\(n) s=\(s[k])")
        }
    }
}
