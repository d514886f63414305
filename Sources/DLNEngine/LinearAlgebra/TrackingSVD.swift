import CKernels
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
/// `track` returns false, leaving no frame, when it declines (W too far from the frame for a warm
/// start to pay) or does not converge in `maxSweeps`; the caller then decomposes with LAPACK and
/// `load`s the result. It also declines every `refreshInterval` calls: U and V drift from
/// orthogonality by rounding alone (measured: < 1e-13 after 2e4 unrefreshed steps, growing like a
/// random walk), and a LAPACK call every 1024 steps costs 0.1% of one per step. Nothing is allocated after init;
/// the workspaces are raw buffers, so the sweeps pay no exclusivity checks (at d = 4 those cost as
/// much as the arithmetic).
public final class TrackingSVD {
    public let n: Int
    /// Left singular vectors as columns.
    @exclusivity(unchecked) public private(set) var u: Matrix
    /// Singular values, descending, >= 0.
    @exclusivity(unchecked) public private(set) var sigma: [Double]
    /// Right singular vectors as rows (V^T).
    @exclusivity(unchecked) public private(set) var vt: Matrix
    /// Whether u, sigma, vt hold a frame to start from.
    @exclusivity(unchecked) public private(set) var hasFrame = false

    /// Sweeps before giving up; a warm start converges (quadratically) in 2-4.
    @exclusivity(unchecked) public var maxSweeps = 10
    /// Calls between LAPACK refreshes.
    @exclusivity(unchecked) public var refreshInterval = 1024
    /// Off(B) above this fraction of ||B||_F means W is no longer near the frame: decline.
    @exclusivity(unchecked) public var warmStartLimit = 0.25

    /// Successful calls since init.
    @exclusivity(unchecked) public private(set) var trackedCount = 0

    @exclusivity(unchecked) private var callsSinceLoad = 0
    /// U^T and V^T (rows rotated in place), B = U^T W V, a spare n x n, |diag B|, a permutation.
    private let ut: UnsafeMutablePointer<Double>
    private let vw: UnsafeMutablePointer<Double>
    private let b: UnsafeMutablePointer<Double>
    private let temp: UnsafeMutablePointer<Double>
    private let diagonal: UnsafeMutablePointer<Double>
    private let order: UnsafeMutablePointer<Int>
    /// Round-robin schedule: `rounds` rounds of `perRound` disjoint pairs (p, q), p < q, each pair
    /// once a sweep; q = n is the bye of an odd n. `plan` holds a round's solved blocks.
    private let rounds: Int
    private let perRound: Int
    private let schedule: UnsafeMutablePointer<Int>
    private let plan: UnsafeMutablePointer<Double>

    public init(size n: Int) {
        precondition(n >= 1)
        self.n = n
        u = .zeros(n)
        vt = .zeros(n)
        sigma = [Double](repeating: 0, count: n)
        ut = .allocate(capacity: n * n)
        vw = .allocate(capacity: n * n)
        b = .allocate(capacity: n * n)
        temp = .allocate(capacity: n * n)
        diagonal = .allocate(capacity: n)
        order = .allocate(capacity: n)
        for p in [ut, vw, b, temp] { p.initialize(repeating: 0, count: n * n) }
        diagonal.initialize(repeating: 0, count: n)
        order.initialize(repeating: 0, count: n)
        // Circle method: player m - 1 sits still, the others turn; round r pairs m - 1 with r and
        // (r + k) with (r - k) mod (m - 1).
        let m = n % 2 == 0 ? n : n + 1
        rounds = max(m - 1, 1)
        perRound = m / 2
        schedule = .allocate(capacity: 2 * rounds * perRound)
        plan = .allocate(capacity: 8 * perRound)
        plan.initialize(repeating: 0, count: 8 * perRound)
        for r in 0..<rounds {
            for k in 0..<perRound {
                let a = k == 0 ? m - 1 : (r + k) % (m - 1)
                let c = k == 0 ? r % max(m - 1, 1) : (r - k + (m - 1)) % (m - 1)
                let lo = min(a, c), hi = max(a, c)
                // m - 1 = n marks the bye when n is odd.
                schedule[2 * (r * perRound + k)] = lo
                schedule[2 * (r * perRound + k) + 1] = hi
            }
        }
    }

    deinit {
        for p in [ut, vw, b, temp, diagonal] { p.deallocate() }
        order.deallocate()
        schedule.deallocate()
        plan.deallocate()
    }

