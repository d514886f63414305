import Foundation
import Testing

/// Section 14.1 of G. Menon's "The geometry of the deep linear network": the 2 x 2 problem
/// E(W) = 1/2 ((W11 - 1)^2 + (W22 - 1)^2) from the two-by-two preset's small start. dlntui's ensemble
/// and an independent computation of the same law written here (same start distribution, same
/// explicit Euler scheme for the upstairs gradient flow dW_p/dt = -dE/dW_p, its own random numbers)
/// must agree: the fraction of rank-one limits (sigma_2 / sigma_1 < 0.05) by a two-proportion
/// z-test, the law of the limit's W12 by a two-sample Kolmogorov-Smirnov test.
@Suite struct TwoByTwoLawTests {
    static let members = 300
    static let steps = 4000, dt = 0.05, scale = 1e-2

    /// 2 x 2 matrices as (a, b, c, d) = [[a, b], [c, d]].
    typealias M2 = (Double, Double, Double, Double)
    static func mul(_ x: M2, _ y: M2) -> M2 {
        (x.0 * y.0 + x.1 * y.2, x.0 * y.1 + x.1 * y.3, x.2 * y.0 + x.3 * y.2, x.2 * y.1 + x.3 * y.3)
    }
    static func t(_ x: M2) -> M2 { (x.0, x.2, x.1, x.3) }
    static let identity: M2 = (1, 0, 0, 1)

    /// xorshift64* with Box-Muller: not dlntui's generator.
    struct Normal {
        var s: UInt64
        mutating func uniform() -> Double {
            s ^= s >> 12; s ^= s << 25; s ^= s >> 27
            return (Double((s &* 2_685_821_657_736_338_717) >> 11) + 0.5) / 9_007_199_254_740_992
        }
        mutating func next() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
    }

    /// One trajectory: factors with i.i.d. N(0, (scale^(1/N) / sqrt 2)^2) entries, then Euler steps of
    /// dW_p = -(W_N...W_{p+1})^T E'(W) (W_{p-1}...W_1)^T dt, E'(W) = diag(W11 - 1, W22 - 1).
    static func limit(depth n: Int, rng: inout Normal) -> M2 {
        let sd = pow(scale, 1 / Double(n)) / 2.0.squareRoot()
        var w = (0..<n).map { _ in (sd * rng.next(), sd * rng.next(), sd * rng.next(), sd * rng.next()) as M2 }
        for _ in 0..<steps {
            var below = [M2](repeating: identity, count: n + 1)  // below[p] = W_p ... W_1
            for p in 0..<n { below[p + 1] = mul(w[p], below[p]) }
            let e = below[n]
            let g: M2 = (e.0 - 1, 0, 0, e.3 - 1)
            var above = identity  // W_N ... W_{p+2}
            var next = w
            for p in stride(from: n - 1, through: 0, by: -1) {
                let grad = mul(mul(t(above), g), t(below[p]))
                next[p] = (w[p].0 - dt * grad.0, w[p].1 - dt * grad.1, w[p].2 - dt * grad.2, w[p].3 - dt * grad.3)
                above = mul(above, w[p])
            }
            w = next
        }
        return w.reduce(identity) { mul($1, $0) }
    }

    static func singularValues(_ m: M2) -> (Double, Double) {
        // sigma^2 are the eigenvalues of M^T M: (s +- sqrt(s^2 - 4 det^2)) / 2, s = ||M||_F^2.
        let s = m.0 * m.0 + m.1 * m.1 + m.2 * m.2 + m.3 * m.3
        let det = m.0 * m.3 - m.1 * m.2
        let root = max(s * s - 4 * det * det, 0).squareRoot()
        return (((s + root) / 2).squareRoot(), (max(s - root, 0) / 2).squareRoot())
    }

    /// The Kolmogorov distribution's tail: P(sqrt(n_e) D > lambda) asymptotically.
    static func ksPValue(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            let v = min(x[i], y[j])
            while i < x.count && x[i] <= v { i += 1 }
            while j < y.count && y[j] <= v { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        let ne = Double(x.count * y.count) / Double(x.count + y.count)
        let lambda = (ne.squareRoot() + 0.12 + 0.11 / ne.squareRoot()) * d
        var p = 0.0
        for k in 1...100 { p += 2 * (k % 2 == 1 ? 1 : -1) * exp(-2 * Double(k * k) * lambda * lambda) }
        return min(max(p, 0), 1)
    }

    static func zScore(_ k1: Int, _ n1: Int, _ k2: Int, _ n2: Int) -> Double {
        let p1 = Double(k1) / Double(n1), p2 = Double(k2) / Double(n2)
        let pooled = Double(k1 + k2) / Double(n1 + n2)
        let se = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
        return se == 0 ? 0 : (p1 - p2) / se
    }

    func dlntui(depth n: Int) throws -> (rankOne: Int, w12: [Double]) {
        let dir = StudyTest.folder()
        let r = try StudyTest.ensemble(["--preset", "two-by-two", "-N", "\(n)", "--steps", "\(Self.steps)", "--every", "\(Self.steps)",
                                        "--members", "\(Self.members)", "--seed", "14"], output: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let t = try CSVTable(path: dir + "/summary.csv")
        let s1 = t.column("sigma_1").map { Double($0)! }, s2 = t.column("sigma_2").map { Double($0)! }
        #expect(s1.count == Self.members)
        return (zip(s1, s2).filter { $1 / $0 < 0.05 }.count, t.column("w_1_2").map { Double($0)! })
    }

    func independent(depth n: Int) -> (rankOne: Int, w12: [Double]) {
        var rng = Normal(s: 0x2545_F491_4F6C_DD1D &+ UInt64(n))
        let limits = (0..<Self.members).map { _ in Self.limit(depth: n, rng: &rng) }
        let rankOne = limits.filter { let (a, b) = Self.singularValues($0); return b / a < 0.05 }.count
        return (rankOne, limits.map { $0.1 })
    }

    /// N = 2 and N = 4, each law against its independent twin; and N = 2's against N = 4's twin, which
    /// must differ, so these tests can tell laws apart here.
    @Test func rankOneFractionAndW12LawAgree() throws {
        var results: [Int: (ours: (rankOne: Int, w12: [Double]), theirs: (rankOne: Int, w12: [Double]))] = [:]
        for n in [2, 4] {
            let ours = try dlntui(depth: n), theirs = independent(depth: n)
            results[n] = (ours, theirs)
            let z = Self.zScore(ours.rankOne, Self.members, theirs.rankOne, Self.members)
            #expect(abs(z) < 3.29, "N = \(n): rank-one fraction \(ours.rankOne)/\(Self.members) against \(theirs.rankOne)/\(Self.members): z = \(z)")
            let p = Self.ksPValue(ours.w12, theirs.w12)
            #expect(p > 0.001, "N = \(n): W12 laws differ: KS p = \(p)")
            // The limits spread (a start that did not vary by member would give one W12).
            #expect(Set(ours.w12).count == Self.members)
        }
        let two = results[2]!.ours, four = results[4]!.theirs
        #expect(Self.ksPValue(two.w12, four.w12) < 0.001 || abs(Self.zScore(two.rankOne, Self.members, four.rankOne, Self.members)) > 3.29,
                "N = 2 and N = 4 should differ")
    }
}
