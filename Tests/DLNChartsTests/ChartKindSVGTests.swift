import DLNCharts
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Histogram, scatter and band kinds in the SVG renderer: what is drawn is checked against the
/// data by geometry computed here (bar heights proportional to counts, points on an affine map).
@Suite struct ChartKindSVGTests {
    static func elements(_ svg: String) -> [(name: String, attributes: [String: String])] {
        let parser = XMLParser(data: Data(svg.utf8))
        let c = SVGFigureTests.Collector()
        parser.delegate = c
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        return c.elements
    }

    static func number(_ e: (name: String, attributes: [String: String]), _ key: String) -> Double {
        Double(e.attributes[key] ?? "") ?? .nan
    }

    @Test("Histogram.counting: the counts of a brute-force count per bin, the top edge in the last bin")
    func counting() {
        var g = SystemRandomNumberGenerator()
        let values = (0..<500).map { _ in Double.random(in: -2...3, using: &g) } + [.nan, .infinity, -2, 3]
        let h = Histogram.counting(values, bins: 7, label: "v", style: 0)
        let finite = values.filter(\.isFinite)
        let lo = finite.min()!, hi = finite.max()!
        #expect(h.edges.count == 8 && h.edges.first == lo && h.edges.last == hi && h.excluded == 2)
        for i in 0..<7 {
            let a = lo + Double(i) * (hi - lo) / 7, b = lo + Double(i + 1) * (hi - lo) / 7
            let n = finite.filter { $0 >= a && ($0 < b || (i == 6 && $0 <= b)) }.count
            #expect(abs(h.counts[i] - Double(n)) <= 0.0, "bin \(i)")
        }
        #expect(h.counts.reduce(0, +) == Double(finite.count))
        // One value alone: one bin of width 1 around it.
        let one = Histogram.counting([4, 4], bins: 1, label: "", style: 0)
        #expect(one.edges == [3.5, 4.5] && one.counts == [2])
    }

    @Test("bars: one per bin, adjacent and equally wide, heights proportional to the counts")
    func bars() throws {
        let counts: [Double] = [3, 0, 7, 12, 5, 1]
        let h = Histogram(label: "final rank", edges: (0...6).map { 1 + Double($0) * 0.25 }, counts: counts, style: 0)
        let model = ChartModel.histogram(title: "effective rank", xTitle: "effective rank", histograms: [h])
        let svg = SVGFigure.render([model], info: FigureInfo())
        let bars = Self.elements(svg).filter { $0.name == "rect" && $0.attributes["class"] == "bar" }
        try #require(bars.count == counts.count)
        let heights = bars.map { Self.number($0, "height") }, widths = bars.map { Self.number($0, "width") }
        let perCount = heights[3] / 12
        #expect(perCount > 1)
        for (hgt, c) in zip(heights, counts) { #expect(abs(hgt - c * perCount) < 0.02, "height \(hgt) for count \(c)") }
        for w in widths { #expect(abs(w - widths[0]) < 0.02) }
        for i in 1..<bars.count { #expect(abs(Self.number(bars[i], "x") - Self.number(bars[i - 1], "x") - widths[0]) < 0.02) }
        // Every bar stands on the same baseline (y + height).
        let base = Self.number(bars[0], "y") + heights[0]
        for b in bars { #expect(abs(Self.number(b, "y") + Self.number(b, "height") - base) < 0.02) }
        #expect(svg.contains("<title>final rank</title>"))
    }

    @Test("points: one circle per finite point, on one affine map of x and one of y")
    func points() throws {
        let xs: [Double] = [-1.5, -1, 0, 0.5, 1, 2, .nan], ys: [Double] = [-0.5, -1, 0.25, 2, 1, 0.5, 1]
        let hyperbola = Series(label: "W12 W21 = 1", xs: [0.5, 1, 2], ys: [2, 1, 0.5], style: 1)
        let model = ChartModel.scatter(title: "limits", xTitle: "W12", yTitle: "W21",
                                       scatters: [Scatter(label: "members", xs: xs, ys: ys, style: 0)], series: [hyperbola])
        let svg = SVGFigure.render([model], info: FigureInfo())
        let circles = Self.elements(svg).filter { $0.name == "circle" && $0.attributes["class"] == "point" }
        try #require(circles.count == 6)
        let cx = circles.map { Self.number($0, "cx") }, cy = circles.map { Self.number($0, "cy") }
        // The map through the first two points must carry every other point.
        let ax = (cx[1] - cx[0]) / (xs[1] - xs[0]), ay = (cy[1] - cy[0]) / (ys[1] - ys[0])
        #expect(ax > 0 && ay < 0)
        for i in 0..<6 {
            #expect(abs(cx[0] + ax * (xs[i] - xs[0]) - cx[i]) < 0.06, "x of point \(i)")
            #expect(abs(cy[0] + ay * (ys[i] - ys[0]) - cy[i]) < 0.06, "y of point \(i)")
        }
        #expect(svg.contains("<title>W12 W21 = 1</title>") && svg.contains("<title>members</title>"))
    }

    @Test("a quantile band series: two shaded bands (outer lighter) under its median line")
    func quantileBand() {
        let t = [0.0, 1, 2, 3]
        let (bands, median) = Band.quantiles(label: "median", xs: t, q05: [0, 0, 0, 0], q25: [1, 1, 1, 1], q50: [2, 2, 2, 2],
                                             q75: [3, 3, 3, 3], q95: [4, 4, 4, 4], style: 0)
        let model = ChartModel.fitted(title: "E", xTitle: "t", yTitle: "E", series: [median], scale: .linear, bands: bands)
        let svg = SVGFigure.render([model], info: FigureInfo())
        let all = Self.elements(svg)
        let shaded = all.filter { $0.name == "path" && $0.attributes["class"] == "band" }
        #expect(shaded.map { $0.attributes["fill-opacity"] } == ["0.15", "0.30"])
        // The bands come before (under) the median line.
        let firstLine = all.firstIndex { $0.name == "path" && $0.attributes["class"] == "series" }!
        #expect(all.firstIndex { $0.attributes["class"] == "band" }! < firstLine)
    }
}
