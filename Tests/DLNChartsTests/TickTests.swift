import DLNCharts
import DLNTestSupport
import Foundation
import PropertyBased
import Testing

/// The tick algorithm, checked against a second computation that walks the 1-2-5 steps by
/// counting multiples with integers (no floating division rules shared with the code).
@Suite struct TickTests {
    /// Every step m x 10^e, e in -12...12, by increasing size.
    static let steps: [Double] = (-12...12).flatMap { e in [1.0, 2, 5].map { $0 * pow(10, Double(e)) } }

    /// Multiples of step in [low, high], by walking integers outward from low / step.
    static func multiples(_ step: Double, _ low: Double, _ high: Double, limit: Int = 1000) -> [Double] {
        var k = (low / step).rounded(.down) - 2
        var out: [Double] = []
        while k * step <= high + 1e-9 * step && out.count <= limit {
            if k * step >= low - 1e-9 * step { out.append(k * step) }
            k += 1
        }
        return out
    }

    /// The reference: the smallest 1-2-5 step (up to ten spans) with 1 to maxCount multiples in range.
    static func referenceStep(_ low: Double, _ high: Double, _ maxCount: Int) -> Double {
        // A step below span / 1000 has at least 1000 multiples in range: too many, and not walked.
        let fitting = steps.filter { $0 <= 10 * (high - low) && $0 * 1000 > high - low && (1...maxCount).contains(multiples($0, low, high, limit: maxCount).count) }
        return fitting.min()!
    }

    @Test("linear ticks: the smallest 1-2-5 step with at most maxCount multiples, all in range, evenly spaced")
    func linearTicksAgreeWithTheReference() {
        var rng = FixedSeedRNG(seed: 16)
        let exponent = Gen.int(in: -6...6), unit = Gen.double(in: 0.0...1.0), count = Gen.int(in: 2...12)
        for _ in 0..<3000 {
            let scale = pow(10, Double(exponent.run(using: &rng)))
            let a = (unit.run(using: &rng) - 0.5) * 20 * scale, b = a + (0.01 + unit.run(using: &rng)) * 10 * scale
            let maxCount = count.run(using: &rng)
            let range = ChartRange(low: a, high: b)
            let ticks = Ticks.of(range, scale: .linear, maxCount: maxCount)
            let want = Self.referenceStep(a, b, maxCount)
            let step = Ticks.linearStep(low: a, high: b, maxCount: maxCount)!
            #expect(abs(step - want) <= 1e-12 * want, "low \(a) high \(b) max \(maxCount)")
            #expect(ticks.count >= 1 && ticks.count <= maxCount)
            let ref = Self.multiples(want, a, b)
            #expect(ticks.count == ref.count)
            for (t, r) in zip(ticks, ref) {
                #expect(abs(t.value - r) <= 1e-9 * want)
                #expect(t.value >= a - 1e-9 * want && t.value <= b + 1e-9 * want)
                // The label reads back to the tick's value.
                #expect(abs(Double(t.label)! - r) <= 1e-6 * want, "label \(t.label) for \(r)")
            }
            #expect(Set(ticks.map(\.label)).count == ticks.count, "labels repeat: \(ticks.map(\.label))")
        }
    }

    @Test("labels use the decimals of their step")
    func labels() {
        let values = Ticks.of(ChartRange(low: -0.05, high: 1.02), scale: .linear, maxCount: 6).map(\.label)
        #expect(values == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(Ticks.of(ChartRange(low: -502, high: -277), scale: .linear, maxCount: 3).map(\.label) == ["-500", "-400", "-300"])
        #expect(Ticks.of(ChartRange(low: 0, high: 438.4), scale: .linear, maxCount: 5).map(\.label) == ["0", "100", "200", "300", "400"])
        #expect(Ticks.of(ChartRange(low: 1e-7, high: 3e-7), scale: .linear, maxCount: 3).map(\.label) == ["1e-7", "2e-7", "3e-7"])
        #expect(Ticks.short(9.9999999999999995e-08) == "1e-7")
        #expect(Ticks.short(1.5849) == "1.58")
    }

    @Test("log ticks: decades in range, every m-th with m the smallest 1, 2, 5, 10... that fits")
    func decades() {
        var rng = FixedSeedRNG(seed: 17)
        let end = Gen.int(in: -40...40), count = Gen.int(in: 1...10)
        for _ in 0..<3000 {
            let a = end.run(using: &rng), b = end.run(using: &rng)
            let low = Double(min(a, b)), high = Double(max(a, b))
            let maxCount = count.run(using: &rng)
            let ticks = Ticks.of(ChartRange(low: low, high: high), scale: .log10, maxCount: maxCount)
            let ks = ticks.map { $0.power! }
            #expect(!ks.isEmpty && ks.count <= maxCount)
            #expect(ks.allSatisfy { Double($0) >= low && Double($0) <= high })
            #expect(ticks.allSatisfy { $0.value == Double($0.power!) && $0.label == Ticks.powerOfTen($0.power!) })
            // The reference: the first m of 1, 2, 5, 10, 20, ... whose multiples in range fit.
            let ms = [1, 2, 5, 10, 20, 50, 100]
            let m = ms.first { m in (Int(low)...Int(high)).filter { $0 % m == 0 }.count <= maxCount }!
            let want = (Int(low)...Int(high)).filter { $0 % m == 0 }
            #expect(ks == (want.isEmpty ? [Int(low)] : want), "low \(low) high \(high) max \(maxCount)")
        }
        #expect(Ticks.of(ChartRange(low: -10, high: 1), scale: .log10, maxCount: 6).map(\.label) == ["1e-10", "1e-8", "1e-6", "1e-4", "1e-2", "1"])
    }

    @Test("no ticks without a finite range; a point is its own tick")
    func degenerate() {
        #expect(Ticks.of(ChartRange(low: 0, high: 1, hasFinite: false), scale: .linear, maxCount: 5).isEmpty)
        #expect(Ticks.of(ChartRange(low: 3, high: 3), scale: .linear, maxCount: 5).map(\.value) == [3])
    }

    @Test("widening to ticks ends a linear range on ticks and never shrinks it")
    func widened() {
        var rng = FixedSeedRNG(seed: 18)
        let unit = Gen.double(in: -100.0...100.0)
        for _ in 0..<1000 {
            let a = unit.run(using: &rng), b = a + abs(unit.run(using: &rng)) + 0.01
            let r = ChartRange(low: a, high: b).widenedToTicks(scale: .linear, maxTicks: 6)
            #expect(r.low <= a && r.high >= b)
            let ticks = Ticks.of(r, scale: .linear, maxCount: 8).map(\.value)
            let step = Ticks.linearStep(low: a, high: b, maxCount: 6)!
            #expect(abs(r.low / step - (r.low / step).rounded()) < 1e-6 && abs(r.high / step - (r.high / step).rounded()) < 1e-6)
            #expect(!ticks.isEmpty)
        }
    }
}
