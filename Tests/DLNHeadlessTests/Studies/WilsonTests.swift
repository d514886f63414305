import DLNStudy
import Foundation
import Testing

/// The ensemble view's 95% interval for the rank-one fraction (Wilson's score interval), against
/// an independent computation (the score test's boundary found by bisection, z from erfc) and
/// against Newcombe's published values (Statistics in Medicine 17, 1998, table I, method 3).
@Suite struct WilsonTests {
    /// Phi(z) = 0.975 for the two-sided 95% z.
    @Test func zIsTheNormalQuantile() {
        let phi = 0.5 * erfc(-Wilson.z95 / 2.squareRoot())
        #expect(abs(phi - 0.975) < 1e-12)
    }

    /// The ends are where the score statistic |k/n - p| / sqrt(p (1 - p) / n) equals z: found by
    /// bisection on each side of k/n, with no use of the closed form.
    static func scoreBoundary(_ k: Int, _ n: Int, z: Double) -> (Double, Double) {
        let phat = Double(k) / Double(n)
        func excess(_ p: Double) -> Double { (phat - p) * (phat - p) - z * z * p * (1 - p) / Double(n) }
        func bisect(_ a0: Double, _ b0: Double) -> Double {
            var a = a0, b = b0
            for _ in 0..<200 {
                let m = (a + b) / 2
                // excess > 0 outside the interval, < 0 inside; a is outside, b inside.
                if (excess(m) > 0) == (excess(a) > 0) { a = m } else { b = m }
            }
            return (a + b) / 2
        }
        let low = k == 0 ? 0 : bisect(0, phat)
        let high = k == n ? 1 : bisect(1, phat)
        return (low, high)
    }

    @Test(arguments: [(0, 10), (1, 10), (5, 10), (9, 10), (10, 10), (93, 300), (297, 300), (1, 1), (0, 1), (500, 1000)])
    func agreesWithTheScoreTestBoundary(_ k: Int, _ n: Int) throws {
        let ci = try #require(Wilson.interval(successes: k, of: n))
        let (low, high) = Self.scoreBoundary(k, n, z: Wilson.z95)
        #expect(abs(ci.low - low) < 1e-12, "\(k)/\(n): low \(ci.low) against \(low)")
        #expect(abs(ci.high - high) < 1e-12, "\(k)/\(n): high \(ci.high) against \(high)")
    }

    /// Newcombe (1998), table I: the score interval without continuity correction.
    @Test(arguments: [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
    func matchesNewcombesTable(_ k: Int, _ n: Int, _ low: Double, _ high: Double) throws {
        let ci = try #require(Wilson.interval(successes: k, of: n))
        #expect(abs(ci.low - low) < 6e-5, "\(k)/\(n): \(ci.low)")
        #expect(abs(ci.high - high) < 6e-5, "\(k)/\(n): \(ci.high)")
    }

    @Test func noMembersNoInterval() {
        #expect(Wilson.interval(successes: 0, of: 0) == nil)
        #expect(Proportion(0, of: 0).width == .infinity)
    }
}
