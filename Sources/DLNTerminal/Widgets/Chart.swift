import Foundation

public enum AxisScale: Sendable, Equatable {
    case linear
    case log10
}

/// One line of a chart: points (x, y) in order of x. NaN is a gap; -inf (and, on a log axis,
/// values <= 0) sits on a floor lane labelled as such; +inf on a ceiling lane.
public struct ChartSeries: Sendable {
    public var name: String
    public var xs: [Double]
    public var ys: [Double]
    public var style: Style
    /// Drawn as a staircase (a value holds until the next sample): ranks.
    public var steps: Bool

    public init(name: String, xs: [Double], ys: [Double], style: Style, steps: Bool = false) {
        self.name = name
        self.xs = xs
        self.ys = ys
        self.style = style
        self.steps = steps
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

/// The vertical extent of a chart in axis units (log10 of the value on a log axis).
public struct ChartRange: Equatable, Sendable {
    public var low: Double
    public var high: Double
    /// Some value maps below every finite one: -inf, or <= 0 on a log axis.
    public var hasFloor: Bool
    /// Some value is +inf.
    public var hasCeiling: Bool
    /// Whether any finite value was seen (otherwise low/high are placeholders and get no label).
    public var hasFinite: Bool

    public static func axisValue(_ y: Double, scale: AxisScale) -> Double {
        switch scale {
        case .linear: return y
        case .log10:
            if y.isNaN { return .nan }
            return y > 0 ? Foundation.log10(y) : -.infinity
        }
    }

    /// Finite extent of the axis values with x in `xRange`. A constant series gets a band around
    /// it; a log axis snaps to whole decades. The extremes are found on the raw values (the axis
    /// transform is monotonic), so a log axis costs two logarithms, not one per point.
    public static func of(_ series: [ChartSeries], scale: AxisScale, xRange: ClosedRange<Double>, includeZero: Bool) -> ChartRange {
        var low = Double.infinity, high = -Double.infinity
        var floor = false, ceiling = false
        let log = scale == .log10
        let xLow = xRange.lowerBound, xHigh = xRange.upperBound
        // Whether every x of an array is in the range, once per array: the series drawn against the
        // same times (every sigma_k) share it.
        var inRange: (key: UInt, count: Int, all: Bool)? = nil
        for s in series {
            let key = s.xs.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
            if inRange?.key != key || inRange?.count != s.xs.count {
                let all = s.xs.withUnsafeBufferPointer { xs in xs.allSatisfy { $0 >= xLow && $0 <= xHigh } }
                inRange = (key, s.xs.count, all)
            }
            s.xs.withUnsafeBufferPointer { xs in
                s.ys.withUnsafeBufferPointer { ys in
                    let n = min(xs.count, ys.count)
                    // Every x in range and every y a finite (positive, on a log axis) value: plain
                    // extremes. y * 0 is NaN exactly for a NaN or infinite y.
                    if inRange!.all && n > 0 {
                        var l = low, h = high, bad = 0.0
                        for i in 0..<n {
                            let y = ys[i]
                            l = y < l ? y : l
                            h = y > h ? y : h
                            bad += y * 0
                        }
                        if !bad.isNaN && !(log && l <= 0) {
                            low = l; high = h
                            return
                        }
                    }
                    // Locals in the loop, stored back once: this loop sees every point of every series.
                    var l = low, h = high, f = floor, c = ceiling
                    for i in 0..<n {
                        let x = xs[i]
                        guard x >= xLow && x <= xHigh else { continue }
                        let y = ys[i]
                        if y.isFinite && !(log && y <= 0) {
                            l = y < l ? y : l
                            h = y > h ? y : h
                        } else if y == .infinity {
                            c = true
                        } else if !y.isNaN {
                            f = true  // -inf, or <= 0 on a log axis
                        }
                    }
                    low = l; high = h; floor = f; ceiling = c
                }
            }
        }
        let finite = low <= high
        if finite && log {
            low = Foundation.log10(low)
            high = Foundation.log10(high)
        }
        if !finite { low = 0; high = 1 }
        if includeZero && scale == .linear { low = min(low, 0) }
        switch scale {
        case .linear:
            if high - low <= 1e-12 * max(1, abs(low)) {
                let pad = low == 0 ? 1 : abs(low) * 0.1
                if includeZero && low == 0 { high = 1 } else { low -= pad; high += pad }
            }
        case .log10:
            low = Foundation.floor(low)
            high = Foundation.ceil(high)
            if high <= low { high = low + 1 }
        }
        return ChartRange(low: low, high: high, hasFloor: floor, hasCeiling: ceiling, hasFinite: finite)
    }
}

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
        if lo > hi { return 0...1 }
        return lo...hi
    }

