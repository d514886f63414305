import Foundation
import Testing
@testable import DLNTerminal

func chart(_ ys: [Double], xs: [Double]? = nil, scale: AxisScale = .linear, steps: Bool = false, glyphs: Glyphs = .unicode,
           width: Int, height: Int, includeZero: Bool = false) -> String {
    var b = Buffer(width: width, height: height)
    let s = ChartSeries(name: "y", xs: xs ?? ys.indices.map(Double.init), ys: ys, style: .none, steps: steps)
    Chart(series: [s], scale: scale, includeZero: includeZero, glyphs: glyphs).render(into: &b, area: b.area)
    return b.text
}

/// Golden pictures, each checked dot by dot when it was frozen (braille bits: Unicode's dot
/// numbering, see Braille.bits).
@Suite struct ChartTests {
    @Test func oneCellHoldsTwoByFourDots() {
        // (0,0) -> (1,1) is dots (0,3) (0,2) (1,1) (1,0): 0x40|0x04|0x10|0x08 = U+285C.
        #expect(chart([0, 1], width: 1, height: 1) == "⡜")
    }

    @Test func twoByTwoHasNoRoomForLabels() {
        #expect(chart([0, 1, 2, 3], width: 2, height: 2) == " ⡜\n⡸")
    }

    @Test func constantSeriesSitsMidBandWithPaddedLabels() {
        #expect(chart([2, 2, 2, 2], width: 12, height: 5) == """
            2.2┤
               │
               │⠉⠉⠉⠉⠉⠉⠉⠉
            1.8┤
                0      3
            """)
        #expect(chart([0, 0, 0], width: 12, height: 5, includeZero: true).contains("1┤"))
    }

    @Test func logAxisPutsZerosOnALabelledFloor() {
        #expect(chart([1, 0.1, 0, 0.01, 0.001], scale: .log10, width: 14, height: 6) == """
               1┤⠑⡄
                │ ⠈⢆
                │  ⠘⡄  ⢠⡀
            1e-3┤   ⠸⡀⢠⠃⠘⢄
              ≤0┤    ⢣⠃
                 0       4
            """)
        #expect(chart([1, 0], scale: .log10, glyphs: .ascii, width: 12, height: 4).contains("<=0+"))
    }

    @Test func nanIsAGap() {
        #expect(chart([1, 2, .nan, 3, 4], width: 12, height: 5) == """
            4┤        ⡠⠊
             │       ⠊
             │  ⡠
            1┤⡠⠊
              0        4
            """)
    }

    @Test func minusInfinityIsShownAsSuch() {
        #expect(chart([-5, -3, -.infinity, -1], width: 12, height: 6) == """
              -1┤      ⡸
                │  ⡀   ⡇
                │ ⡰⠱⡀ ⢸
              -5┤⡰⠁ ⢱ ⡇
            -inf┤    ⢳⠁
                 0     3
            """)
        // Every value -inf: only the floor is labelled, with no made-up finite range.
        let all = chart([-.infinity, -.infinity], width: 12, height: 4)
        #expect(all.contains("-inf┤") && !all.contains("0┤") && !all.contains("1┤"))
    }

    @Test func asciiAndBlockFallbacks() {
        #expect(chart([1, 2, .nan, 3, 4], glyphs: .ascii, width: 12, height: 5) == """
            4+        **
             |       *
             | **
            1+*
              0        4
            """)
        #expect(chart([0, 1, 2, 3], glyphs: Glyphs.unicode.with(marker: .block), width: 12, height: 5) == """
            3┤       ▄▄▀
             │     ▄▀
             │   ▄▀
            0┤▄▀▀
              0     2  3
            """)
        // LANG=C has no block characters: the ASCII glyph set keeps its marker.
        #expect(Glyphs.ascii.with(marker: .braille).marker == .ascii)
    }

    @Test func ranksAreStaircases() {
        #expect(chart([0, 1, 1, 3], steps: true, width: 12, height: 6, includeZero: true) == """
            3┤         ⢸
             │         ⢸
             │         ⢸
             │   ⡖⠒⠒⠒⠒⠒⠚
            0┤⣀⣀⣀⡇
              0     2  3
            """)
    }

    @Test func ticksFromTheModelBetweenTheEnds() {
        // 0...100 over 12 rows: the ends, and the model's 1-2-5 ticks between them with a row free
        // around each label; x: the first and last time and round times between.
        let ys = (0...100).map(Double.init)
        let text = chart(ys, width: 40, height: 13)
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false)
        let labels = rows.dropLast().compactMap { row -> String? in
            let l = row.prefix { $0 != "┤" && $0 != "│" }.trimmingCharacters(in: .whitespaces)
            return l.isEmpty ? nil : l
        }
        #expect(labels == ["100", "80", "60", "40", "20", "0"])
        #expect(rows.dropLast().filter { $0.contains("┤") }.count == 6)
        #expect(rows.last! == "    0     20     40     60     80    100")
        // Log: decades between the ends.
        let log = chart((0...60).map { pow(10, -Double($0) / 10) }, scale: .log10, width: 30, height: 13)
        #expect(["1e-2", "1e-4", "1e-6"].allSatisfy { log.contains($0 + "┤") } && log.contains("   1┤"))
    }

    @Test func seriesPastTheColoursAreDashedAndTheLegendShowsTheLinesGlyph() {
        // Nine series of one shape: sigma_9 has sigma_1's colour (series1) but is dashed.
        let xs = (0..<40).map(Double.init)
        let series = (0..<9).map { k in ChartSeries(name: "s\(k + 1)", xs: xs, ys: xs.map { $0 + 100 * Double(k) }, style: .none) }
        // The braille dots of series k drawn alone with its style index (every series the same line).
        func dots(_ k: Int) -> Int {
            var one = Buffer(width: 30, height: 8)
            var s = series[0]
            s.styleIndex = k
            Chart(series: [s], glyphs: .unicode).render(into: &one, area: one.area)
            return one.text.unicodeScalars.filter { (0x2801...0x28FF).contains($0.value) }.map { ($0.value - 0x2800).nonzeroBitCount }.reduce(0, +)
        }
        #expect(dots(8) < dots(0) * 9 / 10, "sigma_9 drawn as densely as sigma_1")
        // LANG=C: the legend's glyph is the line's marker, and sigma_9's differs from sigma_1's.
        var b = Buffer(width: 20, height: 9)
        let entries = (0..<9).map { Legend.Entry(label: "s\($0 + 1)", value: "", style: .none) }
        Legend(entries: entries, glyphs: .ascii).render(into: &b, area: b.area)
        let swatches = b.text.split(separator: "\n").map { $0.first! }
        #expect(swatches[0] == "*" && swatches[1] == "+" && swatches[8] != swatches[0])
        var c = Buffer(width: 40, height: 6)
        Chart(series: Array(series.prefix(9)), glyphs: .ascii).render(into: &c, area: c.area)
        for k in [0, 1, 8] {
            let marker = Legend.swatch(k, glyphs: .ascii)
            #expect(c.text.unicodeScalars.contains(marker), "no \(marker) for series \(k) in\n\(c.text)")
        }
        #expect(Legend.swatch(8, glyphs: .unicode) != Legend.swatch(0, glyphs: .unicode))
    }

    @Test func noDataDrawsNoDots() {
        for text in [chart([.nan, .nan], width: 12, height: 4), chart([], width: 12, height: 4)] {
            #expect(!text.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
            #expect(!text.contains("nan"))
        }
    }

    @Test func rangesOfTheAxis() {
        let s = [ChartSeries(name: "a", xs: [0, 1, 2], ys: [3e-4, 0.2, 7], style: .none)]
        let log = ChartRange.of(s, scale: .log10, xRange: 0...2, includeZero: false)
        #expect(log.low == -4 && log.high == 1 && log.hasFinite && !log.hasFloor)
        // Points outside the x window do not stretch the axis.
        let window = ChartRange.of(s, scale: .linear, xRange: 1.5...2, includeZero: false)
        #expect(window.hasFinite && window.low < 7 && window.high > 7 && window.high - window.low < 2)
    }

    @Test func everySizeFromOneByOneRendersInsideItsRect() {
        let ys: [Double] = [1, .nan, -.infinity, 3, .infinity, 0, 2]
        for w in 1...14 {
            for h in 1...7 {
                var b = Buffer(width: w + 2, height: h + 2, fill: Cell("x"))
                let area = Rect(x: 1, y: 1, width: w, height: h)
                Chart(series: [ChartSeries(name: "y", xs: ys.indices.map(Double.init), ys: ys, style: .none)],
                      scale: .log10, glyphs: .unicode).render(into: &b, area: area)
                // The frame around the rectangle is untouched.
                for x in 0..<(w + 2) { #expect(b[x, 0].scalar == "x" && b[x, h + 1].scalar == "x") }
                for y in 0..<(h + 2) { #expect(b[0, y].scalar == "x" && b[w + 1, y].scalar == "x") }
            }
        }
    }
}

/// The dashboard's charts drawn from the chart model: the energy chart says which scale it shows
/// (log while E and F are positive, linear once F < 0), and the legend's glyphs are the lines'.
@Suite struct DashboardChartModelTests {
    @Test func energyChartSaysItsScale() throws {
        let frame = try offlineFrame(preset: "entropy", steps: 20)
        var positive = frame
        positive.whole = positive.whole.map { var o = $0; o.freeEnergy = abs(o.freeEnergy) + 1; o.energy = abs(o.energy) + 1; return o }
        var negative = frame
        negative.whole = negative.whole.map { var o = $0; o.freeEnergy = -1 - abs(o.freeEnergy); return o }
        // The energy box's top border: its title starts "energy E" or, where narrow, "E ".
        let lines = { (f: WorkerFrame) in
            Dashboard.render(input(f), width: 160, height: 50).text.split(separator: "\n").filter { $0.contains("┌ energy E") || $0.contains("┌ E ") }
        }
        #expect(try #require(lines(positive).first).contains("  log"), "\(lines(positive))")
        #expect(try #require(lines(negative).first).contains("  linear"), "\(lines(negative))")
    }

    @Test func asciiLegendShowsEachLinesMarker() throws {
        let frame = try offlineFrame(steps: 30)
        let text = Dashboard.render(input(frame, glyphs: .ascii), width: 160, height: 50).text
        // The completion preset has d = 10: sigma_9 and sigma_10 are past the eight colours.
        for k in [0, 1, 7, 8, 9] {
            let marker = Character(Legend.swatch(k, glyphs: .ascii))
            #expect(text.contains("\(marker) s\(k + 1) "), "no legend '\(marker) s\(k + 1)'")
        }
        #expect(!text.contains("# s1 ") || Legend.swatch(0, glyphs: .ascii) == "#")
    }
}
