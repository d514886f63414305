import DLNCharts
import DLNEngine
import DLNStudy

/// Compared ensembles' charts (`--compare` with `--members`) as chart models, style index r for
/// configuration r, so the screen and a snapshot's SVG draw the same. Two to four configurations
/// overlaid stay readable with less than a single ensemble's five quantiles: each configuration
/// draws its median line and its 25-75% band (no 5-95% band), the histograms are outlines over
/// common bins (bars would hide each other), the clouds one colour per configuration.
enum EnsembleComparisonCharts {
    /// The bands of the named quantities of every configuration: for frame r and each name, the
    /// 25-75% band and the median, style r. The x axis is the horizon's (the longest).
    static func bands(_ frames: [EnsembleFrame], names: [String], title: String, log: Bool, includeZero: Bool = false,
                      xRange: ClosedRange<Double>) -> ChartModel {
        var series: [Series] = [], bands: [Band] = []
        for (r, f) in frames.enumerated() {
            for name in names {
                guard let b = f.band(name) else { continue }
                bands.append(Band(xs: f.times, low: b.q25, high: b.q75, style: r, opacity: Band.innerOpacity))
                series.append(Series(label: name, xs: f.times, ys: b.q50, style: r))
            }
        }
        var model = ChartModel.fitted(title: title, xTitle: "t", yTitle: title, series: series, scale: log ? .log10 : .linear,
                                      includeZero: includeZero, bands: bands)
        model.x = Axis(scale: .linear, range: ChartRange(low: xRange.lowerBound, high: xRange.upperBound), title: "t", maxTicks: 6)
        return model
    }

    /// One histogram outline per configuration over bins every configuration shares (the single
    /// view's rule over all the values: unit bins for an integer statistic, else about sqrt(n) for
    /// the largest configuration's n), as step lines from 0 up each bin and back to 0, style r.
    static func histogram(_ values: [[Double]], _ statistic: EnsembleStatistic, labels: [String]) -> ChartModel {
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let common: ChartModel
        var histograms: [Histogram] = []
        if statistic.integers, let lo = finite.min(), let hi = finite.max() {
            let low = lo.rounded(), high = max(low, hi.rounded())
            for (r, v) in values.enumerated() {
                histograms.append(Histogram.counting(v.filter(\.isFinite).map { $0.rounded() }, bins: Int(high - low) + 1,
                                                     range: (low - 0.5)...(high + 0.5), label: labels[r], style: r))
            }
        } else {
            let range = finite.min().flatMap { lo in finite.max().map { hi in lo...max(lo, hi) } }
            let bins = Histogram.defaultBins(count: values.map { $0.filter(\.isFinite).count }.max() ?? 0)
            for (r, v) in values.enumerated() {
                histograms.append(Histogram.counting(v, bins: bins, range: range.map { $0.upperBound > $0.lowerBound ? $0 : ($0.lowerBound - 0.5)...($0.upperBound + 0.5) },
                                                     label: labels[r], style: r))
            }
        }
        common = ChartModel.histogram(title: "histogram " + statistic.name, xTitle: statistic.name, histograms: histograms,
                                      legend: labels.enumerated().map { LegendEntry(label: $0.element, style: $0.offset) })
        var model = common
        model.histograms = []
        model.series = histograms.map(outline)
        return model
    }

    /// A histogram as its outline: (e0, 0) up to c0, across each bin, down to 0 after the last.
    static func outline(_ h: Histogram) -> Series {
        let n = min(h.counts.count, h.edges.count - 1)
        guard n > 0 else { return Series(label: h.label, xs: [], ys: [], style: h.style, steps: true) }
        let xs = [h.edges[0]] + Array(h.edges[0..<n]) + [h.edges[n], h.edges[n]]
        let ys = [0] + Array(h.counts[0..<n]) + [h.counts[n - 1], 0]
        return Series(label: h.label, xs: xs, ys: ys, style: h.style, steps: true)
    }

    /// For d = 2: every configuration's (W12, W21) cloud, style r, over the hyperbola (style
    /// `frames.count`).
    static func cloud(_ frames: [EnsembleFrame], labels: [String]) -> ChartModel {
        let clouds = frames.map { EnsembleCharts.cloud($0) }
        let reach = clouds.map { $0.x.range.high }.max() ?? 1.5
        let k = frames.count
        let scatters = clouds.enumerated().map { r, c in
            Scatter(label: labels[r], xs: c.scatters[0].xs, ys: c.scatters[0].ys, style: r)
        }
        let xs = (0...40).map { 1 / reach + (reach - 1 / reach) * Double($0) / 40 }
        let curves = [Series(label: "W12 W21 = 1", xs: xs, ys: xs.map { 1 / $0 }, style: k),
                      Series(label: "", xs: xs.map { -$0 }.reversed(), ys: xs.map { -1 / $0 }.reversed(), style: k)]
        let members = frames.map { f in f.members.filter { !$0.failed }.count }
        return ChartModel.scatter(title: "(W12, W21): " + zip(labels, members).map { "\($0) \($1)" }.joined(separator: ", "),
                                  xTitle: "W12", yTitle: "W21", scatters: scatters, series: curves,
                                  xRange: -reach...reach, yRange: -reach...reach,
                                  legend: labels.enumerated().map { LegendEntry(label: $0.element, style: $0.offset, mark: .point) }
                                    + [LegendEntry(label: "W12 W21 = 1", style: k)])
    }

    /// Every chart of the compared view, for a snapshot's SVG.
    static func all(_ frames: [EnsembleFrame], logSigma: Bool, statistic: EnsembleStatistic, sigma: String = "σ") -> [ChartModel] {
        let f = frames[0]
        let labels = Comparison.labels(frames.map(\.parameters))
        let truth = frames.contains(where: EnsembleCharts.hasGroundTruth)
        let x = xRange(frames)
        let names = (1...max(1, min(f.size, 4))).map { "sigma_\($0)" }
        var out = [bands(frames, names: names, title: "singular values \(sigma)_k", log: logSigma, xRange: x)]
        for q in EnsembleCharts.lowerQuantities(groundTruth: truth) {
            out.append(bands(frames, names: [q.name], title: q.title, log: q.log && frames.allSatisfy { EnsembleCharts.logFits($0, q.name) },
                             includeZero: q.zero, xRange: x))
        }
        out.append(histogram(frames.map { EnsembleCharts.values($0, statistic) }, statistic, labels: labels))
        if f.size == 2 { out.append(cloud(frames, labels: labels)) }
        return out
    }

    /// The time axis over every configuration (each its own dt).
    static func xRange(_ frames: [EnsembleFrame]) -> ClosedRange<Double> {
        0...(frames.map { EnsembleCharts.xRange($0).upperBound }.max() ?? 1)
    }
}
