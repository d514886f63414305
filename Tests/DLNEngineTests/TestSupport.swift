import Foundation
import Testing
@testable import DLNEngine

/// Reference computations written independently of the engine's fast paths: plain loops,
/// plain sums, fractional powers through `symmetricEigen`, finite differences.
enum Ref {
    /// C = A B by a triple loop (no BLAS).
    static func mul(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.cols == b.rows)
        var c = Matrix(rows: a.rows, cols: b.cols)
        for i in 0..<a.rows {
            for j in 0..<b.cols {
                var s = 0.0
                for k in 0..<a.cols { s += a[i, k] * b[k, j] }
                c[i, j] = s
            }
        }
        return c
    }

    static func mul(_ ms: Matrix...) -> Matrix { ms.dropFirst().reduce(ms[0]) { mul($0, $1) } }

    /// W_N ... W_1 for factors given as [W_1, ..., W_N].
    static func endToEnd(_ factors: [Matrix]) -> Matrix {
        factors.dropFirst().reduce(factors[0]) { mul($1, $0) }
    }

    static func transpose(_ a: Matrix) -> Matrix {
        var t = Matrix(rows: a.cols, cols: a.rows)
        for i in 0..<a.rows { for j in 0..<a.cols { t[j, i] = a[i, j] } }
        return t
    }

    /// ||a - b||_F / ||b||_F (absolute when b = 0).
    static func relativeError(_ a: Matrix, _ b: Matrix) -> Double {
        let diff = zip(a.storage, b.storage).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let scale = b.frobeniusNorm
        return scale > 0 ? diff / scale : diff
    }

    /// M^alpha for a symmetric positive semidefinite M, through its eigendecomposition.
    /// Eigenvalues below `floor` x the largest are zero to working precision (they come from
    /// an exact zero singular value) and are set to 0; 0^0 = 1, so M^0 = I.
    static func psdPower(_ m: Matrix, _ alpha: Double, floor: Double = 1e-13) throws -> Matrix {
        let (values, q) = try symmetricEigen(m)
        let top = values.map(abs).max() ?? 0
        let powered = values.map { v -> Double in
            let clean = v <= floor * top ? 0 : v
            return alpha == 0 ? 1 : pow(clean, alpha)
        }
        return mul(q, .diagonal(powered), transpose(q))
    }

    /// (4.14): A_{N,W}(Z) = sum_{k=1}^N (W W^T)^{(N-k)/N} Z (W^T W)^{(k-1)/N}.
    static func operatorA(_ w: Matrix, depth n: Int) throws -> (Matrix) -> Matrix {
        let wwt = mul(w, transpose(w)), wtw = mul(transpose(w), w)
        let nd = Double(n)
        let left = try (1...n).map { k in try psdPower(wwt, Double(n - k) / nd) }
        let right = try (1...n).map { k in try psdPower(wtw, Double(k - 1) / nd) }
        return { z in
            var out = Matrix.zeros(w.rows)
            for k in 0..<n { out.add(mul(left[k], z, right[k])) }
            return out
        }
    }

    /// The d^2 x d^2 matrix of a linear map on d x d matrices: column i*d+j is vec(map(E_ij)).
    static func operatorMatrix(size d: Int, _ map: (Matrix) -> Matrix) -> Matrix {
        let n = d * d
        var m = Matrix(rows: n, cols: n)
        for col in 0..<n {
            var e = Matrix.zeros(d)
            e.storage[col] = 1
            let image = map(e)
            for row in 0..<n { m[row, col] = image.storage[row] }
        }
        return m
    }

    /// Lemma 1's C_kl as the plain sum sum_{p=1}^N s_k^(2(N-p)/N) s_l^(2(p-1)/N) (0^0 = 1).
    static func eigenvalue(_ sk: Double, _ sl: Double, depth n: Int) -> Double {
        let nd = Double(n)
        var s = 0.0
        for p in 1...n {
            s += pow(sk, 2 * Double(n - p) / nd) * pow(sl, 2 * Double(p - 1) / nd)
        }
        return s
    }

    /// Theorem 10 (6.2) without the constant: sum_{i<j} 1/2 log((s_i^2 - s_j^2)/(s_i^(2/N) - s_j^(2/N))).
    static func theorem10Entropy(_ s: [Double], depth n: Int) -> Double {
        let e = 2 / Double(n)
        var total = 0.0
        for i in 0..<s.count {
            for j in (i + 1)..<max(i + 1, s.count) {
                total += 0.5 * log((s[i] * s[i] - s[j] * s[j]) / (pow(s[i], e) - pow(s[j], e)))
            }
        }
        return total
    }

    /// (12.8) as printed: Sigma'_kk = sum_{l != k} (N l_k^(2N-1)/(l_k^(2N) - l_l^(2N)) - l_k/(l_k^2 - l_l^2)) l_k^(N-1).
    static func sigmaPrime128(_ s: [Double], depth n: Int) -> [Double] {
        let nd = Double(n)
        let lam = s.map { pow($0, 1 / nd) }
        return (0..<s.count).map { k in
            var total = 0.0
            for l in 0..<s.count where l != k {
                let a = nd * pow(lam[k], 2 * nd - 1) / (pow(lam[k], 2 * nd) - pow(lam[l], 2 * nd))
                let b = lam[k] / (lam[k] * lam[k] - lam[l] * lam[l])
                total += (a - b) * pow(lam[k], nd - 1)
            }
            return total
        }
    }

    /// Sigma'_kk = C_kk dS/ds_k with dS/ds_k = 1/2 sum_{l != k} (dC_kl/ds_k) / C_kl, every factor a
    /// plain sum of positive terms (MATH.md section 3): accurate whether or not values coincide.
    static func sigmaPrimeBySums(_ s: [Double], depth n: Int) -> [Double] {
        let nd = Double(n)
        return (0..<s.count).map { k in
            var ds = 0.0
            for l in 0..<s.count where l != k {
                var dc = 0.0
                for p in 1..<n {
                    let a = 2 * Double(n - p) / nd
                    dc += a * pow(s[k], a - 1) * pow(s[l], 2 * Double(p - 1) / nd)
                }
                ds += 0.5 * dc / eigenvalue(s[k], s[l], depth: n)
            }
            return eigenvalue(s[k], s[k], depth: n) * ds
        }
    }

    /// Central-difference Euclidean gradient of f at w, entry by entry.
    static func gradient(_ f: (Matrix) -> Double, at w: Matrix, step h: Double = 1e-5) -> Matrix {
        var g = Matrix(rows: w.rows, cols: w.cols)
        for k in 0..<w.storage.count {
            var plus = w, minus = w
            plus.storage[k] += h
            minus.storage[k] -= h
            g.storage[k] = (f(plus) - f(minus)) / (2 * h)
        }
        return g
    }

    /// U diag(x) V^T from the engine's SVD factors.
    static func synthesize(u: Matrix, diagonal x: [Double], vt: Matrix) -> Matrix {
        mul(u, .diagonal(x), vt)
    }

    /// Q diag(s) R^T with Haar-random Q, R: a matrix with prescribed singular values.
    static func withSingularValues(_ s: [Double], rng: inout Xoshiro256) -> Matrix {
        let d = s.count
        return mul(rng.orthogonal(d), .diagonal(s), transpose(rng.orthogonal(d)))
    }

    static func gaussian(_ d: Int, rng: inout Xoshiro256, scale: Double = 1) -> Matrix {
        rng.gaussianMatrix(rows: d, cols: d, scale: scale)
    }
}
