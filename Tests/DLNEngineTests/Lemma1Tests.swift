import Foundation
import Testing
@testable import DLNEngine

/// Lemma 1: A_{N,W} (4.14) is diagonal in the SVD frame with eigenvalues C_kl. The reference is
/// (4.14) itself, its fractional powers taken through an independent eigendecomposition.
@Suite("Lemma 1")
struct Lemma1Tests {
    /// applyOperator(Z) against (4.14) for a few random Z.
    private func checkOperator(_ w: Matrix, depth n: Int, tolerance: Double, seed: UInt64,
                               _ label: String) throws {
        let d = w.rows
        var rng = Xoshiro256(seed: seed)
        let frame = SpectralFrame(size: d)
        try frame.update(w, depth: .finite(n))
        let reference = try Ref.operatorA(w, depth: n)
        for _ in 0..<3 {
            let z = Ref.gaussian(d, rng: &rng)
            var out = Matrix.zeros(d)
            frame.applyOperator(z, into: &out)
            let err = Ref.relativeError(out, reference(z))
            #expect(err < tolerance, "\(label) N=\(n) d=\(d): |A(Z) - (4.14)|/|(4.14)| = \(err)")
        }
    }

    @Test("applyOperator = (4.14) at random W", arguments: [1, 2, 3, 5, 10], [2, 3, 5])
    func operatorAtRandomW(depth n: Int, size d: Int) throws {
        var rng = Xoshiro256(seed: UInt64(10 * n + d))
        try checkOperator(Ref.gaussian(d, rng: &rng), depth: n, tolerance: 1e-12, seed: 1, "random W")
    }

    @Test("applyOperator = (4.14) with repeated singular values", arguments: [1, 2, 3, 4, 7])
    func operatorWithRepeatedValues(depth n: Int) throws {
        var rng = Xoshiro256(seed: 300 + UInt64(n))
        try checkOperator(Ref.withSingularValues([1, 1, 0.5], rng: &rng), depth: n, tolerance: 1e-12, seed: 2,
                          "W = Q diag(1,1,0.5) R^T")
        try checkOperator(Ref.withSingularValues([2, 0.7, 0.7, 0.7], rng: &rng), depth: n, tolerance: 1e-12,
                          seed: 3, "W = Q diag(2,0.7,0.7,0.7) R^T")
        try checkOperator(Matrix.identity(3), depth: n, tolerance: 1e-13, seed: 4, "W = I")
    }

    /// With an exact zero singular value the LAPACK value is ~1e-16, not 0, and A is only Hoelder
    /// continuous there (C_kl contains s_l^(2/N)), so the comparison uses N <= 3 where
    /// (1e-16)^(2/N) <= 2e-11.
    @Test("applyOperator = (4.14) with a zero singular value", arguments: [1, 2, 3])
    func operatorWithZeroValue(depth n: Int) throws {
        var rng = Xoshiro256(seed: 400 + UInt64(n))
        try checkOperator(Ref.withSingularValues([1.5, 0.8, 0], rng: &rng), depth: n, tolerance: 1e-9, seed: 5,
                          "W = Q diag(1.5,0.8,0) R^T")
        try checkOperator(Ref.withSingularValues([1, 1, 0.5, 0], rng: &rng), depth: n, tolerance: 1e-9, seed: 6,
                          "W = Q diag(1,1,0.5,0) R^T")
        try checkOperator(Ref.withSingularValues([1, 0, 0], rng: &rng), depth: n, tolerance: 1e-9, seed: 7,
                          "W = Q diag(1,0,0) R^T")
    }

    @Test("A is symmetric positive definite on d^2-vectors at invertible W, eigenvalues the C_kl",
          arguments: [1, 2, 3, 6])
    func operatorIsSymmetricPositiveDefinite(depth n: Int) throws {
        var rng = Xoshiro256(seed: 500 + UInt64(n))
        for w in [Ref.gaussian(3, rng: &rng), Ref.withSingularValues([1, 1, 0.5], rng: &rng)] {
            let d = w.rows
            let frame = SpectralFrame(size: d)
            try frame.update(w, depth: .finite(n))
            let m = Ref.operatorMatrix(size: d) { z in
                var out = Matrix.zeros(d)
                frame.applyOperator(z, into: &out)
                return out
            }
            #expect(Ref.relativeError(m, Ref.transpose(m)) < 1e-13, "A is self-adjoint for the Frobenius product")
            let values = try symmetricEigen(m).values
            #expect(values.allSatisfy { $0 > 0 }, "eigenvalues \(values)")
            // The spectrum is {C_kl}, with s from an independent eigendecomposition of W^T W.
            let s = try symmetricEigen(Ref.mul(Ref.transpose(w), w)).values.map { max($0, 0).squareRoot() }
            var expected: [Double] = []
            for k in 0..<d { for l in 0..<d { expected.append(Ref.eigenvalue(s[k], s[l], depth: n)) } }
            expected.sort()
            for (got, want) in zip(values, expected) {
                #expect(abs(got - want) < 1e-12 * expected.last!, "eigenvalue \(got) vs C_kl \(want)")
            }
        }
    }

