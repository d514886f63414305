import DLNCharts
import DLNTestSupport
import Foundation
import PropertyBased
import Testing

/// Data coordinates to positions, and the extent of an axis, against direct computations.
@Suite struct MappingTests {
    @Test("linear and log positions: affine in the axis value, lanes for -inf and (log) values <= 0")
    func positions() {
        var rng = FixedSeedRNG(seed: 21)
        let v = Gen.double(in: -50.0...50.0)
        for _ in 0..<2000 {
            let a = v.run(using: &rng), b = a + abs(v.run(using: &rng)) + 1e-3
            let lin = Axis(scale: .linear, range: ChartRange(low: a, high: b), title: "", maxTicks: 5)
            let y = v.run(using: &rng)
            #expect(lin.position(y) == .fraction((y - a) / (b - a)))
            let lo = a.rounded(.down), hi = max(lo + 1, b.rounded(.up))
            let log = Axis(scale: .log10, range: ChartRange(low: lo / 5, high: hi / 5), title: "", maxTicks: 5)
            let p = pow(10, y / 5)
            guard case .fraction(let f) = log.position(p) else { Issue.record("no fraction for \(p)"); continue }
            // 10^(lo/5) maps to 0, 10^(hi/5) to 1, geometric means to the middle.
            #expect(abs(f - (y / 5 - lo / 5) / (hi / 5 - lo / 5)) < 1e-9)
        }
        let log = Axis(scale: .log10, range: ChartRange(low: -3, high: 0), title: "", maxTicks: 4)
        #expect(log.position(0) == .floor && log.position(-1) == .floor && log.position(-.infinity) == .floor)
        #expect(log.position(.infinity) == .ceiling && log.position(.nan) == .gap)
        #expect(log.position(1e-3) == .fraction(0) && log.position(1) == .fraction(1))
        let lin = Axis(scale: .linear, range: ChartRange(low: -1, high: 1), title: "", maxTicks: 4)
        #expect(lin.position(-.infinity) == .floor && lin.position(0) == .fraction(0.5) && lin.position(-5) == .fraction(-2))
    }

    @Test("the extent of series: min and max of what is in the x window; floors and ceilings flagged")
    func extents() {
        var rng = FixedSeedRNG(seed: 22)
        let v = Gen.double(in: 1e-6...1e3), pick = Gen.int(in: 0...9)
        for _ in 0..<500 {
            let n = 1 + pick.run(using: &rng) * 7
            let xs = (0..<n).map(Double.init)
            var ys = (0..<n).map { _ in v.run(using: &rng) }
            for i in ys.indices where pick.run(using: &rng) == 0 { ys[i] = [0, -.infinity, .infinity, .nan][pick.run(using: &rng) % 4] }
            let window = 0...Double(max(0, n - 1 - pick.run(using: &rng) % max(1, n)))
            let inside = zip(xs, ys).filter { window.contains($0.0) }.map(\.1)
            let finite = inside.filter { $0.isFinite && $0 > 0 }
            for scale in [AxisScale.linear, .log10] {
                let r = ChartRange.of([(xs: xs, ys: ys)], scale: scale, xRange: window, includeZero: false)
                let linFinite = inside.filter(\.isFinite)
                let values = scale == .log10 ? finite : linFinite
                #expect(r.hasFinite == !values.isEmpty)
                #expect(r.hasCeiling == inside.contains(.infinity))
                let floor = inside.contains(-.infinity) || (scale == .log10 && inside.contains(0))
                #expect(r.hasFloor == floor)
                guard let lo = values.min(), let hi = values.max() else { continue }
                if scale == .log10 {
                    #expect(r.low == Foundation.floor(log10(lo)) && r.high == max(Foundation.ceil(log10(hi)), r.low + 1))
                } else if hi > lo {
                    #expect(r.low == lo && r.high == hi)
                } else {
                    #expect(r.low < lo && r.high > hi)
                }
            }
        }
    }

    @Test("reference lines widen the y axis so that they are drawn")
    func referencesInRange() {
        let s = Series(label: "σ1", xs: [0, 1, 2], ys: [0.5, 0.6, 0.7], style: 0)
        let m = ChartModel.fitted(title: "", xTitle: "t", yTitle: "σ", series: [s], scale: .linear,
                                  references: [ReferenceLine(value: 2.5, label: "target")])
        #expect(m.y.range.high >= 2.5)
        guard case .fraction(let f) = m.y.position(2.5) else { Issue.record("no fraction"); return }
        #expect(f >= 0 && f <= 1)
    }

    @Test("the style cycle: any two series of the first colours x dashes look different")
    func styleCycle() {
        for cycle in [StyleCycle.screen, .figure, StyleCycle(colours: 3, dashes: 2, markers: 5, dashWithinRound: true)] {
            let styles = (0..<cycle.distinct).map { cycle.style($0) }
            let pairs = Set(styles.map { [$0.colour, $0.dash] })
            #expect(pairs.count == cycle.distinct)
        }
        // On screen the first eight stay solid, sigma_9 differs from sigma_1 by its dash and marker.
        let s = StyleCycle.screen
        #expect((0..<8).allSatisfy { s.style($0).dash == 0 })
        #expect(s.style(8).colour == s.style(0).colour && s.style(8).dash != 0 && s.style(8).marker != s.style(0).marker)
        // In a figure neighbours differ in dash as well as colour (a grey-scale print).
        let f = StyleCycle.figure
        #expect((0..<7).allSatisfy { f.style($0).dash != f.style($0 + 1).dash })
    }
}
