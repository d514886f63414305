/// Lemma 1's frame at the current W = U diag(sigma) V^T: the SVD, the eigenvalues C_kl of the
/// operator A_{N,W} (4.14), and the maps between a matrix and its coordinates U^T Z V.
/// One per downstairs flow; every buffer is allocated once.
public final class SpectralFrame {
    public let size: Int
    public let svd: SVD
    /// C_kl, symmetric.
    public private(set) var eigenvalues: Matrix
    private var temp: Matrix

    public init(size d: Int) {
        size = d
        svd = SVD(size: d)
        eigenvalues = .zeros(d)
        temp = .zeros(d)
    }

    public var sigma: [Double] { svd.sigma }
    public var u: Matrix { svd.u }
    public var vt: Matrix { svd.vt }

    public func update(_ w: Matrix, depth n: Int) throws(LinearAlgebraError) {
        try svd.decompose(w)
        Lemma1.eigenvalues(svd.sigma, depth: n, into: &eigenvalues)
    }

    /// out = U^T Z V.
    public func coordinates(of z: Matrix, into out: inout Matrix) {
        BLAS.gemm(svd.u, transposeA: true, z, into: &temp)
        BLAS.gemm(temp, svd.vt, transposeB: true, into: &out)
    }

    /// out = U M V^T.
    public func synthesize(_ m: Matrix, into out: inout Matrix) {
        BLAS.gemm(svd.u, m, into: &temp)
        BLAS.gemm(temp, svd.vt, into: &out)
    }

    /// A_{N,W}(Z) = U (C o (U^T Z V)) V^T (Lemma 1).
    public func applyOperator(_ z: Matrix, into out: inout Matrix) {
        var coords = Matrix.zeros(size)
        coordinates(of: z, into: &coords)
        for k in 0..<coords.storage.count { coords.storage[k] *= eigenvalues.storage[k] }
        synthesize(coords, into: &out)
    }
}
