import CLinearAlgebra

/// Matrix products. Everything goes through `cblas_dgemm` except tiny sizes, where the call
/// overhead of OpenBLAS (94 ns at d = 4, PLATFORM.md) exceeds a plain loop (49 ns).
public enum BLAS {
    /// Below this dimension a hand-written loop beats dgemm (measured in `dlntui bench`).
    public static let smallSize = 8

    /// One BLAS thread: on 2 cores a second thread made small products 10x slower and its idle
    /// workers busy-wait between frames (PLATFORM.md). Called once before any product.
    public static func configureThreads(_ n: Int = 1) {
        openblas_set_num_threads(Int32(n))
    }

    /// Evaluated once, by the first `Simulation`: one BLAS thread unless a caller chose otherwise.
    static let defaultThreads: Void = configureThreads(1)

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

    @inline(__always)
    private static func smallGemm(
        _ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool, _ alpha: Double, _ beta: Double,
        _ c: inout Matrix, _ m: Int, _ n: Int, _ k: Int
    ) {
        let lda = a.cols, ldb = b.cols, ldc = c.cols
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<m {
                        for j in 0..<n {
                            var s = 0.0
                            for l in 0..<k {
                                let x = ta ? pa[l * lda + i] : pa[i * lda + l]
                                let y = tb ? pb[j * ldb + l] : pb[l * ldb + j]
                                s += x * y
                            }
                            pc[i * ldc + j] = beta == 0 ? alpha * s : alpha * s + beta * pc[i * ldc + j]
                        }
                    }
                }
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
