import DLNEngine
import Foundation
import Testing

/// N is a finite number of factors or N = inf, never a sentinel integer.
@Suite struct DepthTests {
    @Test func parsesAndPrintsAsTheFlagsDo() {
        #expect(Depth("inf") == .infinite && Depth("Infinity") == .infinite && Depth("INF") == .infinite)
        #expect(Depth("7") == .finite(7) && Depth("x") == nil && Depth("") == nil && Depth("3.5") == nil)
        #expect(Depth.infinite.description == "inf" && Depth.finite(12).description == "12")
        #expect(Depth.infinite.factors == nil && Depth.finite(4).factors == 4)
        #expect(Depth.infinite.value == .infinity && Depth.finite(4).value == 4)
    }

    /// No factors exist at N = inf: a factor representation stores the end-to-end matrix alone.
    @Test func storedFactors() {
        #expect(Depth.infinite.storedFactors == 1 && Depth.finite(5).storedFactors == 5)
    }

    /// The infinite depth's Lemma 1 eigenvalue is the logarithmic mean limit of C_kl / N, checked
    /// against a large finite N (C_kl / N -> (s_k^2 - s_l^2) / (2 log(s_k / s_l)), 14.6).
    @Test func infiniteDepthIsTheLimitOfLargeN() {
        let (a, b) = (1.7, 0.4)
        let limit = Lemma1.eigenvalue(a, b, depth: .infinite)
        let logMean = (a * a - b * b) / (2 * log(a / b))
        #expect(abs(limit - logMean) < 1e-12 * logMean)
        let n = 100_000
        #expect(abs(Lemma1.eigenvalue(a, b, depth: .finite(n)) / Double(n) - logMean) < 1e-4 * logMean)
    }
}