    @Test("A is positive semidefinite with exactly one zero eigenvalue when one singular value vanishes")
    func operatorWithKernel() throws {
        var rng = Xoshiro256(seed: 601)
        let w = Ref.withSingularValues([1.2, 0.6, 0], rng: &rng)
        let frame = SpectralFrame(size: 3)
        try frame.update(w, depth: 3)
        let m = Ref.operatorMatrix(size: 3) { z in
            var out = Matrix.zeros(3)
            frame.applyOperator(z, into: &out)
            return out
        }
        let values = try symmetricEigen(m).values
        #expect(abs(values[0]) < 1e-12, "C_33 = N s_3^(2-2/N) = 0")
        // The next smallest is C_23 = s_2^(4/3) (one zero in the pair).
        #expect(abs(values[1] - pow(0.6, 4.0 / 3)) < 1e-9)
    }

    // MARK: the eigenvalue C_kl itself

    @Test("Lemma1.eigenvalue = plain sum over random pairs (ratios >= 1e-3), N up to 1000",
          arguments: [1, 2, 3, 4, 7, 10, 50, 100, 1000])
    func eigenvalueRandomPairs(depth n: Int) {
        var rng = Xoshiro256(seed: 700 + UInt64(n))
        var worst = 0.0
        for _ in 0..<300 {
            let sk = pow(10, 6 * rng.uniform() - 3)
            let sl = sk * pow(10, 6 * rng.uniform() - 3)
            let got = Lemma1.eigenvalue(sk, sl, depth: .finite(n))
            let want = Ref.eigenvalue(sk, sl, depth: n)
            worst = max(worst, abs(got - want) / want)
            #expect(Lemma1.eigenvalue(sl, sk, depth: .finite(n)) == got, "C is symmetric in (k, l)")
        }
        // The plain sum of N positive terms is accurate to about (N + 3) eps.
        #expect(worst < 1e-12, "N=\(n): worst relative error \(worst)")
    }

    @Test("Lemma1.eigenvalue at equal pairs is N s^(2-2/N), and close pairs are continuous",
          arguments: [1, 2, 3, 10, 1000])
    func eigenvalueEqualPairs(depth n: Int) {
        for s in [1e-8, 1e-3, 0.5, 1, 2, 1e3, 1e8] {
            let want = Double(n) * pow(s, 2 - 2 / Double(n))
            #expect(abs(Lemma1.eigenvalue(s, s, depth: .finite(n)) - want) <= 1e-13 * want, "s=\(s)")
            #expect(abs(Ref.eigenvalue(s, s, depth: n) - want) <= 1e-12 * want)
            for eps in [1e-15, 1e-12, 1e-9, 1e-6] {
                let got = Lemma1.eigenvalue(s, s * (1 + eps), depth: .finite(n))
                let ref = Ref.eigenvalue(s, s * (1 + eps), depth: n)
                #expect(abs(got - ref) <= 1e-12 * ref, "s=\(s), relative gap \(eps): \(got) vs \(ref)")
            }
        }
    }

    @Test("Lemma1.eigenvalue with zeros: C(s, 0) = s^(2-2/N), C(0, 0) = 0, and 1 at N = 1",
          arguments: [1, 2, 3, 10, 1000])
    func eigenvalueZeroPairs(depth n: Int) {
        for s in [1e-6, 0.3, 1, 7] {
            let want = n == 1 ? 1 : pow(s, 2 - 2 / Double(n))
            #expect(abs(Lemma1.eigenvalue(s, 0, depth: .finite(n)) - want) <= 1e-14 * want)
            #expect(abs(Lemma1.eigenvalue(0, s, depth: .finite(n)) - want) <= 1e-14 * want)
            #expect(abs(Ref.eigenvalue(s, 0, depth: n) - want) <= 1e-14 * want)
        }
        #expect(Lemma1.eigenvalue(0, 0, depth: .finite(n)) == (n == 1 ? 1 : 0))
        #expect(Ref.eigenvalue(0, 0, depth: n) == (n == 1 ? 1 : 0))
    }

