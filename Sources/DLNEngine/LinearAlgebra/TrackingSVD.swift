import CLinearAlgebra

/// The SVD of a matrix that moves a little between calls, started from the previous frame.
///
/// With the last U, V, B = U^T W V is nearly diagonal. Two-sided (Kogbetliantz) Jacobi sweeps
/// diagonalise it: each pair (p, q) reads B_pq and B_qp directly, so a pair already below the
/// threshold costs a comparison; an active pair gets the exact SVD of its 2 x 2 block (one rotation
/// making it symmetric, then the symmetric Jacobi rotation of smallest angle), which stays exact
/// when B_pp = B_qq, so equal, clustered or crossing singular values need no special case. The
/// rotations act on rows of B, U^T and V^T (contiguous) and on columns of B.
///
/// `track` returns false, leaving no frame, when it declines or does not converge; the caller then
/// decomposes with LAPACK and `load`s the result. It also declines every `refreshInterval` calls so
/// the rounding drift of U, V away from orthogonality stays bounded. Nothing is allocated after init.
public final class TrackingSVD {
    public let n: Int
    /// Left singular vectors as columns.
    public private(set) var u: Matrix
    /// Singular values, descending, >= 0.
    public private(set) var sigma: [Double]
    /// Right singular vectors as rows (V^T).
    public private(set) var vt: Matrix
    /// Whether u, sigma, vt hold a frame to start from.
    public private(set) var hasFrame = false

    /// Sweeps before giving up; a warm start converges (quadratically) in 2-4.
    public var maxSweeps = 10
    /// Calls between LAPACK refreshes.
    public var refreshInterval = 1024
    /// Off(B) above this fraction of ||B||_F means W is no longer near the frame: decline.
    public var warmStartLimit = 0.25

    /// Statistics since init: successful calls, sweeps and 2 x 2 rotations done in them.
    public private(set) var trackedCount = 0
    public private(set) var sweepCount = 0
    public private(set) var rotationCount = 0

    private var callsSinceLoad = 0
    /// U^T, its rows rotated in place.
    private var ut: Matrix
    private var b: Matrix
    private var temp: Matrix
    private var order: [Int]
    private var diagonal: [Double]

    public init(size n: Int) {
        precondition(n >= 1)
        self.n = n
        u = .zeros(n)
        vt = .zeros(n)
        ut = .zeros(n)
        b = .zeros(n)
        temp = .zeros(n)
        sigma = [Double](repeating: 0, count: n)
        diagonal = sigma
        order = [Int](repeating: 0, count: n)
    }

    /// Takes a decomposition (LAPACK's) as the frame to track from.
    public func load(_ svd: SVD) {
        precondition(svd.n == n)
        u.copy(from: svd.u)
        vt.copy(from: svd.vt)
        sigma.withUnsafeMutableBufferPointer { d in
            svd.sigma.withUnsafeBufferPointer { s in _ = d.update(fromContentsOf: s) }
        }
        hasFrame = true
        callsSinceLoad = 0
    }

    /// Forgets the frame: the next `track` declines.
    public func invalidate() { hasFrame = false }

    /// Decomposes `w` from the current frame; true on success (u, sigma, vt updated). On false the
    /// frame is gone and must be reloaded.
    public func track(_ w: Matrix) -> Bool {
        precondition(w.rows == n && w.cols == n, "SVD size mismatch")
        guard hasFrame, callsSinceLoad < refreshInterval else { hasFrame = false; return false }
        hasFrame = false
        transpose(u, into: &ut)
        BLAS.gemm(ut, w, into: &temp)
        BLAS.gemm(temp, vt, transposeB: true, into: &b)
        // ||B||_F = ||W||_F; NaN fails both comparisons, so a non-finite W goes to LAPACK (which names it).
        var total = 0.0, off = 0.0
        b.storage.withUnsafeBufferPointer { p in
            for i in 0..<n {
                for j in 0..<n {
                    let x = p[i * n + j] * p[i * n + j]
                    total += x
                    if i != j { off += x }
                }
            }
        }
        guard total.isFinite, off <= warmStartLimit * warmStartLimit * total else { return false }
        // A pair whose two off-diagonals are both below eps ||B||_F is left alone: at the end each
        // dropped entry is below it, so ||U Sigma V^T - W||_F <= d eps ||W||_F and, by Weyl,
        // |delta sigma_k| <= d eps ||W||_F, far inside 1e-12 sigma_1 for d <= 256.
        let tol = Double.ulpOfOne * total.squareRoot()
        var sweeps = 0, rotations = 0, converged = false
        while sweeps < maxSweeps {
            let done = sweep(tolerance: tol)
            sweeps += 1
            rotations += done
            if done == 0 { converged = true; break }
        }
        guard converged else { return false }
        finish()
        trackedCount += 1
        sweepCount += sweeps
        rotationCount += rotations
        callsSinceLoad += 1
        hasFrame = true
        return true
    }

