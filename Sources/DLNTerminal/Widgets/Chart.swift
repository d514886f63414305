import DLNCharts
import Foundation

/// The chart model's scale and extent (DLNCharts), under the names the dashboard uses.
public typealias AxisScale = DLNCharts.AxisScale
public typealias ChartRange = DLNCharts.ChartRange

/// One line of a chart: points (x, y) in order of x. NaN is a gap; -inf (and, on a log axis,
/// values <= 0) sits on a floor lane labelled as such; +inf on a ceiling lane.
public struct ChartSeries: Sendable {
    public var name: String
    public var xs: [Double]
    public var ys: [Double]
    public var style: Style
    /// Drawn as a staircase (a value holds until the next sample): ranks.
    public var steps: Bool
    /// The index into the screen's style cycle (dash, ASCII marker); nil: the series' place in its
    /// chart. A legend entry with the same index shows the same glyph.
    public var styleIndex: Int?

    public init(name: String, xs: [Double], ys: [Double], style: Style, steps: Bool = false, styleIndex: Int? = nil) {
        self.name = name
        self.xs = xs
        self.ys = ys
        self.style = style
        self.steps = steps
        self.styleIndex = styleIndex
    }
}

/// A horizontal line at a fixed value (a target's singular value), drawn dim beneath the series
/// with its label at the left end; the y range always includes it.
public struct ChartReference: Sendable {
    public var value: Double
    public var label: String
    public var style: Style

    public init(value: Double, label: String, style: Style) {
        self.value = value
        self.label = label
        self.style = style
    }
}

extension ChartRange {
    /// The extent of the chart series' values (the model's `of` on their x and y arrays).
    public static func of(_ series: [ChartSeries], scale: AxisScale, xRange: ClosedRange<Double>, includeZero: Bool) -> ChartRange {
        of(series.map { (xs: $0.xs, ys: $0.ys) }, scale: scale, xRange: xRange, includeZero: includeZero)
    }
}

/// Dash patterns (bit k: cell k of 8 along x drawn): solid, dashed, dotted, dash-dot.
let dashPatterns: [UInt8] = [0xFF, 0x3F, 0x55, 0x5F]

/// Consecutive points of a series that fall in one dot column: drawn as one vertical span
/// (their extremes) joined to the neighbouring runs, which is what a line through every point
/// would draw, at the cost of the columns rather than the points.
struct ColumnRun: Equatable {
    var px: Int
    var first: Double
    var last: Double
    var low: Double
    var high: Double
    /// A gap (NaN, or a point outside the x range) separates this run from the previous one.
    var breakBefore: Bool
}

/// A line chart with min/max labels on the y axis and the first and last x below: a pure
/// function from series and a rectangle to cells (ratatui's Chart).
public struct Chart {
    public var series: [ChartSeries]
    public var scale: AxisScale
    /// nil: from the data.
    public var xRange: ClosedRange<Double>?
    /// The y axis starts at 0 at most (counts such as ranks).
    public var includeZero: Bool
    public var glyphs: Glyphs
    public var labelStyle: Style
    public var axisStyle: Style
    /// The x axis's name, written under the y labels (for example "t").
    public var xName: String?
    /// nil: from the data; set, charts drawn side by side share one y axis.
    public var yRange: ChartRange?
    /// Horizontal reference lines (set after init; empty by default).
    public var references: [ChartReference] = []
    /// Shaded bands and histogram bars drawn under the series, point clouds over them (set after
    /// init; see ChartKinds.swift).
    public var bands: [ChartBand] = []
    public var bars: [ChartBars] = []
    public var points: [ChartPoints] = []

    public init(series: [ChartSeries], scale: AxisScale = .linear, xRange: ClosedRange<Double>? = nil,
                includeZero: Bool = false, glyphs: Glyphs, labelStyle: Style = .none, axisStyle: Style = .none,
                xName: String? = nil, yRange: ChartRange? = nil) {
        self.xName = xName
        self.yRange = yRange
        self.series = series
        self.scale = scale
        self.xRange = xRange
        self.includeZero = includeZero
        self.glyphs = glyphs
        self.labelStyle = labelStyle
        self.axisStyle = axisStyle
    }

    public func dataXRange() -> ClosedRange<Double> {
        if let xRange { return xRange }
        var lo = Double.infinity, hi = -Double.infinity
        for s in series {
            for x in s.xs where x.isFinite {
                lo = min(lo, x)
                hi = max(hi, x)
            }
        }
        // The kinds' arrays only when there are kinds: a plain line chart allocates nothing here.
        if !bands.isEmpty || !bars.isEmpty || !points.isEmpty {
            for xs in kindXs {
                for x in xs where x.isFinite {
                    lo = min(lo, x)
                    hi = max(hi, x)
                }
            }
        }
        if lo > hi { return 0...1 }
        return lo...hi
    }

