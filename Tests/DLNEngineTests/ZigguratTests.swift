import Foundation
import Testing
@testable import DLNEngine

/// The Wiener increments' sampler, checked against the normal law itself (erfc), not against
/// another sampler.
@Suite("Ziggurat normal sampler") struct ZigguratTests {
    /// The layers are what the method needs: each rectangle x_i (f(x_{i+1}) - f(x_i)) has area V,
    /// the base layer (rectangle to R plus the tail) too, and the recursion lands on the top.
    @Test("every layer has the area V, and the tail plus the base rectangle too")
    func layersHaveEqualArea() {
        let t = Ziggurat.tables
        let f = { (x: Double) in exp(-0.5 * x * x) }
        #expect(t.x.count == Ziggurat.layers + 1 && t.x[Ziggurat.layers] == 0)
        for i in 1..<Ziggurat.layers {
            let a = t.x[i] * (f(t.x[i + 1]) - f(t.x[i]))
            // R and V are published to 13 digits: the areas agree to ~1e-9 (the top layer's error
            // is 1.2e-9 of V), a bias of the law far below any sampling error.
            #expect(abs(a - Ziggurat.area) < 1e-8 * Ziggurat.area, "layer \(i): \(a)")
        }
        let tail = (Double.pi / 2).squareRoot() * erfc(Ziggurat.r / 2.0.squareRoot())
        #expect(abs(Ziggurat.r * f(Ziggurat.r) + tail - Ziggurat.area) < 1e-9)
        #expect(abs(t.x[0] * f(Ziggurat.r) - Ziggurat.area) < 1e-15)
    }

    static let draws: [Double] = {
        var rng = Xoshiro256(seed: 2026)
        return rng.zigguratSample(1_000_000)
    }()

    @Test("mean 0, variance 1, fourth moment 3, P(x < 0) = 1/2, within 5 standard errors")
    func moments() {
        let x = Self.draws, n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let second = x.reduce(0) { $0 + $1 * $1 } / n
        let fourth = x.reduce(0) { $0 + $1 * $1 * $1 * $1 } / n
        let negative = Double(x.filter { $0 < 0 }.count) / n
        #expect(abs(mean) < 5 / n.squareRoot())
        #expect(abs(second - 1) < 5 * 2.0.squareRoot() / n.squareRoot())
        #expect(abs(fourth - 3) < 5 * 96.0.squareRoot() / n.squareRoot())
        #expect(abs(negative - 0.5) < 5 * 0.5 / n.squareRoot())
    }

    /// Kolmogorov-Smirnov against Phi over all draws (critical value 1.95 / sqrt(n) at p = 0.001),
    /// and the tail beyond R, which comes from a separate branch, in proportion.
    @Test("the empirical distribution is Phi (Kolmogorov-Smirnov), the tail beyond R included")
    func distribution() {
        let x = Self.draws.sorted(), n = Double(x.count)
        let phi = { (z: Double) in 0.5 * erfc(-z / 2.0.squareRoot()) }
        var d = 0.0
        for (k, z) in x.enumerated() {
            let p = phi(z)
            d = max(d, abs(Double(k + 1) / n - p), abs(p - Double(k) / n))
        }
        #expect(d < 1.95 / n.squareRoot(), "KS distance \(d)")
        let beyond = Double(x.filter { abs($0) > Ziggurat.r }.count) / n
        let expected = erfc(Ziggurat.r / 2.0.squareRoot())
        #expect(abs(beyond - expected) < 5 * (expected / n).squareRoot(), "P(|x| > R) = \(beyond), expected \(expected)")
        #expect(x.first! < -Ziggurat.r && x.last! > Ziggurat.r)
    }

    @Test("fillGaussian scales, and a seed fixes the draws")
    func fillScalesAndRepeats() {
        var a = Xoshiro256(seed: 9), b = Xoshiro256(seed: 9)
        var m = Matrix(rows: 3, cols: 4)
        a.fillGaussian(&m, scale: 0.25)
        let plain = b.zigguratSample(12)
        #expect(m.storage == plain.map { 0.25 * $0 })
    }
}
