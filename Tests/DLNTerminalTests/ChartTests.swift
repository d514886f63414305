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
            2.2│
               │
               │⠉⠉⠉⠉⠉⠉⠉⠉
            1.8│
                0      3
            """)
        #expect(chart([0, 0, 0], width: 12, height: 5, includeZero: true).contains("1│"))
    }

    @Test func logAxisPutsZerosOnALabelledFloor() {
        #expect(chart([1, 0.1, 0, 0.01, 0.001], scale: .log10, width: 14, height: 6) == """
               1│⠑⡄
                │ ⠈⢆
                │  ⠘⡄  ⢠⡀
            1e-3│   ⠸⡀⢠⠃⠘⢄
              ≤0│    ⢣⠃
                 0       4
            """)
        #expect(chart([1, 0], scale: .log10, glyphs: .ascii, width: 12, height: 4).contains("<=0|"))
    }

    @Test func nanIsAGap() {
        #expect(chart([1, 2, .nan, 3, 4], width: 12, height: 5) == """
            4│        ⡠⠊
             │       ⠊
             │  ⡠
            1│⡠⠊
              0        4
            """)
    }

    @Test func minusInfinityIsShownAsSuch() {
        #expect(chart([-5, -3, -.infinity, -1], width: 12, height: 6) == """
              -1│      ⡸
                │  ⡀   ⡇
                │ ⡰⠱⡀ ⢸
              -5│⡰⠁ ⢱ ⡇
            -inf│    ⢳⠁
                 0     3
            """)
        // Every value -inf: only the floor is labelled, with no made-up finite range.
        let all = chart([-.infinity, -.infinity], width: 12, height: 4)
        #expect(all.contains("-inf│") && !all.contains("0│") && !all.contains("1│"))
    }

    @Test func asciiAndBlockFallbacks() {
        #expect(chart([1, 2, .nan, 3, 4], glyphs: .ascii, width: 12, height: 5) == """
            4|        **
             |       *
             | **
            1|*
              0        4
            """)
        #expect(chart([0, 1, 2, 3], glyphs: Glyphs.unicode.with(marker: .block), width: 12, height: 5) == """
            3│       ▄▄▀
             │     ▄▀
             │   ▄▀
            0│▄▀▀
              0        3
            """)
        // LANG=C has no block characters: the ASCII glyph set keeps its marker.
        #expect(Glyphs.ascii.with(marker: .braille).marker == .ascii)
    }

    @Test func ranksAreStaircases() {
        #expect(chart([0, 1, 1, 3], steps: true, width: 12, height: 6, includeZero: true) == """
            3│         ⢸
             │         ⢸
             │         ⢸
             │   ⡖⠒⠒⠒⠒⠒⠚
            0│⣀⣀⣀⡇
              0        3
            """)
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
