import CLinearAlgebra
import Testing
@testable import DLNEngine

/// `BLAS.gemm` below `BLAS.smallSize` runs a hand-written kernel instead of cblas_dgemm; it must agree
/// with cblas on every shape it serves, and be exactly the plain triple loop it replaced (so that no
/// trajectory changes with it).
@Suite("The small-matrix product kernel")
struct SmallGemmTests {
    /// (alpha, beta): the plain product, a general update, an accumulation, and alpha = 0.
    static let scalars: [(Double, Double)] = [(1, 0), (-0.7, 0.3), (2.5, 1), (0, -1.5)]
    static let transposes = [(false, false), (true, false), (false, true), (true, true)]

    /// op(A) m x k and op(B) k x n, stored transposed when op is the transpose.
    static func operands(m: Int, n: Int, k: Int, ta: Bool, tb: Bool, rng: inout Xoshiro256) -> (Matrix, Matrix) {
        let a = ta ? rng.gaussianMatrix(rows: k, cols: m) : rng.gaussianMatrix(rows: m, cols: k)
        let b = tb ? rng.gaussianMatrix(rows: n, cols: k) : rng.gaussianMatrix(rows: k, cols: n)
        return (a, b)
    }

    /// C = alpha op(A) op(B) + beta C through cblas_dgemm itself, whatever the size.
    static func cblas(_ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool, _ alpha: Double, _ beta: Double,
                      _ c: inout Matrix, m: Int, n: Int, k: Int) {
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha, pa.baseAddress, Int32(a.cols),
                        pb.baseAddress, Int32(b.cols), beta, pc.baseAddress, Int32(c.cols))
                }
            }
        }
    }

    /// |alpha| sum_l |op(A)_il| |op(B)_lj| + |beta| |C_ij|: the scale of entry (i, j)'s rounding error.
    static func magnitude(_ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool, _ alpha: Double, _ beta: Double,
                          _ c0: Matrix, i: Int, j: Int, k: Int) -> Double {
        var s = 0.0
        for l in 0..<k { s += abs(ta ? a[l, i] : a[i, l]) * abs(tb ? b[j, l] : b[l, j]) }
        return abs(alpha) * s + abs(beta) * abs(c0[i, j])
    }

    @Test("agrees with cblas_dgemm: every m, n, k in 1...8, every transpose, four (alpha, beta)",
          arguments: 1...BLAS.smallSize)
    func agreesWithCblas(m: Int) {
        var rng = Xoshiro256(seed: UInt64(100 + m))
        var worst = 0.0
        for n in 1...BLAS.smallSize {
            for k in 1...BLAS.smallSize {
                for (ta, tb) in Self.transposes {
                    let (a, b) = Self.operands(m: m, n: n, k: k, ta: ta, tb: tb, rng: &rng)
                    let c0 = rng.gaussianMatrix(rows: m, cols: n)
                    for (alpha, beta) in Self.scalars {
                        var fast = c0, reference = c0
                        BLAS.gemm(a, transposeA: ta, b, transposeB: tb, alpha: alpha, beta: beta, into: &fast)
                        Self.cblas(a, ta, b, tb, alpha, beta, &reference, m: m, n: n, k: k)
                        for i in 0..<m {
                            for j in 0..<n {
                                let scale = Self.magnitude(a, ta, b, tb, alpha, beta, c0, i: i, j: j, k: k)
                                let err = abs(fast[i, j] - reference[i, j]) / max(scale, .leastNormalMagnitude)
                                worst = max(worst, err)
                            }
                        }
                    }
                }
            }
        }
        // Two sums of at most 8 products each, in different orders: a few units of 2^-53 apart.
        #expect(worst < 1e-15 * Double(BLAS.smallSize), "worst relative error \(worst) at m=\(m)")
    }

    @Test("is exactly the plain triple loop (same order of summation), rectangular shapes")
    func isThePlainLoopBitForBit() {
        var rng = Xoshiro256(seed: 42)
        for (m, n, k) in [(1, 1, 1), (3, 5, 2), (4, 4, 4), (8, 3, 7), (2, 8, 8), (7, 6, 5), (8, 8, 8)] {
            for (ta, tb) in Self.transposes {
                let (a, b) = Self.operands(m: m, n: n, k: k, ta: ta, tb: tb, rng: &rng)
                let c0 = rng.gaussianMatrix(rows: m, cols: n)
                for (alpha, beta) in Self.scalars {
                    var fast = c0
                    BLAS.gemm(a, transposeA: ta, b, transposeB: tb, alpha: alpha, beta: beta, into: &fast)
                    var loop = c0
                    for i in 0..<m {
                        for j in 0..<n {
                            var s = 0.0
                            for l in 0..<k { s += (ta ? a[l, i] : a[i, l]) * (tb ? b[j, l] : b[l, j]) }
                            loop[i, j] = beta == 0 ? alpha * s : alpha * s + beta * c0[i, j]
                        }
                    }
                    #expect(fast == loop, "m=\(m) n=\(n) k=\(k) ta=\(ta) tb=\(tb) alpha=\(alpha) beta=\(beta)")
                }
            }
        }
    }

    /// Above the small size, beta = 0 is a memset then beta = 1 (OpenBLAS's own clearing pass was
    /// slower): the bits must be cblas_dgemm's with beta = 0.
    @Test("beta = 0 overwrites C without reading it (NaN in C does not propagate), as BLAS does; same bits as cblas above the small size")
    func betaZeroIgnoresC() {
        var rng = Xoshiro256(seed: 5)
        for (m, n, k) in [(5, 6, 3), (16, 20, 12), (64, 9, 33)] {
            for (ta, tb) in Self.transposes {
                let (a, b) = Self.operands(m: m, n: n, k: k, ta: ta, tb: tb, rng: &rng)
                var c = Matrix(rows: m, cols: n, repeating: .nan)
                BLAS.gemm(a, transposeA: ta, b, transposeB: tb, alpha: -1.5, into: &c)
                var reference = Matrix(rows: m, cols: n)
                Self.cblas(a, ta, b, tb, -1.5, 0, &reference, m: m, n: n, k: k)
                #expect(c.isFinite)
                if max(m, n, k) > BLAS.smallSize && !(!ta && !tb && BLAS.smallKernelAllocates(m: m, n: n, k: k)) {
                    #expect(c == reference, "m=\(m) n=\(n) k=\(k) ta=\(ta) tb=\(tb)")
                } else if max(m, n, k) > BLAS.smallSize {
                    // AVX-512 kernels: BLAS.gemm splits this product to avoid OpenBLAS's malloc (its
                    // last columns are the hand-written kernel's), so the bits are not cblas's.
                    #expect(Ref.relativeError(c, reference) < 1e-15)
                } else {
                    #expect(Ref.relativeError(c, reference) < 1e-15)
                }
            }
        }
    }
}
