import Foundation

/// A histogram of values as vertical bars of eighth blocks (ASCII: '#'), the largest count on the
/// left axis and the bins' range below. Integer-valued data (ranks) get one bar per integer.
public struct HistogramView {
    public var values: [Double]
    public var integers: Bool
    public var glyphs: Glyphs
    public var barStyle: Style
    public var labelStyle: Style

    public init(values: [Double], integers: Bool = false, glyphs: Glyphs, barStyle: Style, labelStyle: Style) {
        self.values = values
        self.integers = integers
        self.glyphs = glyphs
        self.barStyle = barStyle
        self.labelStyle = labelStyle
    }

    /// (low, high, counts): `bins` equal bins over [low, high] (integers: one per value).
    public func bins(_ bins: Int) -> (low: Double, high: Double, counts: [Int]) {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return (0, 1, []) }
        if integers {
            let l = lo.rounded(), h = max(l, hi.rounded())
            var counts = [Int](repeating: 0, count: Int(h - l) + 1)
            for v in finite { counts[Int(v.rounded() - l)] += 1 }
            return (l, h, counts)
        }
        let n = max(1, bins)
        let (l, h) = lo == hi ? (lo - 0.5, hi + 0.5) : (lo, hi)
        var counts = [Int](repeating: 0, count: n)
        for v in finite { counts[min(n - 1, Int((v - l) / (h - l) * Double(n)))] += 1 }
        return (l, h, counts)
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width >= 6, area.height >= 3 else { return }
        let plotHeight = area.height - 1
        let probe = bins(1)
        guard !probe.counts.isEmpty else {
            buffer.put("no values yet", area.x, area.y, labelStyle, maxWidth: area.width)
            return
        }
        let guessLabel = "\(values.count)".count + 1
        let plotWidth = area.width - guessLabel
        // Integers: a bar per value, as wide as fits; otherwise a bin per column.
        let (low, high, counts) = integers ? probe : bins(plotWidth)
        let largest = max(1, counts.max() ?? 1)
        let topLabel = "\(largest)"
        buffer.put(topLabel, area.x, area.y, labelStyle, maxWidth: guessLabel - 1)
        buffer.put("0", area.x, area.y + plotHeight - 1, labelStyle)
        let width = integers ? max(1, min(8, plotWidth / max(1, counts.count) - 1)) : 1
        let gap = integers ? 1 : 0
        let eighths: [Unicode.Scalar] = ["\u{2581}", "\u{2582}", "\u{2583}", "\u{2584}", "\u{2585}", "\u{2586}", "\u{2587}", "\u{2588}"]
        for (i, c) in counts.enumerated() {
            let x = area.x + guessLabel + i * (width + gap)
            guard x + width <= area.x + area.width else { break }
            // Height in eighths of a cell, at least one eighth for a bin that holds anything.
            let total = c == 0 ? 0 : max(1, Int((Double(c) / Double(largest) * Double(plotHeight * 8)).rounded()))
            for row in 0..<plotHeight {
                let fill = min(8, max(0, total - row * 8))
                guard fill > 0 else { break }
                let scalar: Unicode.Scalar = glyphs.unicode ? eighths[fill - 1] : (fill >= 4 ? "#" : ".")
                for dx in 0..<width { buffer.set(x + dx, area.y + plotHeight - 1 - row, scalar, barStyle) }
            }
            if integers {
                let v = "\(Int(low) + i)"
                buffer.put(v, x, area.y + plotHeight, labelStyle, maxWidth: width + gap)
            }
        }
        if !integers {
            let l = NumberText.compact(low), h = NumberText.compact(high)
            buffer.put(l, area.x + guessLabel, area.y + plotHeight, labelStyle, maxWidth: plotWidth)
            if plotWidth > l.count + h.count + 1 { buffer.put(h, area.x + area.width - h.count, area.y + plotHeight, labelStyle) }
        }
    }
}