    /// Takes a decomposition (LAPACK's) as the frame to track from.
    public func load(_ svd: SVD) {
        precondition(svd.n == n)
        u.copy(from: svd.u)
        vt.copy(from: svd.vt)
        sigma.withUnsafeMutableBufferPointer { d in
            svd.sigma.withUnsafeBufferPointer { s in _ = d.update(fromContentsOf: s) }
        }
        let n = self.n
        svd.u.storage.withUnsafeBufferPointer { s in
            for i in 0..<n { for j in 0..<n { ut[j * n + i] = s[i * n + j] } }
        }
        svd.vt.storage.withUnsafeBufferPointer { s in vw.update(from: s.baseAddress!, count: n * n) }
        hasFrame = true
        callsSinceLoad = 0
    }

    /// Takes another tracker's frame (same size) as the one to start from, with its count of calls since
    /// LAPACK (the rounding it carries). The stages of a Runge-Kutta step lie within one step of each
    /// other: the stage evaluated last is a warmer start than the frame this tracker left a step ago.
    /// Does nothing when `other` holds no frame.
    public func adopt(_ other: TrackingSVD) {
        precondition(other.n == n)
        guard other.hasFrame, other !== self else { return }
        ut.update(from: other.ut, count: n * n)
        vw.update(from: other.vw, count: n * n)
        hasFrame = true
        callsSinceLoad = other.callsSinceLoad
    }

    /// Forgets the frame: the next `track` declines.
    public func invalidate() { hasFrame = false }

    /// Decomposes `w` from the current frame; true on success (u, sigma, vt updated). On false the
    /// frame is gone and must be reloaded.
    public func track(_ w: Matrix) -> Bool {
        precondition(w.rows == n && w.cols == n, "SVD size mismatch")
        guard hasFrame, callsSinceLoad < refreshInterval else { hasFrame = false; return false }
        hasFrame = false
        let n = self.n
        w.storage.withUnsafeBufferPointer { pw in
            multiply(ut, pw.baseAddress!, transposeB: false, into: temp)
        }
        multiply(temp, vw, transposeB: true, into: b)
        // ||B||_F = ||W||_F; NaN fails both comparisons, so a non-finite W goes to LAPACK (which names it).
        var total = 0.0, off = 0.0
        for i in 0..<n {
            for j in 0..<n {
                let x = b[i * n + j] * b[i * n + j]
                total += x
                if i != j { off += x }
            }
        }
        guard total.isFinite, off <= warmStartLimit * warmStartLimit * total else { return false }
        // The 2x2 solves square entries without rescaling; a pair is only rotated when an
        // off-diagonal exceeds eps ||B||_F, so ||B||_F >= 1e-130 keeps every square they form normal
        // (>= 1e-292). Below that (e.g. --init-scale 1e-200) the rotations would stop being
        // orthogonal: LAPACK, which rescales, takes it.
        guard total >= 0x1p-860 else { return false }
        // A pair whose two off-diagonals are both below eps ||B||_F is left alone: at the end each
        // dropped entry is below it, so ||U Sigma V^T - W||_F <= d eps ||W||_F and, by Weyl,
        // |delta sigma_k| <= d eps ||W||_F, far inside 1e-12 sigma_1 for d <= 256 (measured along
        // trajectories: ~1e-14). A looser tolerance would not save a sweep: quadratic convergence
        // takes off(B) from ~1e-4 to ~1e-8 to ~1e-16 (riemannian) or 1e-3, 1e-6, 1e-10, 1e-16 (langevin).
        let tol = Double.ulpOfOne * total.squareRoot()
        var sweeps = 0, converged = false
        while sweeps < maxSweeps {
            let done = sweep(tolerance: tol)
            sweeps += 1
            if done == 0 { converged = true; break }
        }
        guard converged else { return false }
        finish()
        trackedCount += 1
        callsSinceLoad += 1
        hasFrame = true
        return true
    }

