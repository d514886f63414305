import Foundation
import Testing
@testable import DLNEngine

/// The building blocks every other test leans on: products, SVD, eigendecomposition, the RNG.
@Suite("Linear algebra and random numbers")
struct LinearAlgebraTests {
    @Test("gemm = triple loop, both sides of the small-size cutoff, every transpose, alpha and beta",
          arguments: [1, 5, 8, 9, 20])
    func gemmMatchesLoops(n: Int) {
        var rng = Xoshiro256(seed: UInt64(n))
        let a = rng.gaussianMatrix(rows: n, cols: n + 2)
        let b = rng.gaussianMatrix(rows: n + 2, cols: n + 1)
        let c0 = rng.gaussianMatrix(rows: n, cols: n + 1)
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let aa = ta ? Ref.transpose(a) : a
            let bb = tb ? Ref.transpose(b) : b
            var c = c0
            BLAS.gemm(aa, transposeA: ta, bb, transposeB: tb, alpha: -0.7, beta: 0.3, into: &c)
            let expected = -0.7 * Ref.mul(a, b) + 0.3 * c0
            #expect(Ref.relativeError(c, expected) < 1e-14, "n=\(n) transposeA=\(ta) transposeB=\(tb)")
        }
    }

    @Test("gemv = loop, both directions")
    func gemvMatchesLoops() {
        var rng = Xoshiro256(seed: 3)
        let a = rng.gaussianMatrix(rows: 7, cols: 11)
        let x = (0..<11).map { _ in rng.gaussian() }
        let z = (0..<7).map { _ in rng.gaussian() }
        var y = [Double](repeating: 1, count: 7)
        BLAS.gemv(a, x, alpha: 2, beta: -1, into: &y)
        for i in 0..<7 {
            let s = (0..<11).reduce(0.0) { $0 + a[i, $1] * x[$1] }
            #expect(abs(y[i] - (2 * s - 1)) < 1e-13)
        }
        var yt = [Double](repeating: 0, count: 11)
        BLAS.gemv(a, transpose: true, z, into: &yt)
        for j in 0..<11 {
            let s = (0..<7).reduce(0.0) { $0 + a[$1, j] * z[$1] }
            #expect(abs(yt[j] - s) < 1e-13)
        }
    }

    @Test("SVD: U diag(sigma) V^T = W, U and V orthogonal, sigma descending and non-negative",
          arguments: [1, 2, 3, 7, 16])
    func svdReconstructs(d: Int) throws {
        var rng = Xoshiro256(seed: 40 + UInt64(d))
        let inputs = [
            Ref.gaussian(d, rng: &rng),
            Ref.withSingularValues((0..<d).map { $0 == d - 1 ? 0 : 1 }, rng: &rng),  // repeated and zero values
        ]
        for w in inputs {
            let (u, sigma, vt) = try SVD.of(w)
            #expect(Ref.relativeError(Ref.synthesize(u: u, diagonal: sigma, vt: vt), w) < 1e-13)
            #expect(Ref.relativeError(Ref.mul(Ref.transpose(u), u), .identity(d)) < 1e-13)
            #expect(Ref.relativeError(Ref.mul(vt, Ref.transpose(vt)), .identity(d)) < 1e-13)
            #expect(zip(sigma, sigma.dropFirst()).allSatisfy { $0 >= $1 })
            #expect(sigma.allSatisfy { $0 >= 0 })
            // The singular values squared are the eigenvalues of W^T W.
            let eig = try symmetricEigen(Ref.mul(Ref.transpose(w), w)).values.sorted(by: >)
            for k in 0..<d { #expect(abs(sigma[k] * sigma[k] - eig[k]) < 1e-13 * max(1, eig[0])) }
        }
    }

    @Test("SVD refuses a non-finite matrix")
    func svdRefusesNaN() {
        var w = Matrix.identity(3)
        w[1, 2] = .nan
        #expect(throws: LinearAlgebraError.nonFiniteInput) { try SVD.of(w) }
    }

    @Test("symmetricEigen: Q diag(values) Q^T = S, Q orthogonal, values ascending")
    func symmetricEigenReconstructs() throws {
        var rng = Xoshiro256(seed: 9)
        let g = Ref.gaussian(6, rng: &rng)
        let s = g + Ref.transpose(g)
        let (values, q) = try symmetricEigen(s)
        #expect(Ref.relativeError(Ref.mul(q, .diagonal(values), Ref.transpose(q)), s) < 1e-13)
        #expect(Ref.relativeError(Ref.mul(Ref.transpose(q), q), .identity(6)) < 1e-13)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
        // Trace and Frobenius norm are spectral invariants.
        #expect(abs(values.reduce(0, +) - s.trace) < 1e-12)
        #expect(abs(values.reduce(0) { $0 + $1 * $1 } - pow(s.frobeniusNorm, 2)) < 1e-11)
    }

    @Test("the reference fractional power: M^(1/2) squared is M, M^0 = I, M^1 = M")
    func fractionalPowerReference() throws {
        var rng = Xoshiro256(seed: 12)
        let w = Ref.withSingularValues([2, 1, 1, 0.3], rng: &rng)
        let m = Ref.mul(w, Ref.transpose(w))
        let half = try Ref.psdPower(m, 0.5)
        #expect(Ref.relativeError(Ref.mul(half, half), m) < 1e-13)
        #expect(Ref.relativeError(try Ref.psdPower(m, 0), .identity(4)) < 1e-15)
        #expect(Ref.relativeError(try Ref.psdPower(m, 1), m) < 1e-13)
        let third = try Ref.psdPower(m, 1.0 / 3)
        #expect(Ref.relativeError(Ref.mul(third, third, third), m) < 1e-13)
    }
}