    /// The dot column of each x (-1: not finite or outside the x range, a gap): column
    /// floor((x - low) * scale + 1/2), or `middle` for every x when the range is a single point.
    static func dotColumns(_ xs: [Double], xRange xr: ClosedRange<Double>, scale: Double, middle: Int?) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: xs.count) { out, initialized in
            xs.withUnsafeBufferPointer { x in
                let low = xr.lowerBound, high = xr.upperBound
                if let middle {
                    for i in 0..<x.count { out[i] = x[i] >= low && x[i] <= high ? Int32(middle) : -1 }
                } else {
                    for i in 0..<x.count {
                        let v = x[i]
                        // v >= low: the argument is >= 1/2 (and below the column count), so
                        // truncation is the floor.
                        out[i] = v >= low && v <= high ? Int32(truncatingIfNeeded: Int((v - low) * scale + 0.5)) : -1
                    }
                }
            }
            initialized = xs.count
        }
    }

    /// The maximal blocks of consecutive points in one dot column (start ..< end), or nil when some
    /// point has no column: then `columnRuns` handles the gaps.
    static func columnBlocks(_ columns: [Int32]) -> [(px: Int32, start: Int, end: Int)]? {
        columns.withUnsafeBufferPointer { cs in
            var blocks: [(px: Int32, start: Int, end: Int)] = []
            var start = 0
            for i in 0..<cs.count {
                if cs[i] < 0 { return nil }
                if cs[i] != cs[start] {
                    blocks.append((cs[start], start, i))
                    start = i
                }
            }
            if cs.count > 0 { blocks.append((cs[start], start, cs.count)) }
            return blocks
        }
    }

    /// `columnRuns` for a series whose every point has a column, by blocks: the loop over a block is
    /// only extremes. Returns false, having appended nothing, when a value is NaN (a gap).
    static func blockRuns(_ blocks: [(px: Int32, start: Int, end: Int)], _ ys: [Double], into runs: inout [ColumnRun]) -> Bool {
        guard let lastBlock = blocks.last, ys.count >= lastBlock.end else { return false }
        let before = runs.count
        let complete = ys.withUnsafeBufferPointer { ys in
            for b in blocks {
                var low = ys[b.start], high = low
                for i in b.start..<b.end {
                    let y = ys[i]
                    if y.isNaN { return false }
                    low = y < low ? y : low
                    high = y > high ? y : high
                }
                runs.append(ColumnRun(px: Int(b.px), first: ys[b.start], last: ys[b.end - 1], low: low, high: high, breakBefore: false))
            }
            return true
        }
        if !complete { runs.removeSubrange(before...) }
        return complete
    }

    /// Consecutive points in one dot column, as runs; a point with no column or a NaN value is a gap.
    static func columnRuns(_ columns: [Int32], _ ys: [Double], into runs: inout [ColumnRun]) {
        columns.withUnsafeBufferPointer { cs in
            ys.withUnsafeBufferPointer { ys in
                var gap = false, open = false, brk = false
                var column: Int32 = 0, first = 0.0, last = 0.0, low = 0.0, high = 0.0
                for i in 0..<min(cs.count, ys.count) {
                    let px = cs[i], y = ys[i]
                    if px < 0 || y.isNaN { gap = true; continue }
                    if open && px == column {
                        last = y
                        low = y < low ? y : low
                        high = y > high ? y : high
                    } else {
                        if open { runs.append(ColumnRun(px: Int(column), first: first, last: last, low: low, high: high, breakBefore: brk)) }
                        open = true
                        column = px
                        first = y; last = y; low = y; high = y
                        brk = gap
                    }
                    gap = false
                }
                if open { runs.append(ColumnRun(px: Int(column), first: first, last: last, low: low, high: high, breakBefore: brk)) }
            }
        }
    }

    /// The y axis of the chart model: the range and the ticks that fit `rows` cell rows (a label
    /// every other row at most).
    func yAxis(_ range: ChartRange, rows: Int) -> Axis {
        Axis(scale: scale, range: range, title: "", maxTicks: max(2, (rows + 1) / 2))
    }

    /// The y labels and their cell rows: the range's ends (the extent drawn, as the chart always
    /// showed it), then the model's ticks in the rows left, with a free row between labels.
    func yLabelRows(_ range: ChartRange, top: Int, bottom: Int, dotsHigh dh: Int, rows: Int) -> [(text: String, row: Int)] {
        let span = range.high - range.low
        func row(_ v: Double) -> Int {
            let f = span > 0 ? (v - range.low) / span : 0.5
            return (bottom - Int((f * Double(bottom - top) + 0.5).rounded(.down))) / dh
        }
        func end(_ v: Double) -> String { scale == .log10 ? Ticks.powerOfTen(Int(v.rounded())) : NumberText.compact(v) }
        var out: [(text: String, row: Int)] = [(end(range.low), bottom / dh)]
        if top / dh != bottom / dh { out.append((end(range.high), top / dh)) }
        for t in yAxis(range, rows: max(1, (bottom - top) / dh + 1)).ticks {
            let r = row(t.value)
            guard r >= 0, r < rows, !out.contains(where: { abs($0.row - r) <= 1 }) else { continue }
            out.append((t.label, r))
        }
        return out
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let xr = dataXRange()
        let lines = references.map { ChartSeries(name: $0.label, xs: [xr.lowerBound, xr.upperBound], ys: [$0.value, $0.value], style: $0.style) }
        let plain = bands.isEmpty && bars.isEmpty && points.isEmpty
        let range = yRange ?? ChartRange.of(plain ? series + lines : series + lines + kindExtents, scale: scale, xRange: xr,
                                            includeZero: includeZero || !bars.isEmpty)

        let showX = area.height >= 3
        let plotRows = area.height - (showX ? 1 : 0)
        let dh = glyphs.marker.dotsHigh
        let pixelRows = plotRows * dh
        // The lanes take a whole cell row each when there is room for a finite band as well.
        let floorLane = range.hasFloor && plotRows >= 2
        let ceilingLane = range.hasCeiling && plotRows >= (floorLane ? 3 : 2)
        var top = ceilingLane ? dh : 0
        var bottom = pixelRows - 1 - (floorLane ? dh : 0)
        if bottom < top { top = 0; bottom = pixelRows - 1 }
        let floorLabel = Axis(scale: scale, range: range, title: "", ticks: []).floorLabel(unicode: glyphs.unicode)
        let yLabels = range.hasFinite ? yLabelRows(range, top: top, bottom: bottom, dotsHigh: dh, rows: plotRows) : []
        var labelWidth = yLabels.map(\.text.unicodeScalars.count).max() ?? 0
        if range.hasFloor { labelWidth = max(labelWidth, floorLabel.unicodeScalars.count) }
        if range.hasCeiling { labelWidth = max(labelWidth, 3) }

        let showY = labelWidth > 0 && area.width >= labelWidth + 1 + 4
        let plot = Rect(x: area.x + (showY ? labelWidth + 1 : 0), y: area.y,
                        width: area.width - (showY ? labelWidth + 1 : 0), height: plotRows)
        guard !plot.isEmpty else { return }

        var canvas = Canvas(columns: plot.width, rows: plot.height, marker: glyphs.marker)
        let span = range.high - range.low

        func pixelY(_ y: Double) -> Int {
            let v = ChartRange.axisValue(y, scale: scale)
            if v == -.infinity { return pixelRows - 1 }
            if v == .infinity { return 0 }
            let f = (v - range.low) / span * Double(bottom - top)
            return bottom - Int((f + 0.5).rounded(.down))
        }
        let xSpan = xr.upperBound - xr.lowerBound
        let xScale = xSpan > 0 ? Double(canvas.dotsWide - 1) / xSpan : 0
        let xMiddle = (canvas.dotsWide - 1) / 2
        // Styles from the screen's cycle: past the theme's eight colours a series is dashed (and
        // takes another ASCII marker), so no two visible series look alike.
        let cycle = StyleCycle.screen
        let styles = series.indices.map { cycle.style(series[$0].styleIndex ?? $0) }
        let ascii = glyphs.marker == .ascii

        // Each sample's dot column, computed once per x array: the series drawn against the same
        // times (every sigma_k) share it, and the loop over a series' points is then only compares.
        var columns: [Int32] = []
        var blocks: [(px: Int32, start: Int, end: Int)]? = nil
        var columnsOf: (key: UInt, count: Int)? = nil
        var runs: [ColumnRun] = []
        runs.reserveCapacity(canvas.dotsWide + 1)
        let hasKinds = !plain
        // Only a chart with kinds builds the mapping (its closure is not the lines' hot path).
        let map = hasKinds ? DotMapping(xLow: xr.lowerBound, xHigh: xr.upperBound, xScale: xSpan > 0 ? xScale : 0, xMiddle: xMiddle, pixelY: pixelY) : nil
        if let map {
            let zero = scale == .linear && range.low <= 0 && range.high >= 0 ? pixelY(0) : bottom
            Self.drawUnder(&canvas, bands: bands, bars: bars, map: map, first: series.count, zeroRow: zero)
        }
        for (index, s) in series.enumerated() {
            let key = s.xs.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
            if columnsOf?.key != key || columnsOf?.count != s.xs.count {
                columns = Self.dotColumns(s.xs, xRange: xr, scale: xScale, middle: xSpan > 0 ? nil : xMiddle)
                blocks = Self.columnBlocks(columns)
                columnsOf = (key, s.xs.count)
            }
            runs.removeAll(keepingCapacity: true)
            if blocks == nil || !Self.blockRuns(blocks!, s.ys, into: &runs) {
                Self.columnRuns(columns, s.ys, into: &runs)
            }
            // ASCII charts tell series apart by marker; the others dash what the colours cannot.
            let pattern = ascii ? 0xFF : dashPatterns[styles[index].dash % dashPatterns.count]
            var previous: (px: Int, py: Int)? = nil
            for r in runs {
                // A run's first and last points are mostly its extremes: their rows are reused
                // (on a log axis each row costs a logarithm).
                let high = pixelY(r.high), low = r.low == r.high ? high : pixelY(r.low)
                func row(_ v: Double) -> Int { v == r.high ? high : (v == r.low ? low : pixelY(v)) }
                let first = row(r.first)
                if let p = previous, !r.breakBefore {
                    // Solid lines take the plain Bresenham (no closure: it is the hot loop).
                    if pattern == 0xFF {
                        if s.steps {
                            canvas.line(p.px, p.py, r.px, p.py, series: index)
                            canvas.line(r.px, p.py, r.px, first, series: index)
                        } else {
                            canvas.line(p.px, p.py, r.px, first, series: index)
                        }
                    } else if s.steps {
                        canvas.dashedLine(p.px, p.py, r.px, p.py, series: index, pattern: pattern)
                        canvas.dashedLine(r.px, p.py, r.px, first, series: index, pattern: pattern)
                    } else {
                        canvas.dashedLine(p.px, p.py, r.px, first, series: index, pattern: pattern)
                    }
                }
                if r.low == r.high {
                    if pattern == 0xFF { canvas.dot(r.px, first, series: index) } else { canvas.dashedDot(r.px, first, series: index, pattern: pattern) }
                } else if pattern == 0xFF {
                    canvas.line(r.px, high, r.px, low, series: index)
                } else {
                    canvas.dashedLine(r.px, high, r.px, low, series: index, pattern: pattern)
                }
                previous = (r.px, r.last == r.first ? first : row(r.last))
            }
        }
        // References first: the series' dots are drawn over them. Lines sharing a row share one
        // label ("A1,2"), at the left, where a run from a small start is still far below its target.
        var labels: [(row: Int, text: String, style: Style)] = []
        for r in references where r.value.isFinite && !(scale == .log10 && r.value <= 0) {
            let row = plot.y + pixelY(r.value) / dh
            for x in plot.x..<plot.right { buffer.set(x, row, glyphs.horizontal, r.style) }
            if let k = labels.firstIndex(where: { $0.row == row }) {
                labels[k].text += "," + r.label.drop { !$0.isNumber }
            } else {
                labels.append((row, r.label, r.style))
            }
        }
        for l in labels where l.text.unicodeScalars.count < plot.width { buffer.put(l.text, plot.x, l.row, l.style) }
        if let map { Self.drawOver(&canvas, points: points, map: map, first: series.count + bands.count + bars.count) }
        // ASCII: bands ':' (the lightest '.', so a q05-q95 band reads apart from its q25-q75 band),
        // bars '#', points 'o' after the series' own markers.
        let kindMarkers: [Unicode.Scalar] = bands.map { $0.density == .quarter ? "." : ":" } + bars.map { _ in "#" } + points.map { _ in "o" }
        let markers = ascii ? styles.map { Glyphs.asciiDots[$0.marker % Glyphs.asciiDots.count] } + kindMarkers : nil
        canvas.render(into: &buffer, at: (plot.x, plot.y), glyphs: glyphs, styles: series.map(\.style) + kindStyles, markers: markers)

        if showY {
            for row in 0..<plot.height { buffer.set(area.x + labelWidth, plot.y + row, glyphs.vertical, axisStyle) }
            func yLabel(_ text: String, row: Int) {
                let pad = labelWidth - text.unicodeScalars.count
                buffer.put(text, area.x + pad, plot.y + row, labelStyle, maxWidth: labelWidth)
                buffer.set(area.x + labelWidth, plot.y + row, glyphs.unicode ? "┤" : "+", axisStyle)
            }
            for l in yLabels { yLabel(l.text, row: l.row) }
            if floorLane { yLabel(floorLabel, row: plot.height - 1) }
            if ceilingLane { yLabel("inf", row: 0) }
        }
        if showX {
            xLabels(&buffer, row: area.y + plotRows, plot: plot, xRange: xr, dotsWide: canvas.dotsWide)
            if showY, let name = xName, name.unicodeScalars.count <= labelWidth { buffer.put(name, area.x + labelWidth - name.unicodeScalars.count, area.y + plotRows, labelStyle) }
        }
    }
}
