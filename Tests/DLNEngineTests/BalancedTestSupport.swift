import Foundation
@testable import DLNEngine

/// Shared helpers of the balanced-manifold tests: random points of M and independent formulas for
/// the maps the tests check against (phi, its differential, the balance constraint's differential).
enum BalancedFixture {
    /// z(Lambda, Q) with Haar frames and lambda_k spread in [0.6, 1.4] (distinct, descending).
    static func point(size d: Int, depth n: Int, seed: UInt64, lambda: [Double]? = nil) -> BalancedCoordinates {
        var rng = Xoshiro256(seed: seed)
        let l = lambda ?? (0..<d).map { _ in 0.6 + 0.8 * rng.uniform() }.sorted(by: >)
        return BalancedCoordinates(lambda: l, frames: (0...n).map { _ in rng.orthogonal(d) })
    }

    /// phi(W) = W_N ... W_1.
    static func phi(_ w: [Matrix]) -> Matrix { Initialization.product(w) }

    /// D phi(W)(V) = sum_s (W_N ... W_{s+1}) V_s (W_{s-1} ... W_1).
    static func dPhi(_ w: [Matrix], _ v: [Matrix]) -> Matrix {
        let n = w.count, d = w[0].rows
        var total = Matrix.zeros(d)
        for s in 0..<n {
            var m = s == 0 ? v[0] : v[s] * Initialization.product(Array(w[0..<s]))
            for t in (s + 1)..<max(s + 1, n) { m = w[t] * m }
            total.add(m)
        }
        return total
    }

    /// The derivative of G_p = W_{p+1}^T W_{p+1} - W_p W_p^T along V, p = 1 ... N-1 (4.2).
    static func dBalance(_ w: [Matrix], _ v: [Matrix]) -> [Matrix] {
        guard w.count > 1 else { return [] }
        return (0..<(w.count - 1)).map { p in
            v[p + 1].transposed * w[p + 1] + w[p + 1].transposed * v[p + 1] - v[p] * w[p].transposed
                - w[p] * v[p].transposed
        }
    }

    /// Frobenius inner product on M_d^N (8.5).
    static func inner(_ a: [Matrix], _ b: [Matrix]) -> Double {
        zip(a, b).reduce(0) { $0 + $1.0.dot($1.1) }
    }

    static func norm(_ a: [Matrix]) -> Double { inner(a, a).squareRoot() }

    static func randomTuple(size d: Int, depth n: Int, rng: inout Xoshiro256, scale: Double = 1) -> [Matrix] {
        (0..<n).map { _ in rng.gaussianMatrix(rows: d, cols: d, scale: scale) }
    }

    static func randomAntisymmetric(_ d: Int, rng: inout Xoshiro256) -> Matrix {
        let g = rng.gaussianMatrix(rows: d, cols: d)
        return g - g.transposed
    }
}