@Suite("Xoshiro256")
struct RandomTests {
    @Test("Gaussian draws: mean 0, variance 1, fourth moment 3, within 5 standard errors over 1e6 draws")
    func gaussianMoments() {
        var rng = Xoshiro256(seed: 2024)
        let n = 1_000_000
        var s1 = 0.0, s2 = 0.0, s4 = 0.0
        for _ in 0..<n {
            let x = rng.gaussian()
            let x2 = x * x
            s1 += x; s2 += x2; s4 += x2 * x2
        }
        let nd = Double(n)
        let mean = s1 / nd, second = s2 / nd, fourth = s4 / nd
        // Standard errors: sd(x) = 1, sd(x^2) = sqrt(2), sd(x^4) = sqrt(105 - 9) for N(0, 1).
        #expect(abs(mean) < 5 / nd.squareRoot(), "mean \(mean)")
        #expect(abs(second - 1) < 5 * 2.0.squareRoot() / nd.squareRoot(), "variance \(second)")
        #expect(abs(fourth - 3) < 5 * 96.0.squareRoot() / nd.squareRoot(), "fourth moment \(fourth)")
    }

    @Test("Gaussian draws: the two Box-Muller variates are uncorrelated and P(x < 0) = 1/2")
    func gaussianPairs() {
        var rng = Xoshiro256(seed: 99)
        let n = 200_000
        var cross = 0.0, negatives = 0
        for _ in 0..<n {
            let a = rng.gaussian(), b = rng.gaussian()
            cross += a * b
            negatives += (a < 0 ? 1 : 0) + (b < 0 ? 1 : 0)
        }
        #expect(abs(cross / Double(n)) < 5 / Double(n).squareRoot())
        let frac = Double(negatives) / Double(2 * n)
        #expect(abs(frac - 0.5) < 5 * 0.5 / Double(2 * n).squareRoot())
    }

