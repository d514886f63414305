import CLinearAlgebra

public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input held NaN or an infinity; LAPACK is not called on it.
    case nonFiniteInput
    /// dgesdd and then dgesvd both reported failure (LAPACK's info).
    case svdDidNotConverge(info: Int)

    public var description: String {
        switch self {
        case .nonFiniteInput: return "SVD of a matrix with non-finite entries"
        case .svdDidNotConverge(let info): return "SVD did not converge (LAPACK info \(info))"
        }
    }
}

/// W = U diag(sigma) V^T with sigma descending (5.17), computed by LAPACK into buffers that are
/// allocated once per size. `dgesdd` first; if it reports non-convergence, `dgesvd`.
///
/// LAPACK is called column-major on the row-major buffer, i.e. on W^T = V Sigma U^T: its `u`
/// output read row-major is V^T and its `vt` output read row-major is U, so no transposes are made.
public final class SVD {
    public let n: Int
    /// Left singular vectors as columns.
    @exclusivity(unchecked) public private(set) var u: Matrix
    /// Singular values, descending.
    @exclusivity(unchecked) public private(set) var sigma: [Double]
    /// Right singular vectors as rows (V^T).
    @exclusivity(unchecked) public private(set) var vt: Matrix
    /// Fault injection for tests: while positive, each decomposition fails as if dgesdd and then
    /// dgesvd had both reported non-convergence, and the count drops by one. LAPACK offers no input
    /// that reliably fails, so this is the only way to exercise the rejected-step path.
    @exclusivity(unchecked) public var simulatedNonConvergence = 0

    /// dgesvd (QR iteration) first instead of dgesdd. Above n = 25 (dbdsdc's SMLSIZ) dgesdd divides
    /// and conquers, and its merges (dlasd3) call dgemm NN with sizes set by deflation; OpenBLAS's
    /// AVX-512 kernels then malloc inside their small-matrix kernel (see `BLAS`): 2 a call at d = 40,
    /// 12 at d = 100, 2 at 128 and 256 (0.3.21, Cooperlake). dgesvd calls no such product (none
    /// counted up to d = 256) but costs 1.4x dgesdd at d = 40 and 2.1x at 64, 5.7x at 256: it is
    /// taken up to d = 40, the widths the allocation tests sample, where the cost is moderate;
    /// above, dgesdd's speed wins and a few mallocs a step remain on those kernels (at d = 64 the
    /// riemannian step ran 600-670 steps/s with dgesvd, 1,260-1,290 with dgesdd: Zen 4, Cooperlake).
    public static let qrIterationUpTo = 40
    public let usesQRIteration: Bool

    @exclusivity(unchecked) private var scratch: [Double]
    @exclusivity(unchecked) private var work: [Double]
    @exclusivity(unchecked) private var iwork: [dln_lapack_int]

    public init(size n: Int) {
        precondition(n >= 1)
        self.n = n
        usesQRIteration = BLAS.kernelHasAllocatingSmallGemm && n > 25 && n <= Self.qrIterationUpTo
        u = Matrix.zeros(n)
        vt = Matrix.zeros(n)
        sigma = [Double](repeating: 0, count: n)
        scratch = [Double](repeating: 0, count: n * n)
        iwork = [dln_lapack_int](repeating: 0, count: 8 * n)
        work = [0]
        work = [Double](repeating: 0, count: max(queryWorkspace(), 1))
    }

    private func queryWorkspace() -> Int {
        var best = 1.0
        var query = [0.0]
        let N = dln_lapack_int(n)
        scratch.withUnsafeMutableBufferPointer { a in
            sigma.withUnsafeMutableBufferPointer { s in
                u.storage.withUnsafeMutableBufferPointer { pu in
                    vt.storage.withUnsafeMutableBufferPointer { pv in
                        iwork.withUnsafeMutableBufferPointer { iw in
                            query.withUnsafeMutableBufferPointer { q in
                                _ = LAPACKE_dgesdd_work(
                                    LAPACK_COL_MAJOR, Int8(UInt8(ascii: "A")), N, N, a.baseAddress, N,
                                    s.baseAddress, pu.baseAddress, N, pv.baseAddress, N, q.baseAddress, -1,
                                    iw.baseAddress)
                                best = max(best, q[0])
                                _ = LAPACKE_dgesvd_work(
                                    LAPACK_COL_MAJOR, Int8(UInt8(ascii: "A")), Int8(UInt8(ascii: "A")), N, N,
                                    a.baseAddress, N, s.baseAddress, pu.baseAddress, N, pv.baseAddress, N,
                                    q.baseAddress, -1)
                                best = max(best, q[0])
                            }
                        }
                    }
                }
            }
        }
        return Int(best) + 1
    }

