import DLNCharts

extension Chart {
    /// The x axis's labels: the last time at the right edge (the run's "now"), the first at the left,
    /// and the model's ticks between them where they fit with a space on each side.
    func xLabels(_ buffer: inout Buffer, row: Int, plot: Rect, xRange xr: ClosedRange<Double>, dotsWide: Int) {
        let first = NumberText.compact(xr.lowerBound), last = NumberText.compact(xr.upperBound)
        let lastWidth = last.unicodeScalars.count
        let lastStart = max(plot.x, plot.right - lastWidth)
        buffer.put(last, lastStart, row, labelStyle, maxWidth: plot.width)
        var taken = plot.x  // the first free column
        if first.unicodeScalars.count + 1 + lastWidth <= plot.width {
            buffer.put(first, plot.x, row, labelStyle)
            taken = plot.x + first.unicodeScalars.count + 1
        }
        let xSpan = xr.upperBound - xr.lowerBound
        guard xSpan > 0 else { return }
        let widest = max(first.unicodeScalars.count, lastWidth)
        let range = ChartRange(low: xr.lowerBound, high: xr.upperBound)
        let ticks = Ticks.of(range, scale: .linear, maxCount: max(2, plot.width / (widest + 3)))
        let dotsPerCell = glyphs.marker.dotsWide
        for t in ticks {
            let column = plot.x + Int((t.value - xr.lowerBound) / xSpan * Double(dotsWide - 1) + 0.5) / dotsPerCell
            let width = t.label.unicodeScalars.count
            let start = column - width / 2
            guard start >= taken, start + width + 2 <= lastStart else { continue }
            buffer.put(t.label, start, row, labelStyle)
            taken = start + width + 1
        }
    }
}