    @Test("uniform draws: mean 1/2, variance 1/12, all in [0, 1)")
    func uniformMoments() {
        var rng = Xoshiro256(seed: 5)
        let n = 200_000
        var s1 = 0.0, s2 = 0.0, inRange = true
        for _ in 0..<n {
            let u = rng.uniform()
            inRange = inRange && u >= 0 && u < 1
            s1 += u; s2 += u * u
        }
        let mean = s1 / Double(n), variance = s2 / Double(n) - mean * mean
        #expect(inRange)
        #expect(abs(mean - 0.5) < 5 * (1.0 / 12).squareRoot() / Double(n).squareRoot())
        // sd of u^2 is sqrt(1/5 - 1/9).
        #expect(abs(variance - 1.0 / 12) < 5 * (1.0 / 5 - 1.0 / 9).squareRoot() / Double(n).squareRoot())
    }

    @Test("the same seed gives the same stream; different seeds differ")
    func seeding() {
        var a = Xoshiro256(seed: 42), b = Xoshiro256(seed: 42), c = Xoshiro256(seed: 43)
        let xa = (0..<100).map { _ in a.next() }
        #expect(xa == (0..<100).map { _ in b.next() })
        #expect(xa != (0..<100).map { _ in c.next() })
    }

    @Test("orthogonal(n): Q^T Q = I and Q Q^T = I to 1e-13", arguments: [1, 2, 3, 10, 40])
    func orthogonal(n: Int) {
        var rng = Xoshiro256(seed: UInt64(n) * 31)
        for _ in 0..<5 {
            let q = rng.orthogonal(n)
            let qtq = Ref.mul(Ref.transpose(q), q), qqt = Ref.mul(q, Ref.transpose(q))
            #expect((qtq - .identity(n)).maxAbs < 1e-13, "max |Q^T Q - I| = \((qtq - .identity(n)).maxAbs)")
            #expect((qqt - .identity(n)).maxAbs < 1e-13)
        }
    }

    /// Runs on the transpose's rows for speed; a seed must still give the same start as the plain
    /// column-by-column Gram-Schmidt on the same Gaussian matrix, to the last bit, and Q^T times
    /// that Gaussian matrix must be upper triangular with a positive diagonal (Q is its QR factor).
    @Test("orthogonal(n) = plain Gram-Schmidt on the columns of the same Gaussian draw, bit for bit", arguments: [1, 5, 33])
    func orthogonalIsPlainGramSchmidt(n: Int) {
        var rng = Xoshiro256(seed: 77), copy = Xoshiro256(seed: 77)
        let fast = rng.orthogonal(n)
        let g = copy.gaussianMatrix(rows: n, cols: n)
        var q = g
        for j in 0..<n {
            for _ in 0..<2 {
                for i in 0..<j {
                    var dot = 0.0
                    for r in 0..<n { dot += q[r, i] * q[r, j] }
                    for r in 0..<n { q[r, j] -= dot * q[r, i] }
                }
            }
            var norm = 0.0
            for r in 0..<n { norm += q[r, j] * q[r, j] }
            norm = norm.squareRoot()
            for r in 0..<n { q[r, j] /= norm }
        }
        #expect(fast == q)
        let r = Ref.mul(Ref.transpose(fast), g)
        for i in 0..<n {
            #expect(r[i, i] > 0)
            for j in 0..<i { #expect(abs(r[i, j]) < 1e-12 * Double(n)) }
        }
    }

    @Test("orthogonal(n) is Haar: the mean of Q is 0 and E[Q_11^2] = 1/n")
    func orthogonalIsHaar() {
        var rng = Xoshiro256(seed: 8)
        let n = 4, draws = 20_000
        var mean = Matrix.zeros(n)
        var sq = 0.0
        for _ in 0..<draws {
            let q = rng.orthogonal(n)
            mean.add(q)
            sq += q[0, 0] * q[0, 0]
        }
        mean.scale(by: 1 / Double(draws))
        // Each entry has variance 1/n; E[x^4] = 3/(n(n+2)) for an entry of a Haar matrix.
        let se = (1 / Double(n) / Double(draws)).squareRoot()
        #expect(mean.maxAbs < 5 * se)
        let sdSq = (3 / Double(n * (n + 2)) - 1 / Double(n * n)).squareRoot() / Double(draws).squareRoot()
        #expect(abs(sq / Double(draws) - 1 / Double(n)) < 5 * sdSq)
    }
}
