import DLNCharts
import DLNStudy

/// The ensemble view's charts as chart models built from the ensemble frame: pure functions, so the
/// braille rasteriser (Chart(model:)) draws them on the screen and the SVG renderer in a snapshot,
/// the same bands, bars and points in both.
enum EnsembleCharts {
    /// The quantile bands of the named quantities against time, style index k for names[k]: each
    /// the 5-95% band, the 25-75% band and the median line (Band.quantiles). The x axis runs to
    /// `xRange`'s end (the horizon, so the bands grow to the right); a log y axis only where every
    /// 5% quantile is positive.
    static func bands(_ f: EnsembleFrame, names: [String], title: String, log: Bool, includeZero: Bool = false,
                      xRange: ClosedRange<Double>) -> ChartModel {
        var series: [Series] = [], bands: [Band] = []
        for (k, name) in names.enumerated() {
            guard let b = f.band(name) else { continue }
            let q = Band.quantiles(label: name, xs: f.times, q05: b.q05, q25: b.q25, q50: b.q50, q75: b.q75, q95: b.q95, style: k)
            bands += q.bands
            series.append(q.median)
        }
        var model = ChartModel.fitted(title: title, xTitle: "t", yTitle: title, series: series, scale: log ? .log10 : .linear,
                                      includeZero: includeZero, bands: bands)
        model.x = Axis(scale: .linear, range: ChartRange(low: xRange.lowerBound, high: xRange.upperBound), title: "t", maxTicks: 6)
        return model
    }

    /// The histogram of a member statistic over the members that have a value: integer statistics
    /// (the numerical rank) one unit bin per integer, centred on it; the others about sqrt(n) equal
    /// bins over the values' extent (Histogram.defaultBins).
    static func histogram(_ values: [Double], _ statistic: EnsembleStatistic) -> ChartModel {
        let histogram: Histogram
        let finite = values.filter(\.isFinite)
        if statistic.integers, let lo = finite.min(), let hi = finite.max() {
            let low = lo.rounded(), high = max(low, hi.rounded())
            histogram = Histogram.counting(finite.map { $0.rounded() }, bins: Int(high - low) + 1,
                                           range: (low - 0.5)...(high + 0.5), label: statistic.name, style: 0)
        } else {
            histogram = Histogram.counting(values, bins: Histogram.defaultBins(count: finite.count), label: statistic.name, style: 0)
        }
        return ChartModel.histogram(title: "histogram " + statistic.name, xTitle: statistic.name, histograms: [histogram])
    }

    /// The values of a statistic over the members that have one (failed members have none).
    static func values(_ f: EnsembleFrame, _ statistic: EnsembleStatistic) -> [Double] {
        f.members.compactMap { statistic.value($0) }
    }

    /// For d = 2: the (W12, W21) of the members that have not failed, over the hyperbola W12 W21 = 1
    /// that balanced members reach (both branches, |W12| from 1/R to R where R bounds the points).
    static func cloud(_ f: EnsembleFrame) -> ChartModel {
        let members = f.members.filter { !$0.failed }
        let points = Scatter(label: "members", xs: members.map(\.w12), ys: members.map(\.w21), style: 0)
        let reach = max(1.5, (points.xs + points.ys).filter(\.isFinite).map { abs($0) }.max() ?? 1.5)
        let xs = (0...40).map { 1 / reach + (reach - 1 / reach) * Double($0) / 40 }
        let curves = [Series(label: "W12 W21 = 1", xs: xs, ys: xs.map { 1 / $0 }, style: 1),
                      Series(label: "", xs: xs.map { -$0 }.reversed(), ys: xs.map { -1 / $0 }.reversed(), style: 1)]
        return ChartModel.scatter(title: "(W12, W21) of \(members.count) members", xTitle: "W12", yTitle: "W21", scatters: [points],
                                  series: curves, xRange: -reach...reach, yRange: -reach...reach,
                                  legend: [LegendEntry(label: "members", style: 0, mark: .point), LegendEntry(label: "W12 W21 = 1", style: 1)])
    }

    /// The quantities under the singular values, as the view's bottom row shows them: (band name,
    /// title, log axis, from 0); the error only with a ground truth.
    static func lowerQuantities(groundTruth: Bool) -> [(name: String, title: String, log: Bool, zero: Bool)] {
        [("energy", "energy E", true, false), ("effective_rank", "effective rank", false, true)]
            + (groundTruth ? [("error", "error ||W-A||/||A||", true, false)] : [])
    }

    /// Whether the members have a ground-truth error to show (a finite median somewhere).
    static func hasGroundTruth(_ f: EnsembleFrame) -> Bool {
        f.band("error").map { $0.q50.contains { $0.isFinite } } ?? false
    }

    /// A log axis only where every 5% quantile of the band is positive.
    static func logFits(_ f: EnsembleFrame, _ name: String) -> Bool {
        f.band(name).map { !$0.q05.contains { $0 <= 0 } } ?? true
    }

    /// The time axis: 0 to the horizon (or the last saved time, if later).
    static func xRange(_ f: EnsembleFrame) -> ClosedRange<Double> {
        0...max(Double(f.parameters.steps) * f.parameters.dt, f.times.last ?? 0, 1e-12)
    }

    /// Every chart of the view, for a snapshot's SVG: the singular values' bands, the lower
    /// quantities' bands, the statistic's histogram and (d = 2) the cloud.
    static func all(_ f: EnsembleFrame, logSigma: Bool, statistic: EnsembleStatistic, sigma: String = "σ") -> [ChartModel] {
        let truth = hasGroundTruth(f)
        let names = (1...max(1, min(f.size, 4))).map { "sigma_\($0)" }
        var out = [bands(f, names: names, title: "singular values \(sigma)_k", log: logSigma, xRange: xRange(f))]
        for q in lowerQuantities(groundTruth: truth) {
            out.append(bands(f, names: [q.name], title: q.title, log: q.log && logFits(f, q.name), includeZero: q.zero, xRange: xRange(f)))
        }
        out.append(histogram(values(f, statistic), statistic))
        if f.size == 2 { out.append(cloud(f)) }
        return out
    }
}
