import CLinearAlgebra
import Foundation

/// Matrix products. Everything goes through `cblas_dgemm` except tiny sizes, where the call
/// overhead of OpenBLAS (94 ns at d = 4, PLATFORM.md) exceeds a plain loop (49 ns).
public enum BLAS {
    /// Below this dimension a hand-written loop beats dgemm (measured in `dlntui bench`).
    public static let smallSize = 8

    /// One BLAS thread: on 2 cores a second thread made small products 10x slower and its idle
    /// workers busy-wait between frames (PLATFORM.md). Called once before any product.
    public static func configureThreads(_ n: Int = 1) {
        // After the shutdown OpenBLAS counts no workers, and setting a number of threads would
        // start them again from index -1 (0.3.21's goto_set_num_threads): one thread it stays.
        if idleThreadsReleased {
            precondition(n == 1, "BLAS threads are fixed at one once the idle workers are shut down")
            return
        }
        openblas_set_num_threads(Int32(n))
    }

    /// One BLAS thread, and OpenBLAS's idle workers shut down. OpenBLAS starts one per core less one
    /// when it loads, before main, and each spins on sched_yield for a while before it sleeps: at
    /// one thread they never get work, but the spinning took 9% of a d = 16 ensemble's CPU and, on
    /// 2 cores, a share of the second core from `--jobs 2` (0.48-0.66 s against 0.42-0.46 s with
    /// OPENBLAS_NUM_THREADS=1 set before start, Zen 4). `blas_thread_shutdown_` (which OpenBLAS calls
    /// itself at fork) must not run while another thread is inside a threaded product (it waits
    /// forever for the worker it removed): the executable calls this first, on its only thread.
    public static func releaseIdleThreads() {
        configureThreads(1)
        idleThreadsAtLoad = processThreadCount() - 1
        if let shutdown = threadShutdown {
            _ = shutdown()
            idleThreadsReleased = true
        }
    }
    nonisolated(unsafe) private static var idleThreadsReleased = false
    /// The threads beside the main one when `releaseIdleThreads` ran (OpenBLAS's), for `doctor`.
    nonisolated(unsafe) public private(set) static var idleThreadsAtLoad = 0

    private typealias Shutdown = @convention(c) () -> Int32
    /// OpenBLAS's `blas_thread_shutdown_`, where this build exports it (0.3.21's pthread build does).
    private static let threadShutdown: Shutdown? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_")
        .map { unsafeBitCast($0, to: Shutdown.self) }

