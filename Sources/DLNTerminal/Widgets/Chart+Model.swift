import DLNCharts

extension Chart {
    /// A chart model drawn by the braille rasteriser: its series, reference lines, bands, bars and
    /// points, in the styles `style` gives each style index, over the model's own axis ranges.
    public init(model: ChartModel, glyphs: Glyphs, style: (Int) -> Style, referenceStyle: Style = .none,
                labelStyle: Style = .none, axisStyle: Style = .none) {
        let series = model.series.map {
            ChartSeries(name: $0.label, xs: $0.xs, ys: $0.ys, style: style($0.style), steps: $0.steps, styleIndex: $0.style)
        }
        let x = model.x.range
        self.init(series: series, scale: model.y.scale, xRange: x.hasFinite ? x.low...max(x.low, x.high) : nil,
                  glyphs: glyphs, labelStyle: labelStyle, axisStyle: axisStyle, yRange: model.y.range)
        references = model.references.map { ChartReference(value: $0.value, label: $0.label, style: referenceStyle) }
        bands = model.bands.map { ChartBand(xs: $0.xs, low: $0.low, high: $0.high, style: style($0.style), density: .of(opacity: $0.opacity)) }
        bars = model.histograms.map { ChartBars(edges: $0.edges, counts: $0.counts, style: style($0.style)) }
        points = model.scatters.map { ChartPoints(xs: $0.xs, ys: $0.ys, style: style($0.style)) }
    }
}