    /// One cyclic sweep over the pairs; returns how many were rotated.
    private func sweep(tolerance tol: Double) -> Int {
        let n = self.n
        var rotated = 0
        b.storage.withUnsafeMutableBufferPointer { pb in
            ut.storage.withUnsafeMutableBufferPointer { pu in
                vt.storage.withUnsafeMutableBufferPointer { pv in
                    let b = pb.baseAddress!, u = pu.baseAddress!, v = pv.baseAddress!
                    for p in 0..<(n - 1) {
                        for q in (p + 1)..<n {
                            let bpq = b[p * n + q], bqp = b[q * n + p]
                            if abs(bpq) <= tol && abs(bqp) <= tol { continue }
                            rotated += 1
                            let bpp = b[p * n + p], bqq = b[q * n + q]
                            // Left rotation L1 making L1^T A symmetric: (c1, s1) ~ (bpp + bqq, bpq - bqp),
                            // signed so the angle is at most pi/2.
                            var c1 = 1.0, s1 = 0.0
                            let sum = bpp + bqq, diff = bpq - bqp
                            if diff != 0 {
                                let rho = (sum * sum + diff * diff).squareRoot()
                                let sign: Double = sum < 0 ? -1 : 1
                                c1 = sign * sum / rho
                                s1 = sign * diff / rho
                            }
                            let x = c1 * bpp - s1 * bqp
                            let y = c1 * bpq - s1 * bqq
                            let z = s1 * bpq + c1 * bqq
                            // Symmetric Jacobi rotation J of smallest angle (Golub-Van Loan 8.4.1).
                            var cj = 1.0, sj = 0.0, t = 0.0
                            if y != 0 {
                                let tau = (z - x) / (2 * y)
                                if abs(tau) > 1e150 {
                                    t = 0.5 / tau
                                } else {
                                    t = (tau >= 0 ? 1 : -1) / (abs(tau) + (1 + tau * tau).squareRoot())
                                }
                                cj = 1 / (1 + t * t).squareRoot()
                                sj = t * cj
                            }
                            // L = L1 J acts on rows (B <- L^T B, U^T <- L^T U^T), J on columns (B <- B J,
                            // V^T <- J^T V^T).
                            let cl = c1 * cj - s1 * sj, sl = c1 * sj + s1 * cj
                            let left = Rotation(cl, sl), right = Rotation(cj, sj)
                            left.apply(b + p * n, b + q * n, count: n, stride: 1)
                            left.apply(u + p * n, u + q * n, count: n, stride: 1)
                            right.apply(v + p * n, v + q * n, count: n, stride: 1)
                            right.apply(b + p, b + q, count: n, stride: n)
                            b[p * n + p] = x - t * y
                            b[q * n + q] = z + t * y
                            b[p * n + q] = 0
                            b[q * n + p] = 0
                        }
                    }
                }
            }
        }
        return rotated
    }

    /// Signs (sigma >= 0 by flipping rows of V^T), descending order (permuting rows of U^T and
    /// V^T, stably), then U from U^T.
    private func finish() {
        for k in 0..<n {
            let s = b[k, k]
            diagonal[k] = abs(s)
            if s < 0 {
                vt.storage.withUnsafeMutableBufferPointer { p in
                    for j in 0..<n { p[k * n + j] = -p[k * n + j] }
                }
            }
        }
        var sorted = true
        for k in 1..<max(n, 1) where diagonal[k] > diagonal[k - 1] { sorted = false }
        if sorted {
            sigma.withUnsafeMutableBufferPointer { d in
                diagonal.withUnsafeBufferPointer { s in _ = d.update(fromContentsOf: s) }
            }
            transpose(ut, into: &u)
            return
        }
        for k in 0..<n { order[k] = k }
        // Insertion sort of the indices: a warm start leaves at most a few neighbours swapped.
        for k in 1..<n {
            let key = order[k]
            var j = k - 1
            while j >= 0 && diagonal[order[j]] < diagonal[key] {
                order[j + 1] = order[j]
                j -= 1
            }
            order[j + 1] = key
        }
        // New column k of U is old row order[k] of U^T; rows of V^T move through the spare matrix.
        for k in 0..<n {
            let from = order[k]
            sigma[k] = diagonal[from]
            for i in 0..<n { u[i, k] = ut[from, i] }
            for j in 0..<n { temp[k, j] = vt[from, j] }
        }
        vt.copy(from: temp)
    }

    private func transpose(_ a: Matrix, into t: inout Matrix) {
        let n = self.n
        a.storage.withUnsafeBufferPointer { s in
            t.storage.withUnsafeMutableBufferPointer { d in
                for i in 0..<n { for j in 0..<n { d[j * n + i] = s[i * n + j] } }
            }
        }
    }
}

/// (x, y) <- (c x - s y, s x + c y), in Rutishauser's form x - s (y + tau x), y + s (x - tau y) with
/// tau = s / (1 + c) = tan(angle / 2) when c > 0. The plain form rounds each entry to eps |x|; for the
/// tiny angles of a warm start c even rounds to 1, so every rotation would lengthen the rows of U^T
/// and V^T by up to eps/2, always the same way, and 10^3 steps of ~40 rotations per row drift
/// ||U^T U - I|| to 1e-12. The increment form rounds to eps |s x|, and its implied c = 1 - s tau is
/// orthogonal to s to O(eps s^2).
private struct Rotation {
    let c: Double, s: Double, tau: Double
    let small: Bool

    @inline(__always)
    init(_ c: Double, _ s: Double) {
        self.c = c
        self.s = s
        small = c > 0
        tau = c > 0 ? s / (1 + c) : 0
    }

    @inline(__always)
    func apply(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>, count n: Int, stride: Int) {
        let c = self.c, s = self.s, tau = self.tau
        if stride == 1 {
            if small {
                for k in 0..<n {
                    let a = x[k], e = y[k]
                    x[k] = a - s * (e + tau * a)
                    y[k] = e + s * (a - tau * e)
                }
            } else {
                for k in 0..<n {
                    let a = x[k], e = y[k]
                    x[k] = c * a - s * e
                    y[k] = s * a + c * e
                }
            }
            return
        }
        var i = 0
        for _ in 0..<n {
            let a = x[i], e = y[i]
            if small {
                x[i] = a - s * (e + tau * a)
                y[i] = e + s * (a - tau * e)
            } else {
                x[i] = c * a - s * e
                y[i] = s * a + c * e
            }
            i += stride
        }
    }
}
