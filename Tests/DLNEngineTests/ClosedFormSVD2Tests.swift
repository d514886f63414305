import Foundation
import Testing
@testable import DLNEngine

/// The closed-form 2 x 2 SVD of the d = 2 spectral frame against LAPACK (dgesdd) and against
/// identities LAPACK does not use (sigma_1 sigma_2 = |det W|, sigma_1^2 + sigma_2^2 = ||W||_F^2),
/// over generated matrices: random at many scales, equal, crossing and zero singular values, rank
/// deficient, negative determinants, integer and permutation matrices.
@Suite("Closed-form 2 x 2 SVD")
struct ClosedFormSVD2Tests {
    static func rotation(_ x: Double) -> Matrix { Matrix([[cos(x), -sin(x)], [sin(x), cos(x)]]) }

    /// Products by plain loops (not BLAS, not the code under test).
    static func mul(_ a: Matrix, _ b: Matrix) -> Matrix {
        var c = Matrix.zeros(2)
        for i in 0..<2 { for j in 0..<2 { c[i, j] = a[i, 0] * b[0, j] + a[i, 1] * b[1, j] } }
        return c
    }

    static func frobenius(_ a: Matrix) -> Double { a.storage.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// The generated inputs: (label, W).
    static func inputs() -> [(String, Matrix)] {
        var rng = Xoshiro256(seed: 2024)
        func normal() -> Double {
            let u1 = max(rng.uniform(), 1e-300), u2 = rng.uniform()
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        var out: [(String, Matrix)] = []
        for k in 0..<400 {
            let scale = pow(10.0, Double(k % 41 - 20) * 5)   // 1e-100 ... 1e100
            out.append(("random \(k)", Matrix(rows: 2, cols: 2, storage: (0..<4).map { _ in scale * normal() })))
        }
        for k in 0..<100 {
            let x = 2 * Double.pi * rng.uniform(), y = 2 * Double.pi * rng.uniform()
            let s = pow(10.0, 4 * normal())
            let reflect = Matrix([[1, 0], [0, k % 2 == 0 ? 1 : -1]])
            // Equal singular values (a scaled rotation or reflection), a zero one (rank one), both zero.
            out.append(("equal \(k)", mul(mul(Self.rotation(x), Matrix([[s, 0], [0, s]])), mul(reflect, Self.rotation(y)))))
            out.append(("rank one \(k)", mul(mul(Self.rotation(x), Matrix([[s, 0], [0, 0]])), mul(reflect, Self.rotation(y)))))
            let p = normal(), q = normal(), r = normal(), t = normal()
            out.append(("outer \(k)", Matrix([[p * r, p * t], [q * r, q * t]])))
            // Crossing: diag(1 + t, 1 - t) rotated, t through 0, the two values swap their order.
            let c = Double(k - 50) * 1e-3
            out.append(("crossing \(k)", mul(mul(Self.rotation(x), Matrix([[1 + c, 0], [0, 1 - c]])), Self.rotation(y))))
            // Nearly singular integer matrices: det exactly +-1 with entries ~1e4.
            let n = Double(1000 + 97 * k)
            out.append(("integer \(k)", Matrix([[n + 1, n], [n, n - 1 + (k % 2 == 0 ? 0 : 2)]])))
        }
        out.append(("zero", Matrix.zeros(2)))
        out.append(("identity", Matrix.identity(2)))
        out.append(("reflection", Matrix([[1, 0], [0, -1]])))
        out.append(("swap", Matrix([[0, 1], [1, 0]])))
        out.append(("rotation", Matrix([[0, -1], [1, 0]])))
        out.append(("-identity", Matrix([[-1, 0], [0, -1]])))
        out.append(("one entry", Matrix([[0, 0], [3, 0]])))
        out.append(("triangular", Matrix([[1, 1e8], [0, 1e-8]])))
        out.append(("tiny", Matrix([[1e-130, 2e-130], [3e-130, 4e-130]])))
        return out
    }

    @Test("matches LAPACK's singular values and reconstructs W with orthogonal factors")
    func againstLAPACK() throws {
        let lapack = SVD(size: 2)
        let closed = ClosedFormSVD2()
        for (label, w) in Self.inputs() {
            try #require(closed.decompose(w), "\(label): declined")
            try lapack.decompose(w)
            let s = closed.sigma, s1 = max(s[0], Double.leastNormalMagnitude)
            #expect(s[0] >= s[1] && s[1] >= 0, "\(label): sigma \(s)")
            for k in 0..<2 {
                #expect(abs(s[k] - lapack.sigma[k]) <= 1e-14 * s1, "\(label): sigma_\(k + 1) \(s[k]) vs LAPACK \(lapack.sigma[k])")
            }
            let rebuilt = Self.mul(Self.mul(closed.u, .diagonal(s)), closed.vt)
            #expect(Self.frobenius(rebuilt - w) <= 1e-14 * max(Self.frobenius(w), Double.leastNormalMagnitude),
                    "\(label): ||U S V^T - W|| = \(Self.frobenius(rebuilt - w))")
            for f in [closed.u, closed.vt] {
                #expect(Self.frobenius(Self.mul(f.transposed, f) - .identity(2)) <= 1e-14, "\(label): not orthogonal")
            }
            // Sign conventions: U a rotation; det V^T carries det W's sign.
            let detU = closed.u[0, 0] * closed.u[1, 1] - closed.u[0, 1] * closed.u[1, 0]
            let detV = closed.vt[0, 0] * closed.vt[1, 1] - closed.vt[0, 1] * closed.vt[1, 0]
            #expect(abs(detU - 1) <= 1e-14, "\(label): det U = \(detU)")
            let detW = ClosedFormSVD2.determinant(w[0, 0], w[0, 1], w[1, 0], w[1, 1])
            if abs(detW) > 1e-12 * s1 * s1 { #expect(detV * detW > 0, "\(label): det V = \(detV), det W = \(detW)") }
            // Well separated values: the same singular vectors as LAPACK's, up to sign (error ~ eps / gap).
            if s[0] - s[1] > 1e-3 * s1 {
                for k in 0..<2 {
                    let du = abs(closed.u[0, k] * lapack.u[0, k] + closed.u[1, k] * lapack.u[1, k])
                    let dv = abs(closed.vt[k, 0] * lapack.vt[k, 0] + closed.vt[k, 1] * lapack.vt[k, 1])
                    #expect(du >= 1 - 1e-12 && dv >= 1 - 1e-12, "\(label): vector \(k + 1): \(du), \(dv)")
                }
            }
        }
    }

    /// sigma_2 keeps its relative accuracy where LAPACK's (normwise) does not: at det = +-1 and
    /// entries ~1e4..1e5, sigma_2 ~ 1e-10 sigma_1.
    @Test("sigma_1 sigma_2 = |det W| and sigma_1^2 + sigma_2^2 = ||W||_F^2 on integer matrices")
    func identities() throws {
        let closed = ClosedFormSVD2()
        for (label, w) in Self.inputs() where label.hasPrefix("integer") {
            try #require(closed.decompose(w))
            let s = closed.sigma
            let det = abs(w[0, 0] * w[1, 1] - w[0, 1] * w[1, 0])   // exact: integers below 2^53
            #expect(abs(s[0] * s[1] - det) <= 4 * Double.ulpOfOne * det, "\(label): \(s[0] * s[1]) vs \(det)")
            let f2 = w.storage.reduce(0) { $0 + $1 * $1 }
            #expect(abs(s[0] * s[0] + s[1] * s[1] - f2) <= 4 * Double.ulpOfOne * f2, "\(label)")
        }
    }

    @Test("declines non-finite and out-of-range entries; the frame then takes LAPACK's answer or error")
    func declines() throws {
        let closed = ClosedFormSVD2()
        for bad in [Double.nan, .infinity, 1e300, 1e-300] {
            #expect(!closed.decompose(Matrix([[1e-300, 0], [0, bad]])), "\(bad) accepted")
        }
        let frame = SpectralFrame(size: 2)
        try frame.update(Matrix([[1e300, 2e300], [0, 1e299]]), depth: .finite(3))
        let lapack = SVD(size: 2)
        try lapack.decompose(Matrix([[1e300, 2e300], [0, 1e299]]))
        #expect(frame.lapackCount == 1 && frame.closedFormCount == 0)
        #expect(frame.sigma == lapack.sigma && frame.u == lapack.u && frame.vt == lapack.vt)
        #expect(throws: LinearAlgebraError.nonFiniteInput) {
            try frame.update(Matrix([[1, .nan], [0, 1]]), depth: .finite(3))
        }
        try frame.update(Matrix([[1, 2], [3, 4]]), depth: .finite(3))
        #expect(frame.closedFormCount == 1 && frame.lapackCount == 1)
    }

    /// Lemma 1's operator A_{N,W}(Z) = U (C o (U^T Z V)) V^T does not depend on the choice of frame:
    /// with the closed form (tracking on) and with LAPACK (tracking off) it agrees, at equal and
    /// distinct singular values alike. Not at the nearly singular inputs: there LAPACK's sigma_2 has
    /// only normwise accuracy (~eps sigma_1), and C's entries in sigma_2 differ by that.
    @Test("the frame's operator agrees with LAPACK's frame", arguments: [Depth.finite(2), .finite(5), .infinite])
    func operatorAgrees(depth: Depth) throws {
        let fast = SpectralFrame(size: 2), reference = SpectralFrame(size: 2, tracking: false)
        let z = Matrix([[0.3, -1.2], [0.7, 0.25]])
        for (label, w) in Self.inputs() where !label.hasPrefix("random") && label != "zero" && !label.hasPrefix("rank one") && !label.hasPrefix("outer") && label != "one entry"
            && !label.hasPrefix("integer") && label != "triangular" {
            try fast.update(w, depth: depth)
            try reference.update(w, depth: depth)
            var a = Matrix.zeros(2), b = Matrix.zeros(2)
            fast.applyOperator(z, into: &a)
            reference.applyOperator(z, into: &b)
            #expect(Self.frobenius(a - b) <= 1e-12 * Self.frobenius(b), "\(label): \(a.storage) vs \(b.storage)")
        }
        #expect(reference.closedFormCount == 0 && fast.lapackCount == 0)
    }
}