    /// Widely separated pairs are the ordinary state of a deep network started small (the
    /// unlearned singular values sit many orders below the learned ones), and at large N the
    /// small value still matters: C(1, r) = (1 - r^2)/(1 - r^(2/N)), 11.4 at r = 1e-20, N = 1000.
    /// This guards the logarithm's form: l = log1p((lo - hi)/hi) alone loses eps hi/lo of relative
    /// accuracy in lo/hi for lo/hi < 1/2, and for lo/hi < 2^-53 rounds to l = -inf (C = hi^(2-2/N),
    /// r treated as 0); l = log(lo) - log(hi) when lo < hi/2 keeps ~1e-15 against a 50-digit reference.
    @Test("Lemma1.eigenvalue = plain sum for widely separated pairs (ratio 1e-4 ... 1e-300), N up to 1000",
          arguments: [3, 20, 100, 1000])
    func eigenvalueWidelySeparatedPairs(depth n: Int) {
        var failures: [String] = []
        for ratio in [1e-4, 1e-6, 1e-8, 1e-10, 1e-12, 1e-15, 1e-16, 1e-17, 1e-20, 1e-40, 1e-100, 1e-300] {
            for hi in [1e-3, 1.0, 50.0] {
                let lo = hi * ratio
                guard lo > 0 else { continue }
                let got = Lemma1.eigenvalue(hi, lo, depth: .finite(n))
                let want = Ref.eigenvalue(hi, lo, depth: n)
                let rel = abs(got - want) / want
                if rel > 1e-11 { failures.append("s=(\(hi), \(lo)): \(got) vs plain sum \(want), rel. error \(rel)") }
            }
        }
        #expect(failures.isEmpty, "N=\(n):\n\(failures.joined(separator: "\n"))")
    }

    @Test("Lemma1.eigenvalues fills the symmetric matrix of C_kl")
    func eigenvalueMatrix() {
        let s = [3.0, 1.0, 1.0, 0.2, 0]
        var c = Matrix.zeros(5)
        Lemma1.eigenvalues(s, depth: 4, into: &c)
        for k in 0..<5 {
            for l in 0..<5 {
                #expect(abs(c[k, l] - Ref.eigenvalue(s[k], s[l], depth: 4)) <= 1e-13 * max(1, c[k, l]))
                #expect(c[k, l] == c[l, k])
            }
        }
    }
}

/// The hot-path tables take log s and s^p once per value; they must be the per-pair formulas exactly
/// (the same operations on the same inputs), including zeros, ties and unsorted values.
@Suite("Lemma 1 tables")
struct Lemma1TableTests {
    @Test("eigenvalues(scratch:) and entropyForce(logs:) equal the per-pair formulas bit for bit",
          arguments: [2, 3, 4, 17, 1000])
    func tablesMatchPairs(depth n: Int) {
        var rng = Xoshiro256(seed: UInt64(n))
        for trial in 0..<20 {
            let d = 1 + trial % 9
            var sigma = (0..<d).map { _ in exp(6 * (rng.uniform() - 0.5)) }
            if d > 2 { sigma[1] = sigma[0]; sigma[d - 1] = 0 }  // a tie and a zero
            if trial % 2 == 1 { sigma.sort(by: >) }
            var scratch = [Double](repeating: .nan, count: 2 * d)
            var c = Matrix.zeros(d)
            Lemma1.eigenvalues(sigma, depth: .finite(n), scratch: &scratch, into: &c)
            for k in 0..<d {
                for l in 0..<d {
                    #expect(c[k, l].bitPattern == Lemma1.eigenvalue(sigma[k], sigma[l], depth: .finite(n)).bitPattern,
                            "C[\(k),\(l)] at N = \(n), sigma \(sigma)")
                }
            }
            var logs = [Double](repeating: .nan, count: d)
            var force = [Double](repeating: .nan, count: d)
            Lemma1.entropyForce(sigma, depth: .finite(n), logs: &logs, into: &force)
            for k in 0..<d {
                let sk = sigma[k]
                let prefactor = 0.5 * Double(n) * pow(sk, 1 - 2 / Double(n))
                var sum = 0.0
                for l in 0..<d where l != k {
                    sum += Lemma1.logDerivative(sk == sigma[l] ? 0 : log(sk) - log(sigma[l]), depth: n)
                }
                let expected = prefactor == 0 ? 0 : prefactor * sum
                #expect(force[k].bitPattern == expected.bitPattern, "Sigma'[\(k)] at N = \(n)")
            }
        }
    }
}
