import Foundation

/// One chart of a figure: frame, ticks, axis titles, reference lines, series and legend, in a
/// rectangle of the figure (points).
struct SVGPanel {
    let chart: ChartModel
    let id: String
    let x: Double, y: Double, width: Double, height: Double
    let letter: String
    /// The y-label and legend columns, shared by every panel of a figure so that their plots line up.
    var labelWidth: Double
    var legendWidth: Double

    init(chart: ChartModel, id: String, x: Double, y: Double, width: Double, height: Double, letter: String,
         labelWidth: Double? = nil, legendWidth: Double? = nil) {
        self.chart = chart
        self.id = id
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.letter = letter
        self.labelWidth = 0
        self.legendWidth = 0
        self.labelWidth = labelWidth ?? ownLabelWidth()
        self.legendWidth = legendWidth ?? legendColumnWidth()
    }

    static let laneHeight = 8.0

    /// The widest y label of this chart (ticks and lanes).
    func ownLabelWidth() -> Double {
        let labels = chart.y.ticks.map(SVGText.tickLabel) + lanes().map(\.label)
        return labels.map { SVGText.width($0, size: FigureStyle.tickFont) }.max() ?? 0
    }

    func svg() -> String {
        let c = chart
        let tickFont = FigureStyle.tickFont
        let left = x + 4 + FigureStyle.labelFont + 4 + labelWidth + 4
        let right = x + width - 4 - legendWidth
        let plotTop = y + FigureStyle.titleFont + 7
        let plotBottom = y + height - (tickFont + 3) - (FigureStyle.labelFont + 6)
        var s = "<g id=\"\(id)\">\n"
        s += "<text class=\"panel-title\" x=\"\(SVGText.n(x + 4))\" y=\"\(SVGText.n(y + FigureStyle.titleFont + 1))\">\(SVGText.escaped(letter + c.title))</text>\n"
        guard right - left > 20, plotBottom - plotTop > 20 else { return s + "</g>\n" }
        // The finite band, with lanes below (floor) and above (ceiling) when some value is off it.
        let floorLane = c.y.range.hasFloor, ceilingLane = c.y.range.hasCeiling
        let bandTop = plotTop + (ceilingLane ? Self.laneHeight + 3 : 0)
        let bandBottom = plotBottom - (floorLane ? Self.laneHeight + 3 : 0)
        let floorY = plotBottom - Self.laneHeight / 2, ceilingY = plotTop + Self.laneHeight / 2
        func px(_ v: Double) -> Double { left + c.x.fraction(ofAxisValue: v) * (right - left) }
        func pyAxis(_ a: Double) -> Double { bandBottom - c.y.fraction(ofAxisValue: a) * (bandBottom - bandTop) }
        func py(_ v: Double) -> Double? {
            switch c.y.position(v) {
            case .fraction(let f): return bandBottom - f * (bandBottom - bandTop)
            case .floor: return floorLane ? floorY : bandBottom
            case .ceiling: return ceilingLane ? ceilingY : bandTop
            case .gap: return nil
            }
        }

        // Axes: the left and bottom edges of the band; a lane is set off by a gap in the y axis.
        s += "<path class=\"axis\" d=\"M\(SVGText.n(left)),\(SVGText.n(bandTop))V\(SVGText.n(plotBottom))H\(SVGText.n(right))\"/>\n"
        for t in c.y.ticks {
            let ty = pyAxis(t.value)
            s += "<line class=\"tickmark\" x1=\"\(SVGText.n(left - 2.5))\" y1=\"\(SVGText.n(ty))\" x2=\"\(SVGText.n(left))\" y2=\"\(SVGText.n(ty))\"/>\n"
            s += "<text class=\"tick\" x=\"\(SVGText.n(left - 3.5))\" y=\"\(SVGText.n(ty + tickFont * 0.35))\" text-anchor=\"end\">\(SVGText.escaped(SVGText.tickLabel(t)))</text>\n"
        }
        for lane in lanes() {
            let ly = lane.floor ? floorY : ceilingY
            s += "<line class=\"tickmark\" x1=\"\(SVGText.n(left - 2.5))\" y1=\"\(SVGText.n(ly))\" x2=\"\(SVGText.n(left))\" y2=\"\(SVGText.n(ly))\"/>\n"
            s += "<text class=\"lane\" x=\"\(SVGText.n(left - 3.5))\" y=\"\(SVGText.n(ly + tickFont * 0.35))\" text-anchor=\"end\">\(SVGText.escaped(lane.label))</text>\n"
            let edge = lane.floor ? bandBottom + 1.5 : bandTop - 1.5
            s += "<line class=\"reference\" x1=\"\(SVGText.n(left))\" y1=\"\(SVGText.n(edge))\" x2=\"\(SVGText.n(right))\" y2=\"\(SVGText.n(edge))\"/>\n"
        }
        for t in c.x.ticks {
            let tx = px(t.value)
            s += "<line class=\"tickmark\" x1=\"\(SVGText.n(tx))\" y1=\"\(SVGText.n(plotBottom))\" x2=\"\(SVGText.n(tx))\" y2=\"\(SVGText.n(plotBottom + 2.5))\"/>\n"
            s += "<text class=\"tick\" x=\"\(SVGText.n(tx))\" y=\"\(SVGText.n(plotBottom + 3 + tickFont))\" text-anchor=\"middle\">\(SVGText.escaped(SVGText.tickLabel(t)))</text>\n"
        }
        let xTitleY = plotBottom + 3 + tickFont + FigureStyle.labelFont + 2
        s += "<text class=\"axis-title\" x=\"\(SVGText.n((left + right) / 2))\" y=\"\(SVGText.n(xTitleY))\" text-anchor=\"middle\">\(SVGText.escaped(c.x.title))</text>\n"
        let yTitleX = x + 4 + FigureStyle.labelFont
        let yMid = (bandTop + bandBottom) / 2
        s += "<text class=\"axis-title\" x=\"\(SVGText.n(yTitleX))\" y=\"\(SVGText.n(yMid))\" text-anchor=\"middle\" transform=\"rotate(-90 \(SVGText.n(yTitleX)) \(SVGText.n(yMid)))\">\(SVGText.escaped(c.y.title))</text>\n"

        // Reference lines under the series, dim, labelled at their right end.
        for r in c.references {
            guard case .fraction(let f) = c.y.position(r.value), f >= -1e-9, f <= 1 + 1e-9 else { continue }
            let ry = bandBottom - f * (bandBottom - bandTop)
            s += "<line class=\"reference\" x1=\"\(SVGText.n(left))\" y1=\"\(SVGText.n(ry))\" x2=\"\(SVGText.n(right))\" y2=\"\(SVGText.n(ry))\"/>\n"
            s += "<text class=\"reference-label\" x=\"\(SVGText.n(right - 1))\" y=\"\(SVGText.n(ry - 1.2))\" text-anchor=\"end\">\(SVGText.escaped(SVGText.minus(r.label)))</text>\n"
        }

        let cycle = StyleCycle.figure
        // Bands under the lines: a closed path along the high curve and back along the low one.
        for band in c.bands {
            let colour = FigureStyle.palette[cycle.style(band.style).colour % FigureStyle.palette.count]
            var top: [String] = [], bottom: [String] = []
            for i in 0..<min(band.xs.count, band.low.count, band.high.count) {
                guard band.xs[i].isFinite, let hy = py(band.high[i]), let ly = py(band.low[i]) else { continue }
                top.append("\(SVGText.n(px(band.xs[i]))),\(SVGText.n(hy))")
                bottom.append("\(SVGText.n(px(band.xs[i]))),\(SVGText.n(ly))")
            }
            guard !top.isEmpty else { continue }
            let d = "M" + top.joined(separator: "L") + "L" + bottom.reversed().joined(separator: "L") + "Z"
            s += "<path class=\"band\" fill=\"\(colour)\" fill-opacity=\"\(SVGText.n(band.opacity))\" stroke=\"none\" d=\"\(d)\"/>\n"
        }
        s += histogramsSVG(px: px, pyAxis: pyAxis, bandTop: bandTop, bandBottom: bandBottom)
        for series in c.series {
            let style = cycle.style(series.style)
            let colour = FigureStyle.palette[style.colour % FigureStyle.palette.count]
            let dash = FigureStyle.dashes[style.dash % FigureStyle.dashes.count]
            let path = SVGPath.of(series, x: px, y: py, onLane: { v in
                if case .fraction = c.y.position(v) { return false }
                return !v.isNaN
            }, columns: max(1, Int((right - left) * 2)), left: left, right: right)
            guard !path.d.isEmpty else { continue }
            s += "<path class=\"series\" stroke=\"\(colour)\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") d=\"\(path.d)\"><title>\(SVGText.escaped(series.label))</title></path>\n"
            // Where a series enters a lane: a marker, so that a value at the floor is seen as such.
            for m in path.laneMarks {
                s += "<circle cx=\"\(SVGText.n(m.x))\" cy=\"\(SVGText.n(m.y))\" r=\"1.3\" fill=\"#FFFFFF\" stroke=\"\(colour)\" stroke-width=\"0.6\"/>\n"
            }
        }
        s += scattersSVG(px: px, py: py, left: left, right: right, bandTop: bandTop, bandBottom: bandBottom)
        s += legend(left: right + 6, top: plotTop)
        return s + "</g>\n"
    }

    struct Lane { var floor: Bool; var label: String }

    func lanes() -> [Lane] {
        var out: [Lane] = []
        if chart.y.range.hasFloor { out.append(Lane(floor: true, label: chart.y.scale == .log10 ? "≤ 0" : "\u{2212}∞")) }
        if chart.y.range.hasCeiling { out.append(Lane(floor: false, label: "∞")) }
        return out
    }

    func legendColumnWidth() -> Double {
        guard !chart.legend.isEmpty else { return 0 }
        let text = chart.legend.map { e in SVGText.width(e.label + (e.value.map { " " + $0 } ?? ""), size: FigureStyle.tickFont) }.max() ?? 0
        return 14 + 3 + text + 4
    }

    func legend(left: Double, top: Double) -> String {
        guard !chart.legend.isEmpty else { return "" }
        let line = FigureStyle.tickFont + 1.6
        let rows = max(1, Int((y + height - top - 8) / line))
        var entries = chart.legend
        var note = chart.note
        if entries.count > rows {
            let hidden = entries.count - (rows - 1)
            entries = Array(entries.prefix(rows - 1))
            note = "+\(hidden) more"
        }
        let cycle = StyleCycle.figure
        var s = "<g class=\"legend\">\n"
        var yy = top + line * 0.6
        for e in entries {
            let style = cycle.style(e.style)
            let colour = FigureStyle.palette[style.colour % FigureStyle.palette.count]
            let dash = FigureStyle.dashes[style.dash % FigureStyle.dashes.count]
            switch e.mark {
            case .line:
                s += "<line class=\"series\" stroke=\"\(colour)\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") x1=\"\(SVGText.n(left))\" y1=\"\(SVGText.n(yy))\" x2=\"\(SVGText.n(left + 14))\" y2=\"\(SVGText.n(yy))\"/>\n"
            case .box:
                s += "<rect x=\"\(SVGText.n(left + 3))\" y=\"\(SVGText.n(yy - 3))\" width=\"8\" height=\"6\" fill=\"\(colour)\" fill-opacity=\"0.8\"/>\n"
            case .point:
                s += "<circle cx=\"\(SVGText.n(left + 7))\" cy=\"\(SVGText.n(yy))\" r=\"\(SVGText.n(Self.pointRadius + 0.4))\" fill=\"\(colour)\"/>\n"
            }
            let text = e.label + (e.value.map { " " + SVGText.minus($0) } ?? "")
            s += "<text class=\"legend\" x=\"\(SVGText.n(left + 17))\" y=\"\(SVGText.n(yy + FigureStyle.tickFont * 0.35))\">\(SVGText.escaped(text))</text>\n"
            yy += line
        }
        if let note {
            // Wrapped to the legend's column (at least the width of its widest entry).
            let limit = max(12, Int(legendWidth / (FigureStyle.tickFont * 0.62)))
            for line in SVGText.wrapped(note, limit: limit) {
                s += "<text class=\"legend\" x=\"\(SVGText.n(left))\" y=\"\(SVGText.n(yy + FigureStyle.tickFont * 0.35))\">\(SVGText.escaped(line))</text>\n"
                yy += line.isEmpty ? 0 : FigureStyle.tickFont + 1.6
            }
        }
        return s + "</g>\n"
    }
}
