import DLNCharts
import Foundation

/// Chart models of a study's summary: histograms of the members' statistics (one per point, on
/// shared bins) and, for d = 2, the members' limits (W12, W21) against the hyperbola W12 W21 = 1.
public struct StudySummaryCharts {
    public var summary: StudySummary
    /// The study's energy (study.json), nil when unknown: the hyperbola is the two-by-two problem's.
    public var energy: String?
    /// Bins per histogram; nil: `Histogram.defaultBins` of the members per point.
    public var bins: Int?

    public init(summary: StudySummary, energy: String?, bins: Int?) {
        self.summary = summary
        self.energy = energy
        self.bins = bins
    }

    public static let limitsChart = "limits"

    /// Every statistic the summary holds with at least one value.
    public var available: [SummaryStatistic] {
        var out: [SummaryStatistic] = [.column("effective_rank"), .column("numerical_rank")]
        if summary.size >= 2 { out.append(.sigmaRatio) }
        out += (1...max(1, summary.size)).map { .column("t_rank_\($0)") }
        out += [.column("error"), .column("error_unobserved")]
        return out.filter { $0.values(summary)?.contains(where: \.isFinite) ?? false }
    }

    /// The default histograms: every statistic held, the rank jumps up to rank 3.
    public var defaults: [SummaryStatistic] {
        available.filter { s in
            guard case .column(let c) = s, c.hasPrefix("t_rank_"), let r = Int(c.dropFirst(7)) else { return true }
            return r <= 3
        }
    }

    public var hasLimits: Bool {
        summary.size == 2 && summary.columns.contains("w_1_2") && summary.columns.contains("w_2_1")
    }

    public var chartNames: [String] { available.map(\.chartName) + (hasLimits ? [Self.limitsChart] : []) }
    public var defaultChartNames: [String] { defaults.map(\.chartName) + (hasLimits ? [Self.limitsChart] : []) }

    public func model(_ chart: String) -> ChartModel? {
        if chart == Self.limitsChart { return hasLimits ? limits() : nil }
        guard let stat = available.first(where: { $0.chartName == chart }) else { return nil }
        return histogram(stat)
    }

    /// Rows of each point, in file order.
    var pointRows: [(label: String, rows: [Int])] {
        let ids = summary.strings("point") ?? []
        let points = summary.points
        return points.map { p in
            let label = points.count > 1 ? "point \(p.id)" + (p.label.isEmpty ? "" : " (\(p.label))") : "members"
            return (label, ids.indices.filter { ids[$0] == p.id })
        }
    }

    /// Bins shared by every point: unit bins centred on the integers for a statistic that takes
    /// integer values only (a numerical rank), else equal bins over the values' extent.
    public func histogram(_ stat: SummaryStatistic) -> ChartModel {
        let all = stat.values(summary) ?? []
        let finite = all.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let integers = !finite.isEmpty && finite.allSatisfy { $0 == $0.rounded() } && hi - lo <= 40
        let perPoint = pointRows
        let n = bins ?? Histogram.defaultBins(count: perPoint.map { $0.rows.filter { all[$0].isFinite }.count }.max() ?? finite.count)
        let range = integers ? (lo - 0.5)...(hi + 0.5) : lo...hi
        let count = integers ? Int(hi - lo) + 1 : n
        var histograms: [Histogram] = []
        for (k, p) in perPoint.enumerated() {
            histograms.append(Histogram.counting(p.rows.map { all[$0] }, bins: count, range: range, label: p.label, style: k))
        }
        let missing = histograms.map(\.excluded).reduce(0, +)
        var note: String? = nil
        if missing > 0 {
            let why: String
            if case .column(let c) = stat, c.hasPrefix("t_rank_") { why = "never reached it" } else { why = "have no value" }
            note = "\(missing) of \(all.count) members \(why)"
        }
        return ChartModel.histogram(title: stat.title, xTitle: stat.axisTitle, yTitle: "members", histograms: histograms,
                                    note: note, widen: true)
    }

    /// The members' last (W12, W21), one cloud per point, over the hyperbola W12 W21 = 1 (the
    /// rank-one completions of the two-by-two problem, the paper's section 14) when the study's
    /// energy is two-by-two or unknown.
    public func limits() -> ChartModel {
        let x = summary.numbers("w_1_2") ?? [], y = summary.numbers("w_2_1") ?? []
        let scatters = pointRows.enumerated().map { k, p in
            Scatter(label: p.label, xs: p.rows.map { x[$0] }, ys: p.rows.map { y[$0] }, style: k)
        }
        let fx = x.filter(\.isFinite), fy = y.filter(\.isFinite)
        let hyperbola = energy.map { ["twoByTwo", "two-by-two"].contains($0) } ?? true
        // The frame: the points' box, and (-1.2, 1.2) squared so both corners of the curve show.
        func box(_ v: [Double]) -> ChartRange {
            var r = ChartRange(low: min(v.min() ?? -1.2, hyperbola ? -1.2 : .infinity), high: max(v.max() ?? 1.2, hyperbola ? 1.2 : -.infinity))
            if !(r.high > r.low) { r.low -= 0.5; r.high += 0.5 }
            return r.widenedToTicks(scale: .linear, maxTicks: 6)
        }
        let xr = box(fx), yr = box(fy)
        var series: [Series] = []
        var note: String? = nil
        if hyperbola {
            // Both branches, sampled on x; a point of the curve outside the frame is a gap.
            var xs: [Double] = [], ys: [Double] = []
            for branch in [-1.0, 1.0] {
                let a = branch < 0 ? xr.low : max(xr.low, 1e-9), b = branch < 0 ? min(xr.high, -1e-9) : xr.high
                guard b > a else { continue }
                for i in 0...400 {
                    let v = a + (b - a) * Double(i) / 400
                    let w = 1 / v
                    xs.append(v)
                    ys.append(w >= yr.low && w <= yr.high ? w : .nan)
                }
                xs.append(.nan); ys.append(.nan)
            }
            series.append(Series(label: "W12 W21 = 1", xs: xs, ys: ys, style: scatters.count))
        } else {
            note = "W12 W21 = 1 is the two-by-two problem's; this study's energy is \(energy ?? "")"
        }
        var legend = series.map { LegendEntry(label: $0.label, style: $0.style) }
        legend += scatters.map { LegendEntry(label: $0.label, style: $0.style, mark: .point) }
        let missing = x.indices.filter { !(x[$0].isFinite && y[$0].isFinite) }.count
        if missing > 0 { note = (note.map { $0 + "; " } ?? "") + "\(missing) members without a finite limit" }
        return ChartModel.scatter(title: "limits (W12, W21) of the members", xTitle: "W12", yTitle: "W21", scatters: scatters,
                                  series: series, xRange: xr.low...xr.high, yRange: yr.low...yr.high, legend: legend, note: note)
    }
}
