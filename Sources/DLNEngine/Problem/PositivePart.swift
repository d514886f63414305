/// The positive semidefinite part of a symmetric matrix, S_+ = Q diag(max(lambda, 0)) Q^T: the
/// nearest PSD matrix in Frobenius norm, and all the bures-wasserstein flow can reach, since its
/// W = W_1^T W_1 is PSD (Remark 9). It is that flow's ground truth.
public enum PositivePart {
    /// S_+ and its eigenvalues clipped at 0, descending (its singular values).
    public static func of(_ s: Matrix) throws(LinearAlgebraError) -> (matrix: Matrix, sigma: [Double]) {
        let eigen = try symmetricEigen(s)
        let clipped = eigen.values.map { max($0, 0) }
        let q = eigen.vectors
        return (q * Matrix.diagonal(clipped) * q.transposed, clipped.sorted(by: >))
    }
}