    func label(_ v: Double) -> String {
        scale == .log10 ? NumberText.powerOfTen(Int(v.rounded())) : NumberText.compact(v)
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

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let xr = dataXRange()
        let lines = references.map { ChartSeries(name: $0.label, xs: [xr.lowerBound, xr.upperBound], ys: [$0.value, $0.value], style: $0.style) }
        let range = yRange ?? ChartRange.of(series + lines, scale: scale, xRange: xr, includeZero: includeZero)

        // Labels that may appear on the y axis, widest first decides the label column.
        let floorLabel = scale == .log10 ? glyphs.atMostZero : "-inf"
        var yLabels: [String] = []
        if range.hasFinite { yLabels += [label(range.high), label(range.low)] }
        if range.hasFloor { yLabels.append(floorLabel) }
        if range.hasCeiling { yLabels.append("inf") }
        let labelWidth = yLabels.map(\.unicodeScalars.count).max() ?? 0

        let showX = area.height >= 3
        let plotRows = area.height - (showX ? 1 : 0)
        let showY = labelWidth > 0 && area.width >= labelWidth + 1 + 4
        let plot = Rect(x: area.x + (showY ? labelWidth + 1 : 0), y: area.y,
                        width: area.width - (showY ? labelWidth + 1 : 0), height: plotRows)
        guard !plot.isEmpty else { return }

        var canvas = Canvas(columns: plot.width, rows: plot.height, marker: glyphs.marker)
        let dh = glyphs.marker.dotsHigh
        let pixelRows = canvas.dotsHigh
        // The lanes take a whole cell row each when there is room for a finite band as well.
        let floorLane = range.hasFloor && plot.height >= 2
        let ceilingLane = range.hasCeiling && plot.height >= (floorLane ? 3 : 2)
        var top = ceilingLane ? dh : 0
        var bottom = pixelRows - 1 - (floorLane ? dh : 0)
        if bottom < top { top = 0; bottom = pixelRows - 1 }
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

        // Each sample's dot column, computed once per x array: the series drawn against the same
        // times (every sigma_k) share it, and the loop over a series' points is then only compares.
        var columns: [Int32] = []
        var blocks: [(px: Int32, start: Int, end: Int)]? = nil
        var columnsOf: (key: UInt, count: Int)? = nil
        var runs: [ColumnRun] = []
        runs.reserveCapacity(canvas.dotsWide + 1)
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
            var previous: (px: Int, py: Int)? = nil
            for r in runs {
                // A run's first and last points are mostly its extremes: their rows are reused
                // (on a log axis each row costs a logarithm).
                let high = pixelY(r.high), low = r.low == r.high ? high : pixelY(r.low)
                func row(_ v: Double) -> Int { v == r.high ? high : (v == r.low ? low : pixelY(v)) }
                let first = row(r.first)
                if let p = previous, !r.breakBefore {
                    if s.steps {
                        canvas.line(p.px, p.py, r.px, p.py, series: index)
                        canvas.line(r.px, p.py, r.px, first, series: index)
                    } else {
                        canvas.line(p.px, p.py, r.px, first, series: index)
                    }
                }
                if r.low == r.high {
                    canvas.dot(r.px, first, series: index)
                } else {
                    canvas.line(r.px, high, r.px, low, series: index)
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
        canvas.render(into: &buffer, at: (plot.x, plot.y), glyphs: glyphs, styles: series.map(\.style))

        if showY {
            for row in 0..<plot.height { buffer.set(area.x + labelWidth, plot.y + row, glyphs.vertical, axisStyle) }
            func yLabel(_ text: String, row: Int) {
                let pad = labelWidth - text.unicodeScalars.count
                buffer.put(text, area.x + pad, plot.y + row, labelStyle, maxWidth: labelWidth)
            }
            if range.hasFinite {
                let bottomRow = bottom / dh, topRow = top / dh
                yLabel(label(range.low), row: bottomRow)
                if topRow != bottomRow { yLabel(label(range.high), row: topRow) }
            }
            if floorLane { yLabel(floorLabel, row: plot.height - 1) }
            if ceilingLane { yLabel("inf", row: 0) }
        }
        if showX {
            let row = area.y + plotRows
            let first = NumberText.compact(xr.lowerBound), last = NumberText.compact(xr.upperBound)
            let lastWidth = last.unicodeScalars.count
            if first.unicodeScalars.count + 1 + lastWidth <= plot.width {
                buffer.put(first, plot.x, row, labelStyle)
            }
            buffer.put(last, max(plot.x, plot.right - lastWidth), row, labelStyle, maxWidth: plot.width)
            if showY, let name = xName, name.unicodeScalars.count <= labelWidth { buffer.put(name, area.x + labelWidth - name.unicodeScalars.count, row, labelStyle) }
        }
    }
}