    /// c = a op(b), row-major n x n; plain loops below BLAS's small size, where dgemm's call costs more.
    private func multiply(
        _ a: UnsafePointer<Double>, _ bm: UnsafePointer<Double>, transposeB: Bool, into c: UnsafeMutablePointer<Double>
    ) {
        let n = self.n
        if n > BLAS.smallSize {
            // Cleared here, beta = 1: cheaper than OpenBLAS's beta = 0 pass (see BLAS.gemm).
            c.update(repeating: 0, count: n * n)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, Int32(n), Int32(n),
                        Int32(n), 1, a, Int32(n), bm, Int32(n), 1, c, Int32(n))
            return
        }
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                if transposeB {
                    for k in 0..<n { s += a[i * n + k] * bm[j * n + k] }
                } else {
                    for k in 0..<n { s += a[i * n + k] * bm[k * n + j] }
                }
                c[i * n + j] = s
            }
        }
    }

    /// One sweep over the pairs in round-robin order; returns how many were rotated.
    ///
    /// The pairs of a round are disjoint, so no rotation of a round touches another's 2 x 2 block:
    /// all blocks of a round are solved first, then all rotations applied. The cyclic row order
    /// (p, p+1), (p, p+2), ... chains every solve (2 square roots, 3 divisions) on the one before
    /// through B_pp; here they pipeline, which made the sweep ~25% faster at d = 16.
    private func sweep(tolerance tol: Double) -> Int {
        let n = self.n, b = self.b, u = self.ut, v = self.vw
        var rotated = 0
        // A rotation by s changes an off-diagonal entry of B outside its 2 x 2 block by at most
        // 2 |s| maxOff. Late in the iteration (|s| ~ 1e-10, maxOff ~ 1e-10 ||B||) that is far below
        // the tolerance, and only U, V and the block need the rotation: B's rows and columns are skipped.
        var maxOff = 0.0
        for i in 0..<n { for j in 0..<n where i != j { maxOff = max(maxOff, abs(b[i * n + j])) } }
        let negligible = 1e-3 * tol / max(maxOff, Double.leastNormalMagnitude)
        for round in 0..<rounds {
            var count = 0
            for k in 0..<perRound {
                let p = schedule[2 * (round * perRound + k)], q = schedule[2 * (round * perRound + k) + 1]
                if q >= n { continue }  // the bye of an odd n
                let bpq = b[p * n + q], bqp = b[q * n + p]
                if abs(bpq) <= tol && abs(bqp) <= tol { continue }
                let bpp = b[p * n + p], bqq = b[q * n + q]
                // Left rotation L1 making L1^T A symmetric: (c1, s1) ~ (bpp + bqq, bpq - bqp), signed
                // so the angle is at most pi/2.
                var c1 = 1.0, s1 = 0.0
                let sum = bpp + bqq, diff = bpq - bqp
                if diff != 0 {
                    let r = (sum < 0 ? -1 : 1) / (sum * sum + diff * diff).squareRoot()
                    c1 = sum * r
                    s1 = diff * r
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
                let slot = plan + 8 * count
                slot[0] = Double(p)
                slot[1] = Double(q)
                slot[2] = c1 * cj - s1 * sj
                slot[3] = c1 * sj + s1 * cj
                slot[4] = cj
                slot[5] = sj
                slot[6] = x - t * y
                slot[7] = z + t * y
                count += 1
            }
            // L = L1 J acts on rows (B <- L^T B, U^T <- L^T U^T), J on columns (B <- B J, V^T <- J^T V^T).
            for i in 0..<count {
                let slot = plan + 8 * i
                let p = Int(slot[0]), q = Int(slot[1])
                let cl = slot[2], sl = slot[3], cj = slot[4], sj = slot[5]
                Rotation(cl, sl, incremental: true).apply(u + p * n, u + q * n, count: n)
                Rotation(cj, sj, incremental: true).apply(v + p * n, v + q * n, count: n)
                // B is rebuilt from W at every call, so its rotations may round in the plain form.
                if max(abs(sl), abs(sj)) > negligible {
                    Rotation(cl, sl, incremental: false).apply(b + p * n, b + q * n, count: n)
                    Rotation(cj, sj, incremental: false).applyStrided(b + p, b + q, count: n, stride: n)
                }
                b[p * n + p] = slot[6]
                b[q * n + q] = slot[7]
                b[p * n + q] = 0
                b[q * n + p] = 0
            }
            rotated += count
        }
        return rotated
    }

    /// Signs (sigma >= 0 by flipping rows of V^T), descending order (permuting rows of U^T and
    /// V^T, stably), then the outputs: U = (U^T)^T, V^T, sigma.
    private func finish() {
        let n = self.n
        for k in 0..<n {
            let s = b[k * n + k]
            diagonal[k] = abs(s)
            if s < 0 { for j in 0..<n { vw[k * n + j] = -vw[k * n + j] } }
        }
        for k in 0..<n { order[k] = k }
        // Insertion sort of the indices: a warm start leaves at most a few neighbours swapped.
        for k in 1..<max(n, 1) {
            let key = order[k]
            var j = k - 1
            while j >= 0 && diagonal[order[j]] < diagonal[key] {
                order[j + 1] = order[j]
                j -= 1
            }
            order[j + 1] = key
        }
        // Output k is old index order[k]; the working frame is permuted alike, through the spare.
        let ut = self.ut, vw = self.vw, temp = self.temp, order = self.order, diagonal = self.diagonal
        sigma.withUnsafeMutableBufferPointer { s in
            for k in 0..<n { s[k] = diagonal[order[k]] }
        }
        u.storage.withUnsafeMutableBufferPointer { pu in
            for k in 0..<n {
                let from = order[k] * n
                for i in 0..<n { pu[i * n + k] = ut[from + i] }
            }
        }
        vt.storage.withUnsafeMutableBufferPointer { pv in
            for k in 0..<n {
                let from = order[k] * n
                for j in 0..<n { pv[k * n + j] = vw[from + j] }
            }
        }
        for k in 0..<n {
            let from = order[k] * n
            for i in 0..<n { temp[k * n + i] = ut[from + i] }
        }
        ut.update(from: temp, count: n * n)
        vt.storage.withUnsafeBufferPointer { pv in vw.update(from: pv.baseAddress!, count: n * n) }
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
    init(_ c: Double, _ s: Double, incremental: Bool) {
        self.c = c
        self.s = s
        small = incremental && c > 0
        tau = small ? s / (1 + c) : 0
    }

    /// Contiguous rows, four entries at a time (explicit SIMD: the auto-vectoriser's alias checks
    /// and remainder loops cost more than the arithmetic at d = 16).
    /// Whether rows of 8 or more go to the C kernel's AVX-512 or AVX2 path (eight or four doubles an
    /// instruction where this baseline x86-64 build does two; the same expressions, so the same bits).
    static let wide = dln_rotate_rows_path() != 0

    @inline(__always)
    func apply(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>, count n: Int) {
        let c = self.c, s = self.s, tau = self.tau
        if n >= 8 && Rotation.wide {
            dln_rotate_rows(x, y, n, c, s, tau, small ? 1 : 0)
            return
        }
        let rx = UnsafeMutableRawPointer(x), ry = UnsafeMutableRawPointer(y)
        var k = 0
        if small {
            let vs = SIMD4<Double>(repeating: s), vt = SIMD4<Double>(repeating: tau)
            while k + 4 <= n {
                let a = rx.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
                let e = ry.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
                rx.storeBytes(of: a - vs * (e + vt * a), toByteOffset: k * 8, as: SIMD4<Double>.self)
                ry.storeBytes(of: e + vs * (a - vt * e), toByteOffset: k * 8, as: SIMD4<Double>.self)
                k += 4
            }
            while k < n {
                let a = x[k], e = y[k]
                x[k] = a - s * (e + tau * a)
                y[k] = e + s * (a - tau * e)
                k += 1
            }
        } else {
            let vc = SIMD4<Double>(repeating: c), vs = SIMD4<Double>(repeating: s)
            while k + 4 <= n {
                let a = rx.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
                let e = ry.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
                rx.storeBytes(of: vc * a - vs * e, toByteOffset: k * 8, as: SIMD4<Double>.self)
                ry.storeBytes(of: vs * a + vc * e, toByteOffset: k * 8, as: SIMD4<Double>.self)
                k += 4
            }
            while k < n {
                let a = x[k], e = y[k]
                x[k] = c * a - s * e
                y[k] = s * a + c * e
                k += 1
            }
        }
    }

    @inline(__always)
    func applyStrided(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>, count n: Int, stride: Int) {
        let c = self.c, s = self.s, tau = self.tau
        var i = 0
        if small {
            for _ in 0..<n {
                let a = x[i], e = y[i]
                x[i] = a - s * (e + tau * a)
                y[i] = e + s * (a - tau * e)
                i += stride
            }
        } else {
            for _ in 0..<n {
                let a = x[i], e = y[i]
                x[i] = c * a - s * e
                y[i] = s * a + c * e
                i += stride
            }
        }
    }
}
