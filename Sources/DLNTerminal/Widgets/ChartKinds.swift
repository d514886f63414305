import DLNCharts

/// A shaded band between a low and a high curve over the same times (a quantile band), filled
/// with a braille dot pattern whose density says how strong the shading is: the q05-q95 band one
/// dot in four, the q25-q75 band one in two, so the inner band reads darker under the median line.
public struct ChartBand: Sendable {
    public var xs: [Double]
    public var low: [Double]
    public var high: [Double]
    public var style: Style
    public var density: FillDensity

    public init(xs: [Double], low: [Double], high: [Double], style: Style, density: FillDensity) {
        self.xs = xs
        self.low = low
        self.high = high
        self.style = style
        self.density = density
    }
}

/// Which dots of a filled area are drawn: every one, one in two (a checkerboard) or one in four
/// (even columns of even rows); each sparser pattern is a subset of the denser ones.
public enum FillDensity: Sendable, Equatable {
    case solid, half, quarter

    @inline(__always)
    func draws(_ px: Int, _ py: Int) -> Bool {
        switch self {
        case .solid: return true
        case .half: return (px + py) & 1 == 0
        case .quarter: return px & 1 == 0 && py & 1 == 0
        }
    }

    /// The density of a figure's band opacity: the inner (darker) bands half, the outer a quarter.
    public static func of(opacity: Double) -> FillDensity {
        opacity >= 0.5 ? .solid : (opacity >= 0.25 ? .half : .quarter)
    }
}

/// A histogram: bins [edges[i], edges[i + 1]) with a count each, drawn as solid bars from 0 (a bar
/// three dot columns wide or more leaves its last column empty, so neighbouring bars stay apart).
public struct ChartBars: Sendable {
    public var edges: [Double]
    public var counts: [Double]
    public var style: Style

    public init(edges: [Double], counts: [Double], style: Style) {
        self.edges = edges
        self.counts = counts
        self.style = style
    }
}

/// A cloud of unjoined points, one dot each (NaN coordinates are not drawn).
public struct ChartPoints: Sendable {
    public var xs: [Double]
    public var ys: [Double]
    public var style: Style

    public init(xs: [Double], ys: [Double], style: Style) {
        self.xs = xs
        self.ys = ys
        self.style = style
    }
}

/// How a chart maps data to dots: the x range over the canvas's dot columns, the y value to a dot
/// row by the chart's own rule (floor and ceiling lanes included).
struct DotMapping {
    let xLow: Double
    let xHigh: Double
    let xScale: Double
    let xMiddle: Int
    let pixelY: (Double) -> Int

    /// The dot column of x, nil outside the x range or not finite.
    @inline(__always)
    func column(_ x: Double) -> Int? {
        guard x >= xLow && x <= xHigh else { return nil }
        return xScale > 0 ? Int((x - xLow) * xScale + 0.5) : xMiddle
    }
}

extension Chart {
    /// The kinds' data as (xs, ys) pairs for the y range: the bands' two curves, the bars' counts
    /// (at their left edges) and the points.
    var kindExtents: [ChartSeries] {
        var out: [ChartSeries] = []
        for b in bands {
            out.append(ChartSeries(name: "", xs: b.xs, ys: b.low, style: .none))
            out.append(ChartSeries(name: "", xs: b.xs, ys: b.high, style: .none))
        }
        for b in bars { out.append(ChartSeries(name: "", xs: Array(b.edges.prefix(b.counts.count)), ys: b.counts, style: .none)) }
        for p in points { out.append(ChartSeries(name: "", xs: p.xs, ys: p.ys, style: .none)) }
        return out
    }

    /// The finite x values of the kinds (bands' times, bars' edges, points), for the x range.
    var kindXs: [[Double]] { bands.map(\.xs) + bars.map(\.edges) + points.map(\.xs) }

    /// Styles of the canvas's layers after the series: bands, then bars, then points.
    var kindStyles: [Style] { bands.map(\.style) + bars.map(\.style) + points.map(\.style) }

    /// Bands, then bars, into the canvas under the series (layer numbers from `first`).
    static func drawUnder(_ canvas: inout Canvas, bands: [ChartBand], bars: [ChartBars], map: DotMapping, first: Int, zeroRow: Int) {
        for (k, b) in bands.enumerated() { fillBand(&canvas, b, map: map, layer: first + k) }
        for (k, b) in bars.enumerated() { fillBars(&canvas, b, map: map, layer: first + bands.count + k, zeroRow: zeroRow) }
    }

    /// Points over the series.
    static func drawOver(_ canvas: inout Canvas, points: [ChartPoints], map: DotMapping, first: Int) {
        for (k, p) in points.enumerated() {
            for i in 0..<min(p.xs.count, p.ys.count) where !p.ys[i].isNaN {
                guard let px = map.column(p.xs[i]) else { continue }
                canvas.dot(px, map.pixelY(p.ys[i]), series: first + k)
            }
        }
    }

    /// Per dot column the band's top and bottom rows (the curves joined linearly between samples),
    /// then the column filled between them in the band's pattern.
    static func fillBand(_ canvas: inout Canvas, _ b: ChartBand, map: DotMapping, layer: Int) {
        let w = canvas.dotsWide
        guard w > 0 else { return }
        var top = [Int](repeating: Int.max, count: w), bottom = [Int](repeating: Int.min, count: w)
        func mark(_ px: Int, _ a: Int, _ c: Int) {
            guard px >= 0, px < w else { return }
            top[px] = min(top[px], min(a, c))
            bottom[px] = max(bottom[px], max(a, c))
        }
        var previous: (px: Int, hi: Int, lo: Int)? = nil
        for i in 0..<min(b.xs.count, b.low.count, b.high.count) {
            guard !b.low[i].isNaN, !b.high[i].isNaN, let px = map.column(b.xs[i]) else { previous = nil; continue }
            let hi = map.pixelY(b.high[i]), lo = map.pixelY(b.low[i])
            if let p = previous, px > p.px + 1 {
                for c in (p.px + 1)..<px {
                    let t = Double(c - p.px) / Double(px - p.px)
                    mark(c, Int((Double(p.hi) + t * Double(hi - p.hi)).rounded()), Int((Double(p.lo) + t * Double(lo - p.lo)).rounded()))
                }
            }
            mark(px, hi, lo)
            previous = (px, hi, lo)
        }
        for px in 0..<w where top[px] <= bottom[px] {
            for py in max(0, top[px])...min(canvas.dotsHigh - 1, bottom[px]) where b.density.draws(px, py) {
                canvas.dot(px, py, series: layer)
            }
        }
    }

    /// Each bin's columns [column(low edge), column(high edge)) (the last bin's high edge included)
    /// filled from the count's row down to the zero row.
    static func fillBars(_ canvas: inout Canvas, _ b: ChartBars, map: DotMapping, layer: Int, zeroRow: Int) {
        let n = min(b.counts.count, b.edges.count - 1)
        guard n > 0 else { return }
        for i in 0..<n {
            let count = b.counts[i]
            guard count > 0, count.isFinite, let c0 = map.column(b.edges[i]), let c1 = map.column(b.edges[i + 1]) else { continue }
            var end = i == n - 1 ? c1 : c1 - 1
            if end - c0 + 1 >= 3 { end -= 1 }
            guard end >= c0 else { continue }
            let top = map.pixelY(count)
            for px in c0...end {
                for py in min(top, zeroRow)...max(top, zeroRow) { canvas.dot(px, py, series: layer) }
            }
        }
    }
}
