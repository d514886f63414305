import Foundation

/// Quantile bands against time: for each band the 5-95% range stippled, the 25-75% range filled and
/// the median as a line, on a canvas of dots; y labels (top and bottom values) on the left, the
/// time range below. A pure function from bands and a rectangle to cells.
public struct BandChart {
    public struct Band {
        public var q05: [Double], q25: [Double], q50: [Double], q75: [Double], q95: [Double]
        /// The 5-95% range, the 25-75% range and the median line.
        public var outer: Style, inner: Style, median: Style

        public init(q05: [Double], q25: [Double], q50: [Double], q75: [Double], q95: [Double],
                    outer: Style, inner: Style, median: Style) {
            self.q05 = q05; self.q25 = q25; self.q50 = q50; self.q75 = q75; self.q95 = q95
            self.outer = outer; self.inner = inner; self.median = median
        }
    }

    public var times: [Double]
    public var bands: [Band]
    public var log: Bool
    /// The time axis's extent (the horizon, so the bands grow to the right); nil: the times'.
    public var xRange: ClosedRange<Double>?
    /// The y axis starts at 0 at most (ranks).
    public var includeZero = false
    public var glyphs: Glyphs
    public var labelStyle: Style

    public init(times: [Double], bands: [Band], log: Bool, xRange: ClosedRange<Double>? = nil, includeZero: Bool = false,
                glyphs: Glyphs, labelStyle: Style) {
        self.times = times
        self.bands = bands
        self.log = log
        self.xRange = xRange
        self.includeZero = includeZero
        self.glyphs = glyphs
        self.labelStyle = labelStyle
    }

    /// A value on the axis: log10 on a log axis (nil at or below 0), nil if not finite.
    func y(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        if log { return v > 0 ? log10(v) : nil }
        return v
    }

    /// The y extent over every band's 5-95% range, widened when flat.
    func yRange() -> ClosedRange<Double> {
        var lo = Double.infinity, hi = -Double.infinity
        for b in bands {
            for v in b.q05 + b.q95 + b.q50 { if let t = y(v) { lo = min(lo, t); hi = max(hi, t) } }
        }
        if includeZero && !log { lo = min(lo, 0) }
        if lo > hi { return 0...1 }
        if lo == hi {
            let pad = log ? 0.5 : max(abs(lo) * 0.1, 0.5)
            return (lo - pad)...(hi + pad)
        }
        return lo...hi
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width >= 8, area.height >= 3 else { return }
        let yr = yRange()
        func label(_ t: Double) -> String { NumberText.compact(log ? pow(10, t) : t) }
        let top = label(yr.upperBound), bottom = label(yr.lowerBound)
        let labelWidth = max(top.count, bottom.count) + 1
        let plot = Rect(x: area.x + labelWidth, y: area.y, width: area.width - labelWidth, height: area.height - 1)
        guard plot.width >= 2, plot.height >= 1 else { return }
        buffer.put(top, area.x, plot.y, labelStyle, maxWidth: labelWidth - 1)
        buffer.put(bottom, area.x, plot.y + plot.height - 1, labelStyle, maxWidth: labelWidth - 1)
        let x0 = xRange?.lowerBound ?? times.first ?? 0
        let x1 = max(xRange?.upperBound ?? times.last ?? 1, times.last ?? 0)
        let t0 = "t " + NumberText.compact(x0), t1 = NumberText.compact(x1)
        buffer.put(t0, plot.x, plot.y + plot.height, labelStyle, maxWidth: plot.width)
        if plot.width > t0.count + t1.count + 1 { buffer.put(t1, plot.x + plot.width - t1.count, plot.y + plot.height, labelStyle) }
        let marker = glyphs.marker
        var canvas = Canvas(columns: plot.width, rows: plot.height, marker: marker)
        let dotsX = canvas.dotsWide, dotsY = canvas.dotsHigh
        func px(_ t: Double) -> Int {
            x1 > x0 ? Int(((t - x0) / (x1 - x0) * Double(dotsX - 1)).rounded()) : 0
        }
        func py(_ v: Double) -> Int {
            Int(((yr.upperBound - v) / (yr.upperBound - yr.lowerBound) * Double(dotsY - 1)).rounded())
        }
        var styles: [Style] = []
        for (k, b) in bands.enumerated() {
            styles += [b.outer, b.inner, b.median]
            let s = 3 * k
            // Each dot column between two saved times takes the ranges interpolated between them.
            // Braille: the 5-95% range a sparse grid of dots, the 25-75% range a checkerboard, so the
            // median's solid line stands out without colour; ASCII cells tell them by their marker.
            func spans(_ lo: [Double], _ hi: [Double], series: Int, pattern: (Int, Int) -> Bool) {
                guard times.count >= 1 else { return }
                for i in 0..<times.count {
                    let j = min(i + 1, times.count - 1)
                    guard let a0 = y(lo[i]), let b0 = y(hi[i]), let a1 = y(lo[j]), let b1 = y(hi[j]) else { continue }
                    let c0 = px(times[i]), c1 = j == i ? c0 : max(c0, px(times[j]) - 1)
                    for c in c0...c1 {
                        let f = c1 > c0 ? Double(c - c0) / Double(c1 - c0 + 1) : 0
                        let low = py(a0 + (a1 - a0) * f), high = py(b0 + (b1 - b0) * f)
                        for r in min(low, high)...max(low, high) where pattern(r, c) {
                            canvas.dot(c, r, series: series)
                        }
                    }
                }
            }
            let braille = marker == .braille
            spans(b.q05, b.q95, series: s) { r, c in braille ? r & 1 == 0 && c & 1 == 0 : (r + c) & 1 == 0 }
            spans(b.q25, b.q75, series: s + 1) { r, c in !braille || (r + c) & 1 == 0 }
            var previous: (Int, Int)? = nil
            for i in 0..<times.count {
                guard let m = y(b.q50[i]) else { previous = nil; continue }
                let p = (px(times[i]), py(m))
                if let q = previous { canvas.line(q.0, q.1, p.0, p.1, series: s + 2) } else { canvas.dot(p.0, p.1, series: s + 2) }
                previous = p
            }
        }
        canvas.render(into: &buffer, at: (plot.x, plot.y), glyphs: glyphs, styles: styles,
                      markers: bands.indices.flatMap { _ in [".", ":", "*"] as [Unicode.Scalar] })
    }
}
