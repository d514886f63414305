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
}
