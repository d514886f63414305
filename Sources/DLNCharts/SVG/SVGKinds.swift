/// The chart kinds beyond lines, as SVG: histogram bars (one <rect class="bar"> per bin, from 0 to
/// its count) and point clouds (one <circle class="point"> per point with finite coordinates).
extension SVGPanel {
    static let pointRadius = 1.1

    func colour(_ style: Int) -> String {
        FigureStyle.palette[StyleCycle.figure.style(style).colour % FigureStyle.palette.count]
    }

    /// Bars under the series: x from the bin's edges, y from the count down to 0 (the band's bottom
    /// when 0 is below the axis). Several histograms overlap, so each is half transparent.
    func histogramsSVG(px: (Double) -> Double, pyAxis: (Double) -> Double, bandTop: Double, bandBottom: Double) -> String {
        var s = ""
        let opacity = chart.histograms.count > 1 ? 0.5 : 0.8
        let base = min(bandBottom, max(bandTop, pyAxis(max(0, chart.y.range.low))))
        for h in chart.histograms {
            s += "<g class=\"histogram\" fill=\"\(colour(h.style))\" fill-opacity=\"\(SVGText.n(opacity))\" stroke=\"#FFFFFF\" stroke-width=\"0.5\"><title>\(SVGText.escaped(h.label))</title>\n"
            for i in 0..<min(h.counts.count, h.edges.count - 1) {
                let x0 = px(h.edges[i]), x1 = px(h.edges[i + 1])
                let c = h.counts[i].isFinite ? max(0, h.counts[i]) : 0
                let top = min(base, max(bandTop, pyAxis(c)))
                s += "<rect class=\"bar\" x=\"\(SVGText.n(x0))\" y=\"\(SVGText.n(top))\" width=\"\(SVGText.n(max(0, x1 - x0)))\" height=\"\(SVGText.n(base - top))\"/>\n"
            }
            s += "</g>\n"
        }
        return s
    }

    /// Points over the series; a point off the axes' ranges is not drawn.
    func scattersSVG(px: (Double) -> Double, py: (Double) -> Double?, left: Double, right: Double, bandTop: Double,
                     bandBottom: Double) -> String {
        var s = ""
        for c in chart.scatters {
            s += "<g class=\"scatter\" fill=\"\(colour(c.style))\" fill-opacity=\"0.75\" stroke=\"none\"><title>\(SVGText.escaped(c.label))</title>\n"
            for i in 0..<min(c.xs.count, c.ys.count) {
                guard c.xs[i].isFinite, c.ys[i].isFinite, let y = py(c.ys[i]) else { continue }
                let x = px(c.xs[i])
                guard x >= left - 1e-6, x <= right + 1e-6, y >= bandTop - 1e-6, y <= bandBottom + 1e-6 else { continue }
                s += "<circle class=\"point\" cx=\"\(SVGText.n(x))\" cy=\"\(SVGText.n(y))\" r=\"\(SVGText.n(Self.pointRadius))\"/>\n"
            }
            s += "</g>\n"
        }
        return s
    }
}
