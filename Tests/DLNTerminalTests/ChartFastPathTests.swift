import Foundation
import Testing
@testable import DLNTerminal

/// The chart's fast paths (by blocks of one dot column; plain extremes when every value is finite)
/// must give what the general point-by-point paths give, which the golden pictures of ChartTests pin.
@Suite struct ChartFastPathTests {
    /// Times in order, several per dot column, as a run's history is.
    static func times(_ n: Int) -> [Double] { (0..<n).map { 0.05 * Double($0) } }

    static func values(_ n: Int, seed: UInt64, special: [Double] = []) -> [Double] {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var ys = (0..<n).map { i in exp(-0.01 * Double(i)) * (1 + 0.3 * (next() - 0.5)) }
        for (k, v) in special.enumerated() { ys[(k * 37 + 11) % n] = v }
        return ys
    }

    @Test("runs by blocks equal the point-by-point runs", arguments: [1, 2, 7, 300, 1000])
    func blocksEqualPointByPoint(n: Int) throws {
        let xs = Self.times(n)
        let xr = xs[0]...xs[n - 1]
        for width in [1, 3, 40, 160] {
            let scale = xr.upperBound > xr.lowerBound ? Double(2 * width - 1) / (xr.upperBound - xr.lowerBound) : 0
            let columns = Chart.dotColumns(xs, xRange: xr, scale: scale, middle: scale > 0 ? nil : width - 1)
            let blocks = try #require(Chart.columnBlocks(columns))
            for special in [[], [Double.infinity], [-Double.infinity, 0, -1], [Double.infinity, -Double.infinity]] {
                let ys = Self.values(n, seed: UInt64(n * 7 + width), special: n > 1 ? special : [])
                var fast: [ColumnRun] = [], slow: [ColumnRun] = []
                #expect(Chart.blockRuns(blocks, ys, into: &fast))
                Chart.columnRuns(columns, ys, into: &slow)
                #expect(fast == slow, "n=\(n) width=\(width) special=\(special)")
            }
        }
    }

    @Test("a NaN or a point outside the x range leaves the block path to the general one")
    func gapsTakeTheGeneralPath() throws {
        let xs = Self.times(200)
        let columns = Chart.dotColumns(xs, xRange: xs[0]...xs[199], scale: 10, middle: nil)
        let blocks = try #require(Chart.columnBlocks(columns))
        var ys = Self.values(200, seed: 3)
        ys[57] = .nan
        var runs: [ColumnRun] = [ColumnRun(px: 0, first: 1, last: 1, low: 1, high: 1, breakBefore: false)]
        #expect(!Chart.blockRuns(blocks, ys, into: &runs))
        #expect(runs.count == 1)  // nothing appended
        let clipped = Chart.dotColumns(xs, xRange: 1...5, scale: 10, middle: nil)
        #expect(Chart.columnBlocks(clipped) == nil)
    }

    @Test("the y range: plain extremes when all is finite; infinities and non-positive values otherwise")
    func rangeFastAndGeneral() {
        let xs = Self.times(500)
        let xr = xs[0]...xs[499]
        let a = Self.values(500, seed: 1), b = Self.values(500, seed: 2).map { 3 * $0 }
        let series = [a, b].map { ChartSeries(name: "s", xs: xs, ys: $0, style: .none) }
        let all = a + b
        let linear = ChartRange.of(series, scale: .linear, xRange: xr, includeZero: false)
        #expect(linear == ChartRange(low: all.min()!, high: all.max()!, hasFloor: false, hasCeiling: false, hasFinite: true))
        let log = ChartRange.of(series, scale: .log10, xRange: xr, includeZero: false)
        #expect(log.low == floor(log10(all.min()!)) && log.high == ceil(log10(all.max()!)) && !log.hasFloor)

        // Special values send a series to the general loop: the extremes are those of the rest.
        var c = b
        c[10] = .infinity; c[20] = -.infinity; c[30] = .nan; c[40] = 0
        let special = [ChartSeries(name: "a", xs: xs, ys: a, style: .none), ChartSeries(name: "c", xs: xs, ys: c, style: .none)]
        let rest = a + c.filter { $0.isFinite && $0 != 0 }
        let r = ChartRange.of(special, scale: .log10, xRange: xr, includeZero: false)
        #expect(r.hasCeiling && r.hasFloor && r.hasFinite)
        #expect(r.low == floor(log10(rest.min()!)) && r.high == ceil(log10(rest.max()!)))
        // Only the points in the x range count.
        let part = ChartRange.of([ChartSeries(name: "a", xs: xs, ys: a, style: .none)], scale: .linear, xRange: xs[100]...xs[199], includeZero: false)
        #expect(part.low == a[100...199].min()! && part.high == a[100...199].max()!)
    }

    @Test("the packed braille bits are Unicode's dot numbering table")
    func packedBrailleBits() {
        for dy in 0..<4 {
            for dx in 0..<2 { #expect(Braille.bit(dx: dx, dy: dy) == Braille.bits[dy][dx]) }
        }
    }
}
