import Foundation

/// The Wilson score interval for a binomial proportion (Wilson 1927): the set of p for which the
/// score test of H0: p does not reject at level alpha, i.e. the roots in p of
///   (k/n - p)^2 = z^2 p (1 - p) / n,
/// which are (k/n + z^2/2n +- z sqrt(k/n (1 - k/n)/n + z^2/4n^2)) / (1 + z^2/n). Unlike the Wald
/// interval it stays inside [0, 1] and keeps its coverage near 0 and 1, where a rank-one
/// fraction near 100% lives.
public enum Wilson {
    /// z for a two-sided 95% interval: the 0.975 quantile of the standard normal.
    public static let z95 = 1.959963984540054

    /// (low, high) for k successes of n (n >= 1); nil for n = 0.
    public static func interval(successes k: Int, of n: Int, z: Double = z95) -> (low: Double, high: Double)? {
        guard n > 0, k >= 0, k <= n else { return nil }
        let nn = Double(n), p = Double(k) / nn, z2 = z * z
        let centre = (p + z2 / (2 * nn)) / (1 + z2 / nn)
        let half = z / (1 + z2 / nn) * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        // Rounding can push an end a hair past [0, 1] at k = 0 or n; the interval is inside it.
        return (max(0, centre - half), min(1, centre + half))
    }
}

/// A proportion with its 95% Wilson interval: k of n.
public struct Proportion: Sendable, Equatable {
    public var successes: Int
    public var total: Int

    public init(_ k: Int, of n: Int) { successes = k; total = n }

    public var value: Double { total > 0 ? Double(successes) / Double(total) : .nan }
    public var interval: (low: Double, high: Double)? { Wilson.interval(successes: successes, of: total) }
    public var width: Double { interval.map { $0.high - $0.low } ?? .infinity }
}
