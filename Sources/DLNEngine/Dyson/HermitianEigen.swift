import CLinearAlgebra

/// M = U diag(values) U^* for Hermitian M (LAPACK zheev), into buffers allocated once per size.
///
/// Complex arrays reach LAPACK as opaque pointers (lapack.h declares them `double _Complex`, which
/// Swift does not import); the interleaved (re, im) layout is the same.
/// LAPACK reads the row-major buffer column-major, i.e. it sees M^T = conj(M), whose eigenvectors are
/// the columns of conj(U). Its column-major output read back row-major is conj(U)^T = U^*, which is
/// the form the Dyson step needs (U^* dH U), so `adjointFrame` holds U^* and nothing is transposed.
public final class HermitianEigen {
    public let n: Int
    /// Eigenvalues, ascending (LAPACK's order).
    public private(set) var values: [Double]
    /// U^*: row k is the conjugate of the k-th unit eigenvector.
    public private(set) var adjointFrame: ComplexMatrix

    private var work: [Double]
    private var rwork: [Double]

    public init(size n: Int) {
        precondition(n >= 1)
        self.n = n
        values = [Double](repeating: 0, count: n)
        adjointFrame = ComplexMatrix(size: n)
        rwork = [Double](repeating: 0, count: max(1, 3 * n - 2))
        work = [0, 0]
        var query: [Double] = [0, 0]
        _ = zheev(workspace: &query, count: -1)
        work = [Double](repeating: 0, count: 2 * max(Int(query[0]) + 1, 2 * n))
    }

    /// Decomposes the Hermitian `m` (both triangles must agree; only one is read).
    public func decompose(_ m: ComplexMatrix) throws(LinearAlgebraError) {
        precondition(m.size == n, "eigen size mismatch")
        guard m.isFinite else { throw .nonFiniteInput }
        adjointFrame.copy(from: m)
        let info = zheev(workspace: &work, count: work.count / 2)
        guard info == 0 else { throw .svdDidNotConverge(info: Int(info)) }
    }

    private func zheev(workspace: inout [Double], count lwork: Int) -> dln_lapack_int {
        let N = dln_lapack_int(n)
        return adjointFrame.storage.withUnsafeMutableBytes { a in
            values.withUnsafeMutableBufferPointer { w in
                workspace.withUnsafeMutableBytes { wk in
                    rwork.withUnsafeMutableBufferPointer { rw in
                        LAPACKE_zheev_work(
                            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")), N,
                            OpaquePointer(a.baseAddress!), N,
                            w.baseAddress,
                            OpaquePointer(wk.baseAddress!),
                            dln_lapack_int(lwork), rw.baseAddress)
                    }
                }
            }
        }
    }
}
