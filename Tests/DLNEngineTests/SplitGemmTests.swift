import Testing
@testable import DLNEngine

/// `BLAS.gemm` splits the NN products that OpenBLAS's AVX-512 small-matrix kernel would malloc for
/// (cblas on the first n - n mod 8 columns, the hand-written kernel on the rest): every width and
/// scalar pair must still give the product, checked against a plain triple loop.
@Suite("Products at every width")
struct SplitGemmTests {
    @Test("BLAS.gemm equals the triple loop for d = 1...44, every transpose, alpha and beta")
    func everyWidth() {
        var rng = Xoshiro256(seed: 11)
        for d in 1...44 {
            let a = rng.gaussianMatrix(rows: d, cols: d), b = rng.gaussianMatrix(rows: d, cols: d)
            let c0 = rng.gaussianMatrix(rows: d, cols: d)
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                for (alpha, beta) in [(1.0, 0.0), (-0.7, 0.3), (2.5, 1.0)] {
                    var c = c0
                    BLAS.gemm(a, transposeA: ta, b, transposeB: tb, alpha: alpha, beta: beta, into: &c)
                    var worst = 0.0
                    for i in 0..<d {
                        for j in 0..<d {
                            var s = 0.0, scale = 0.0
                            for l in 0..<d {
                                let x = ta ? a[l, i] : a[i, l], y = tb ? b[j, l] : b[l, j]
                                s += x * y
                                scale += abs(x * y)
                            }
                            let want = alpha * s + beta * c0[i, j]
                            let bound = 1e-14 * (Double(d) + 2) * (abs(alpha) * scale + abs(beta * c0[i, j]) + 1e-300)
                            worst = max(worst, abs(c[i, j] - want) / bound)
                        }
                    }
                    #expect(worst <= 1, "d=\(d) ta=\(ta) tb=\(tb) alpha=\(alpha) beta=\(beta): error \(worst) bounds")
                }
            }
        }
    }

    /// `BLAS.gemmTransposedB` (B transposed into a scratch where the kernel's A B^T is slow): the
    /// product A B^T of the triple loop, rectangular shapes included, and the scratch reused.
    @Test("gemmTransposedB equals the triple loop, square and rectangular, with its scratch reused")
    func transposedB() {
        var rng = Xoshiro256(seed: 12)
        var scratch = Matrix.zeros(0)
        for (m, n, k) in [(2, 2, 2), (9, 9, 9), (16, 16, 16), (16, 12, 20), (31, 31, 31), (24, 40, 10), (40, 40, 40)] {
            let a = rng.gaussianMatrix(rows: m, cols: k), b = rng.gaussianMatrix(rows: n, cols: k)
            let c0 = rng.gaussianMatrix(rows: m, cols: n)
            for (alpha, beta) in [(1.0, 0.0), (-0.7, 0.3)] {
                var c = c0
                BLAS.gemmTransposedB(a, b, alpha: alpha, beta: beta, into: &c, scratch: &scratch)
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        var s = 0.0, scale = 0.0
                        for l in 0..<k { s += a[i, l] * b[j, l]; scale += abs(a[i, l] * b[j, l]) }
                        let want = alpha * s + beta * c0[i, j]
                        let bound = 1e-14 * (Double(k) + 2) * (abs(alpha) * scale + abs(beta * c0[i, j]) + 1e-300)
                        worst = max(worst, abs(c[i, j] - want) / bound)
                    }
                }
                #expect(worst <= 1, "m=\(m) n=\(n) k=\(k) alpha=\(alpha) beta=\(beta): error \(worst) bounds")
            }
        }
        // The rule: only the AVX-512 kernels' K < 32 cases above the hand-written kernel's sizes.
        #expect(!BLAS.transposedBIsSlow(m: 8, n: 8, k: 8) && !BLAS.transposedBIsSlow(m: 40, n: 40, k: 40))
        #expect(BLAS.transposedBIsSlow(m: 16, n: 16, k: 16) == BLAS.kernelHasAllocatingSmallGemm)
    }
}
