import Foundation

/// A point of the balanced manifold M in the coordinates z(Lambda, Q_N, ..., Q_0) of (5.15):
/// W_p = Q_p Lambda Q_{p-1}^T (5.16), so W = Q_N Lambda^N Q_0^T (5.17).
///
/// `lambda` is kept in the order the frames' columns track (not necessarily descending), so that a
/// running flow never relabels a column; `frames[p]` is Q_p for p = 0 ... N.
public struct BalancedCoordinates: Equatable, Sendable {
    public var lambda: [Double]
    public var frames: [Matrix]

    public init(lambda: [Double], frames: [Matrix]) {
        precondition(frames.count >= 2 && frames.allSatisfy { $0.rows == lambda.count && $0.cols == lambda.count })
        self.lambda = lambda
        self.frames = frames
    }

    public var depth: Int { frames.count - 1 }
    public var size: Int { lambda.count }

    /// Singular values of the end-to-end matrix, sigma_k = lambda_k^N (5.16), in frame order.
    public var sigma: [Double] { lambda.map { pow($0, Double(depth)) } }

    /// W_p = Q_p Lambda Q_{p-1}^T, p = 1 ... N (5.16); `factors[p-1] = W_p`.
    public func factors() -> [Matrix] {
        var out = (0..<depth).map { _ in Matrix.zeros(size) }
        var scratch = Matrix.zeros(size)
        writeFactors(into: &out, scratch: &scratch)
        return out
    }

    /// Allocation-free form of `factors()`.
    public func writeFactors(into out: inout [Matrix], scratch: inout Matrix) {
        let d = size
        for p in 1...depth {
            // scratch = Q_p Lambda (columns scaled), then W_p = scratch Q_{p-1}^T.
            let q = frames[p]
            for i in 0..<d { for j in 0..<d { scratch.storage[i * d + j] = q.storage[i * d + j] * lambda[j] } }
            BLAS.gemm(scratch, frames[p - 1], transposeB: true, into: &out[p - 1])
        }
    }

    /// The end-to-end matrix Q_N Lambda^N Q_0^T (5.17).
    public var endToEnd: Matrix {
        let s = sigma
        var scaled = frames[depth]
        for i in 0..<size { for j in 0..<size { scaled[i, j] *= s[j] } }
        return scaled * frames[0].transposed
    }

    /// The closest point of the fibre phi^{-1}(phi(Y)) of M to an arbitrary tuple Y (cold path: it
    /// allocates). Lambda, Q_N, Q_0 come from the SVD of Y_N ... Y_1 (descending); the middle frames
    /// start from the polar factors of Y_p Q_{p-1} Lambda (exact when Y is balanced) and are then
    /// polished by the Procrustes sweeps of `FibreRetraction`.
    public static func projecting(_ factors: [Matrix]) throws(LinearAlgebraError) -> BalancedCoordinates {
        let n = factors.count
        precondition(n >= 1)
        let d = factors[0].rows
        let (u, sigma, vt) = try SVD.of(Initialization.product(factors))
        let lambda = sigma.map { pow($0, 1 / Double(n)) }
        var frames = [Matrix](repeating: .zeros(d), count: n + 1)
        frames[0] = vt.transposed
        frames[n] = u
        let polar = PolarFactor(size: d)
        var m = Matrix.zeros(d)
        for p in 1..<n {
            BLAS.gemm(factors[p - 1], frames[p - 1], into: &m)
            for i in 0..<d { for j in 0..<d { m[i, j] *= lambda[j] } }
            try polar.factor(m, into: &frames[p])
        }
        var point = BalancedCoordinates(lambda: lambda, frames: frames)
        if n > 2 {
            let sweeper = FibreRetraction(size: d)
            try sweeper.polishMiddleFrames(of: &point, towards: factors)
        }
        return point
    }
}

/// The orthogonal polar factor of a square matrix, M = (U V^T)(V S V^T): the maximiser of
/// tr(Q^T M) over O_d (orthogonal Procrustes).
final class PolarFactor {
    let svd: SVD
    init(size d: Int) { svd = SVD(size: d) }

    func factor(_ m: Matrix, into q: inout Matrix) throws(LinearAlgebraError) {
        try svd.decompose(m)
        BLAS.gemm(svd.u, svd.vt, into: &q)
    }
}
