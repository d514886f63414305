import Foundation

/// The tangent map of the coordinates z (8.1-8.2) and the pullback metric of Lemma 2 (8.9-8.10).
///
/// (8.2) is printed with Q_p theta Q_p^T; differentiating W_p = Q_p Lambda Q_{p-1}^T along
/// Lambda + t theta gives Q_p theta Q_{p-1}^T (MATH.md 2.5). Lemma 2's tridiagonal blocks hold for
/// the generators A_p = Q_p alpha_kl Q_p^T, the body frame of (8.13).
public enum Lemma2 {
    /// D z (theta, A)_p = A_p W_p + Q_p theta Q_{p-1}^T - W_p A_{p-1}, p = 1 ... N (8.2, corrected);
    /// `generators[p]` = A_p for p = 0 ... N (antisymmetric), result index p-1.
    public static func tangent(at point: BalancedCoordinates, theta: [Double], generators a: [Matrix]) -> [Matrix] {
        let n = point.depth
        precondition(a.count == n + 1 && theta.count == point.size)
        let w = point.factors()
        let t = Matrix.diagonal(theta)
        return (1...n).map { p in
            a[p] * w[p - 1] + point.frames[p] * t * point.frames[p - 1].transposed - w[p - 1] * a[p - 1]
        }
    }

    /// alpha_kl = (e_k e_l^T - e_l e_k^T) / sqrt(2) (8.7).
    public static func alpha(_ k: Int, _ l: Int, size d: Int) -> Matrix {
        var m = Matrix.zeros(d)
        m[k, l] = 1 / 2.0.squareRoot()
        m[l, k] = -1 / 2.0.squareRoot()
        return m
    }

    /// h_a^{k,l} (8.10): the (N+1) x (N+1) Gram matrix of the vectors a^p_kl, p = 0 ... N (8.8).
    public static func block(_ lk: Double, _ ll: Double, depth n: Int) -> Matrix {
        var h = Matrix.zeros(n + 1)
        let sum = lk * lk + ll * ll
        for p in 0...n {
            h[p, p] = (p == 0 || p == n) ? sum / 2 : sum
            if p < n {
                h[p, p + 1] = -lk * ll
                h[p + 1, p] = -lk * ll
            }
        }
        return h
    }

    /// The eigenvalues of h_a^{k,l} restricted to the orbit generators A_1 ... A_{N-1} (a Toeplitz
    /// tridiagonal block): lambda_k^2 + lambda_l^2 - 2 lambda_k lambda_l cos(p pi / N), with
    /// eigenvectors sin(j p pi / N), j = 1 ... N-1: the Chebyshev structure behind (8.22).
    public static func orbitEigenvalue(_ lk: Double, _ ll: Double, p: Int, depth n: Int) -> Double {
        lk * lk + ll * ll - 2 * lk * ll * cos(Double(p) * Double.pi / Double(n))
    }
}
