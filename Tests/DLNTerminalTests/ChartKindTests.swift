import DLNCharts
import Foundation
import Testing
@testable import DLNTerminal

/// The band, histogram and scatter kinds on the braille canvas, checked dot by dot: braille bit
/// of dot (dx, dy) is Unicode's dot numbering (dx 0: dots 1, 2, 3, 7; dx 1: 4, 5, 6, 8).
@Suite struct ChartKindTests {
    /// The braille character of a set of dots (dx, dy), computed here from Unicode's numbering.
    static func braille(_ dots: [(Int, Int)]) -> Character {
        let bit: [[UInt32]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        var v: UInt32 = 0
        for (dx, dy) in dots { v |= bit[dx][dy] }
        return Character(UnicodeScalar(0x2800 + v)!)
    }

    static func draw(_ c: Chart, width: Int, height: Int) -> String {
        var b = Buffer(width: width, height: height)
        c.render(into: &b, area: b.area)
        return b.text
    }

    @Test("a band fills each dot column between its curves in its pattern")
    func bandFill() {
        // One cell row, no labels (2 x 1 cells: 4 x 4 dots), y over [0, 3] so value v is dot row 3 - v.
        var c = Chart(series: [], glyphs: .unicode, yRange: ChartRange(low: 0, high: 3))
        c.bands = [ChartBand(xs: [0, 3], low: [0, 0], high: [3, 3], style: .none, density: .solid)]
        #expect(Self.draw(c, width: 2, height: 1) == "⣿⣿")
        c.bands[0].density = .half
        // (px + py) even: column 0 rows 0, 2; column 1 rows 1, 3.
        let half = Self.braille([(0, 0), (0, 2), (1, 1), (1, 3)])
        #expect(Self.draw(c, width: 2, height: 1) == String([half, half]))
        c.bands[0].density = .quarter
        let quarter = Self.braille([(0, 0), (0, 2)])
        #expect(Self.draw(c, width: 2, height: 1) == String([quarter, quarter]))
        // A band from [1, 2] at x = 0 widening to [0, 3] at x = 3, joined linearly per column.
        c.bands = [ChartBand(xs: [0, 3], low: [1, 0], high: [2, 3], style: .none, density: .solid)]
        // Column c: top = round(1 - c/3), bottom = round(2 + c/3): c=1 -> [1, 2] (0.67 -> 1, 2.33 -> 2), c=2 -> [0, 3].
        let left = Self.braille([(0, 1), (0, 2), (1, 1), (1, 2)])
        let right = Self.braille([(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3)])
        #expect(Self.draw(c, width: 2, height: 1) == String([left, right]))
    }

    @Test("histogram bars: height proportional to the count, a free column between wide bars")
    func bars() {
        // 3 x 2 cells: 6 dot columns, 8 dot rows; bins [0, 1), [1, 2) over x [0, 2]: column(x) = round(x * 5 / 2).
        // y over [0, 4]: count k at row 7 - round(k * 7 / 4).
        var c = Chart(series: [], glyphs: .unicode, yRange: ChartRange(low: 0, high: 4))
        c.bars = [ChartBars(edges: [0, 1, 2], counts: [4, 2], style: .none)]
        // Bin 0: columns column(0) = 0 ... column(1) - 1 = 2 (round(2.5) = 3), 3 wide: column 2 left free -> 0, 1.
        // Bin 1 (the last, its right edge included): columns 3 ... 5, 3 wide: 5 left free -> 3, 4.
        // Count 4 -> rows 0...7; count 2 -> row 7 - round(3.5) = 3 ... 7.
        var dots = Set<[Int]>()
        for px in [0, 1] { for py in 0...7 { dots.insert([px, py]) } }
        for px in [3, 4] { for py in 3...7 { dots.insert([px, py]) } }
        var rows: [String] = []
        for cy in 0..<2 {
            var line = ""
            for cx in 0..<3 {
                let inCell = dots.filter { $0[0] / 2 == cx && $0[1] / 4 == cy }.map { ($0[0] % 2, $0[1] % 4) }
                line.append(inCell.isEmpty ? " " : Self.braille(inCell))
            }
            rows.append(line)
        }
        #expect(Self.draw(c, width: 3, height: 2) == rows.joined(separator: "\n"))
        // A zero count draws nothing.
        c.bars[0].counts = [0, 0]
        #expect(Self.draw(c, width: 3, height: 2) == "\n")
    }

    @Test("points: one dot each at its column and row; NaN and out-of-range points none")
    func points() {
        // 2 x 1 cells: x [0, 3] -> columns 0...3, y [0, 3] -> rows 3 - y.
        var c = Chart(series: [], xRange: 0...3, glyphs: .unicode, yRange: ChartRange(low: 0, high: 3))
        c.points = [ChartPoints(xs: [0, 1, 3, .nan, 5], ys: [0, 3, 2, 1, 1], style: .none)]
        // (0, 0) -> dot (0, 3); (1, 3) -> (1, 0); (3, 2) -> column 3, row 1.
        #expect(Self.draw(c, width: 2, height: 1) == String([Self.braille([(0, 3), (1, 0)]), Self.braille([(1, 1)])]))
    }

    @Test("the layers' colours: bands under the series, points over them; ASCII markers per kind")
    func layering() {
        let red = Style(fg: .rgb(RGB(hex: 0xFF0000))), blue = Style(fg: .rgb(RGB(hex: 0x0000FF))), green = Style(fg: .rgb(RGB(hex: 0x00FF00)))
        var c = Chart(series: [ChartSeries(name: "m", xs: [0, 3], ys: [1.5, 1.5], style: red)], glyphs: .unicode,
                      yRange: ChartRange(low: 0, high: 3))
        c.bands = [ChartBand(xs: [0, 3], low: [0, 0], high: [3, 3], style: blue, density: .quarter)]
        c.points = [ChartPoints(xs: [3], ys: [3], style: green)]
        var b = Buffer(width: 2, height: 1)
        c.render(into: &b, area: b.area)
        #expect(b[0, 0].fg == red.fg && b[1, 0].fg == green.fg)
        var a = Chart(series: [], glyphs: .ascii, yRange: ChartRange(low: 0, high: 1))
        a.bars = [ChartBars(edges: [0, 1], counts: [1], style: .none)]
        a.points = [ChartPoints(xs: [0.5], ys: [0.5], style: .none)]
        let text = Self.draw(a, width: 4, height: 2)
        #expect(text.contains("#") && text.contains("o"))
    }

    @Test("a chart model's kinds reach the terminal chart with the model's ranges")
    func fromModel() {
        let h = Histogram.counting([0, 0.2, 0.9, 1], bins: 2, label: "h", style: 0)
        let model = ChartModel.histogram(title: "t", xTitle: "x", histograms: [h])
        let c = Chart(model: model, glyphs: .unicode, style: { _ in .none })
        #expect(c.bars.count == 1 && c.bars[0].counts == [2, 2] && c.xRange == 0...1)
        #expect(c.yRange == model.y.range)
        let (bands, median) = Band.quantiles(label: "m", xs: [0, 1], q05: [0, 0], q25: [1, 1], q50: [2, 2], q75: [3, 3], q95: [4, 4], style: 1)
        var q = ChartModel.fitted(title: "q", xTitle: "t", yTitle: "y", series: [median], scale: .linear, bands: bands)
        q.scatters = [Scatter(label: "p", xs: [0.5], ys: [2], style: 2)]
        let d = Chart(model: q, glyphs: .unicode, style: { _ in .none })
        #expect(d.bands.map(\.density) == [.quarter, .half] && d.points.count == 1 && d.series.count == 1)
    }
}
