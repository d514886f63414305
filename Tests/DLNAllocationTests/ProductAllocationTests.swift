import DLNEngine
import Testing

/// `BLAS.gemm` and `SVD` on their own, at every width the steps use and more: the step tests sample
/// d = 2, 4, 8, 16, 40, and OpenBLAS's AVX-512 small-matrix kernel mallocs only when d mod 8 is 1...4
/// (so at none of those), which is how a malloc in every product at d = 20 went unseen.
@Suite(.serialized)
struct ProductAllocationTests {
    @Test("products allocate nothing, any width 1...130 and transpose")
    func products() {
        var rng = Xoshiro256(seed: 3)
        for d in 1...130 {
            let a = rng.gaussianMatrix(rows: d, cols: d), b = rng.gaussianMatrix(rows: d, cols: d)
            var c = Matrix.zeros(d)
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                for beta in [0.0, 1.0] {
                    BLAS.gemm(a, transposeA: ta, b, transposeB: tb, beta: beta, into: &c)
                    let calls = mallocCalls {
                        BLAS.gemm(a, transposeA: ta, b, transposeB: tb, beta: beta, into: &c)
                    }
                    #expect(calls == 0, "d=\(d) ta=\(ta) tb=\(tb) beta=\(beta): \(calls) allocator calls")
                }
            }
        }
    }

    @Test("gemmTransposedB allocates nothing once its scratch has the shape, d = 9...40")
    func transposedB() {
        var rng = Xoshiro256(seed: 5)
        var scratch = Matrix.zeros(0)
        for d in 9...40 {
            let a = rng.gaussianMatrix(rows: d, cols: d), b = rng.gaussianMatrix(rows: d, cols: d)
            var c = Matrix.zeros(d)
            BLAS.gemmTransposedB(a, b, into: &c, scratch: &scratch)
            let calls = mallocCalls { BLAS.gemmTransposedB(a, b, into: &c, scratch: &scratch) }
            #expect(calls == 0, "d=\(d): \(calls) allocator calls")
        }
    }

    /// Up to d = 64; on OpenBLAS's AVX-512 kernels up to `SVD.qrIterationUpTo` (40), above which
    /// dgesdd's merges malloc inside OpenBLAS's small-matrix dgemm and are kept for their speed (2x
    /// dgesvd at d = 64).
    @Test("the SVD allocates nothing up to d = 64 (40 on the AVX-512 kernels)")
    func svd() throws {
        var rng = Xoshiro256(seed: 4)
        for d in [20, 26, 33, 40, 47, 52, 64] where d <= SVD.qrIterationUpTo || !BLAS.kernelHasAllocatingSmallGemm {
            let svd = SVD(size: d)
            // Several matrices: dgesdd's merge sizes (where the mallocs were) depend on deflation.
            for _ in 0..<4 {
                let w = rng.gaussianMatrix(rows: d, cols: d)
                try svd.decompose(w)
                let calls = try mallocCalls { try svd.decompose(w) }
                #expect(calls == 0, "d=\(d): \(calls) allocator calls")
            }
        }
    }
}