    /// Decomposes `w`; on success `u`, `sigma`, `vt` hold the result. On failure they are unspecified.
    public func decompose(_ w: Matrix) throws(LinearAlgebraError) {
        precondition(w.rows == n && w.cols == n, "SVD size mismatch")
        guard w.isFinite else { throw .nonFiniteInput }
        if simulatedNonConvergence > 0 {
            simulatedNonConvergence -= 1
            throw .svdDidNotConverge(info: 1)
        }
        scratch.withUnsafeMutableBufferPointer { d in
            w.storage.withUnsafeBufferPointer { s in _ = d.update(fromContentsOf: s) }
        }
        let first = usesQRIteration ? gesvd : gesdd, second = usesQRIteration ? gesdd : gesvd
        var info = first()
        if info != 0 {
            scratch.withUnsafeMutableBufferPointer { d in
                w.storage.withUnsafeBufferPointer { s in _ = d.update(fromContentsOf: s) }
            }
            info = second()
        }
        guard info == 0 else { throw .svdDidNotConverge(info: Int(info)) }
    }

    /// LAPACK's column-major `u` is our V^T and its `vt` is our U (see the type's comment).
    private func gesdd() -> dln_lapack_int {
        let N = dln_lapack_int(n)
        let lwork = dln_lapack_int(work.count)
        return scratch.withUnsafeMutableBufferPointer { a in
            sigma.withUnsafeMutableBufferPointer { s in
                vt.storage.withUnsafeMutableBufferPointer { lapackU in
                    u.storage.withUnsafeMutableBufferPointer { lapackVT in
                        work.withUnsafeMutableBufferPointer { wk in
                            iwork.withUnsafeMutableBufferPointer { iw in
                                LAPACKE_dgesdd_work(
                                    LAPACK_COL_MAJOR, Int8(UInt8(ascii: "A")), N, N, a.baseAddress, N,
                                    s.baseAddress, lapackU.baseAddress, N, lapackVT.baseAddress, N,
                                    wk.baseAddress, lwork, iw.baseAddress)
                            }
                        }
                    }
                }
            }
        }
    }

    private func gesvd() -> dln_lapack_int {
        let N = dln_lapack_int(n)
        let lwork = dln_lapack_int(work.count)
        return scratch.withUnsafeMutableBufferPointer { a in
            sigma.withUnsafeMutableBufferPointer { s in
                vt.storage.withUnsafeMutableBufferPointer { lapackU in
                    u.storage.withUnsafeMutableBufferPointer { lapackVT in
                        work.withUnsafeMutableBufferPointer { wk in
                            LAPACKE_dgesvd_work(
                                LAPACK_COL_MAJOR, Int8(UInt8(ascii: "A")), Int8(UInt8(ascii: "A")), N, N,
                                a.baseAddress, N, s.baseAddress, lapackU.baseAddress, N,
                                lapackVT.baseAddress, N, wk.baseAddress, lwork)
                        }
                    }
                }
            }
        }
    }

    /// Convenience for cold paths and tests: a fresh decomposition.
    public static func of(_ w: Matrix) throws(LinearAlgebraError) -> (u: Matrix, sigma: [Double], vt: Matrix) {
        let svd = SVD(size: w.rows)
        try svd.decompose(w)
        return (svd.u, svd.sigma, svd.vt)
    }
}

/// Symmetric eigendecomposition (LAPACK dsyev), for tests and set-up: S = Q diag(values) Q^T,
/// values ascending, eigenvectors as the columns of `vectors`.
public func symmetricEigen(_ s: Matrix) throws(LinearAlgebraError) -> (values: [Double], vectors: Matrix) {
    precondition(s.isSquare)
    guard s.isFinite else { throw .nonFiniteInput }
    let n = s.rows
    // A symmetric matrix is its own transpose, so column-major on the row-major buffer is fine;
    // the column-major eigenvector matrix read row-major is Q^T.
    var a = s.storage
    var w = [Double](repeating: 0, count: n)
    let info = a.withUnsafeMutableBufferPointer { pa in
        w.withUnsafeMutableBufferPointer { pw in
            LAPACKE_dsyev(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")),
                          dln_lapack_int(n), pa.baseAddress, dln_lapack_int(n), pw.baseAddress)
        }
    }
    guard info == 0 else { throw .svdDidNotConverge(info: Int(info)) }
    return (w, Matrix(rows: n, cols: n, storage: a).transposed)
}