    /// The threads of this process (Linux: /proc/self/task), for the test that OpenBLAS's are gone.
    public static func processThreadCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }

    /// Evaluated once, by the first `Simulation`: one BLAS thread unless a caller chose otherwise.
    static let defaultThreads: Void = configureThreads(1)

    /// The kernel OpenBLAS runs (`openblas_get_corename()`: "Haswell", "SkylakeX", "Prescott", ...),
    /// fixed when the library loaded; benchmarks and sidecars record it (issue 13).
    public static var kernelName: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS's build description ("OpenBLAS 0.3.21 DYNAMIC_ARCH ... Cooperlake MAX_THREADS=64").
    public static var configuration: String { String(cString: openblas_get_config()) }

    /// The number of threads OpenBLAS's products use now.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// Which of `KernelChoice.candidateKernels` this OpenBLAS has: a DYNAMIC_ARCH build exports one
    /// table `gotoblas_<NAME>` per kernel it was built with (0.3.21 does); a build without them
    /// cannot switch kernels at all, and this set is then empty.
    public static let availableKernels: Set<String> = Set(
        KernelChoice.candidateKernels.filter {
            dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gotoblas_\($0.uppercased())") != nil
        })

    /// C = alpha * op(A) op(B) + beta * C, row-major.
    public static func gemm(
        _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
        alpha: Double = 1, beta: Double = 0, into c: inout Matrix
    ) {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let kb = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        precondition(k == kb && c.rows == m && c.cols == n, "gemm: incompatible shapes")
        if m <= smallSize && n <= smallSize && k <= smallSize {
            smallGemm(a, transposeA, b, transposeB, alpha, beta, &c, m, n, k)
            return
        }
        let ta = transposeA ? CblasTrans : CblasNoTrans
        let tb = transposeB ? CblasTrans : CblasNoTrans
        // OpenBLAS clears C for beta = 0 in a separate pass (dgemm_beta) that cost 12% of an
        // upstairs step at d = 16 (perf); a memset and beta = 1 give the same bits for less.
        // The AVX-512 kernels' small-matrix path has a beta = 0 kernel of its own that never reads
        // C: there the memset was 4% of a d = 16 step for nothing.
        var beta = beta
        if beta == 0 && !smallPathTakesZeroBeta(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB) {
            c.setZero()
            beta = 1
        }
        if !transposeA && !transposeB && smallKernelAllocates(m: m, n: n, k: k) {
            splitGemm(a, b, alpha, beta, &c, m, n, k)
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), alpha,
                        pa.baseAddress, Int32(a.cols), pb.baseAddress, Int32(b.cols), beta,
                        pc.baseAddress, Int32(c.cols))
                }
            }
        }
    }

    /// OpenBLAS's AVX-512 kernels (SkylakeX, Cooperlake, SapphireRapids) send a column-major NN
    /// product with M N K <= 100^3 to a small-matrix kernel that mallocs a (M mod 8) x K buffer on
    /// every call when M mod 8 is 1...4 and K >= 16 (its dot-product tail). A row-major NN product
    /// is column-major NN with M = n. Measured on 0.3.21 (Cooperlake): one malloc a call at
    /// d = 17-20, 25-28, ..., 97-100, none with Haswell's kernel or for the transposed cases.
    public static let kernelHasAllocatingSmallGemm: Bool =
        ["skylakex", "cooperlake", "sapphirerapids"].contains(kernelName.lowercased())

    /// The same kernels refuse their small-matrix kernel to a column-major TN product (a row-major
    /// A B^T) with K < 32 (OpenBLAS 0.3.21's permit: "TN kernel perform not good when K is too
    /// small"), and the general path packs both operands: at d = 16 it was a quarter of an upstairs
    /// step (perf, Zen 4 under Cooperlake). Such a caller transposes B into a scratch and multiplies
    /// A (B^T) without transposes: `gemmTransposedB`.
    @inline(__always)
    public static func transposedBIsSlow(m: Int, n: Int, k: Int) -> Bool {
        kernelHasAllocatingSmallGemm && k < 32 && max(m, n, k) > smallSize && m * n * k <= 1_000_000
    }

    /// C = alpha A B^T + beta C; where `transposedBIsSlow`, as A (B^T) with B^T formed in `scratch`
    /// (resized once to B's transpose; no allocation after that).
    public static func gemmTransposedB(_ a: Matrix, _ b: Matrix, alpha: Double = 1, beta: Double = 0,
                                       into c: inout Matrix, scratch: inout Matrix) {
        guard transposedBIsSlow(m: a.rows, n: b.rows, k: a.cols) else {
            gemm(a, b, transposeB: true, alpha: alpha, beta: beta, into: &c)
            return
        }
        if scratch.rows != b.cols || scratch.cols != b.rows { scratch = Matrix(rows: b.cols, cols: b.rows) }
        scratch.copyTransposed(from: b)
        gemm(a, scratch, alpha: alpha, beta: beta, into: &c)
    }

    /// OpenBLAS sends this product to its small-matrix path (AVX-512 kernels, M N K <= 100^3, not
    /// the refused column-major TN case) and not to `splitGemm`: beta = 0 is then passed as it is.
    @inline(__always)
    static func smallPathTakesZeroBeta(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) -> Bool {
        kernelHasAllocatingSmallGemm && m * n * k <= 1_000_000
            && !(transposeB && !transposeA && transposedBIsSlow(m: m, n: n, k: k))
            && !(!transposeA && !transposeB && smallKernelAllocates(m: m, n: n, k: k))
    }

    @inline(__always)
    static func smallKernelAllocates(m: Int, n: Int, k: Int) -> Bool {
        kernelHasAllocatingSmallGemm && (1...4).contains(n % 8) && k >= 16 && m * n * k <= 1_000_000
    }

    /// C = alpha A B + beta C without that malloc: cblas on the first n - n mod 8 columns (M a
    /// multiple of 8: no tail), the hand-written kernel on the last one to four.
    private static func splitGemm(
        _ a: Matrix, _ b: Matrix, _ alpha: Double, _ beta: Double, _ c: inout Matrix, _ m: Int, _ n: Int, _ k: Int
    ) {
        let n8 = n - n % 8
        let lda = a.cols, ldb = b.cols, ldc = c.cols
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    let aBase = pa.baseAddress!, bBase = pb.baseAddress!, cBase = pc.baseAddress!
                    if n8 > 0 {
                        cblas_dgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n8), Int32(k), alpha,
                            aBase, Int32(lda), bBase, Int32(ldb), beta, cBase, Int32(ldc))
                    }
                    smallKernel(aBase, lda, 1, bBase + n8, ldb, 1, cBase + n8, ldc, m, n - n8, k, alpha, beta)
                }
            }
        }
    }

    /// The four transpose cases become strides, op(A)[i, l] = A[i ai + l al] and
    /// op(B)[l, j] = B[l bl + j bj], so one kernel serves them all with no branch in its loops; it is
    /// instantiated twice, with bj = 1 as a constant (op(B) rows contiguous: the compiler vectorises
    /// the loads) and with bj = ldb.
    @inline(__always)
    private static func smallGemm(
        _ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool, _ alpha: Double, _ beta: Double,
        _ c: inout Matrix, _ m: Int, _ n: Int, _ k: Int
    ) {
        guard m > 0 && n > 0 else { return }
        guard k > 0 else {
            if beta == 0 { c.setZero() } else { c.scale(by: beta) }
            return
        }
        let lda = a.cols, ldb = b.cols, ldc = c.cols
        let ai = ta ? 1 : lda, al = ta ? lda : 1
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    let aBase = pa.baseAddress!, bBase = pb.baseAddress!, cBase = pc.baseAddress!
                    if tb {
                        smallKernel(aBase, ai, al, bBase, 1, ldb, cBase, ldc, m, n, k, alpha, beta)
                    } else {
                        smallKernel(aBase, ai, al, bBase, ldb, 1, cBase, ldc, m, n, k, alpha, beta)
                    }
                }
            }
        }
    }

    /// C = alpha op(A) op(B) + beta C, C row-major with leading dimension ldc, by blocks of one row of
    /// C and four columns held in registers; each entry sums over l in ascending order, as a plain
    /// triple loop does, so results are the same to the last bit.
    @inline(__always)
    static func smallKernel(
        _ aBase: UnsafePointer<Double>, _ ai: Int, _ al: Int,
        _ bBase: UnsafePointer<Double>, _ bl: Int, _ bj: Int,
        _ cBase: UnsafeMutablePointer<Double>, _ ldc: Int,
        _ m: Int, _ n: Int, _ k: Int, _ alpha: Double, _ beta: Double
    ) {
        var j0 = 0
        while j0 + 4 <= n {
            let b = bBase + j0 * bj
            for i in 0..<m {
                let a = aBase + i * ai
                var c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0
                for l in 0..<k {
                    let x = a[l * al]
                    let r = b + l * bl
                    c0 += x * r[0]
                    c1 += x * r[bj]
                    c2 += x * r[2 * bj]
                    c3 += x * r[3 * bj]
                }
                let out = cBase + i * ldc + j0
                if beta == 0 {
                    out[0] = alpha * c0; out[1] = alpha * c1; out[2] = alpha * c2; out[3] = alpha * c3
                } else {
                    out[0] = alpha * c0 + beta * out[0]
                    out[1] = alpha * c1 + beta * out[1]
                    out[2] = alpha * c2 + beta * out[2]
                    out[3] = alpha * c3 + beta * out[3]
                }
            }
            j0 += 4
        }
        // The last one to three columns.
        guard j0 < n else { return }
        for i in 0..<m {
            let a = aBase + i * ai
            for j in j0..<n {
                let b = bBase + j * bj
                var s = 0.0
                for l in 0..<k { s += a[l * al] * b[l * bl] }
                let out = cBase + i * ldc + j
                out[0] = beta == 0 ? alpha * s : alpha * s + beta * out[0]
            }
        }
    }

    /// y = alpha * op(A) x + beta * y over raw vectors (matrix sensing's measurement operator).
    public static func gemv(
        _ a: Matrix, transpose: Bool = false, _ x: [Double], alpha: Double = 1, beta: Double = 0,
        into y: inout [Double]
    ) {
        precondition(x.count == (transpose ? a.rows : a.cols) && y.count == (transpose ? a.cols : a.rows))
        a.storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(a.rows), Int32(a.cols),
                        alpha, pa.baseAddress, Int32(a.cols), px.baseAddress, 1, beta, py.baseAddress, 1)
                }
            }
        }
    }
}
