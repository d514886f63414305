import DLNCharts
import DLNEngine
import DLNFigures
import Foundation

/// A finished study as the replay shows it: its quantile bands up to the player's time (one
/// position per saved time of the grid), the histogram of one member statistic at a time, and for
/// d = 2 the members' limits on the hyperbola. Read-only: nothing is integrated.
public final class RecordedStudy {
    public let figure: StudyFigure
    public let times: [Double]
    public private(set) var player: ReplayPlayer
    /// Which of the summary's histograms is shown (`h` moves on).
    public private(set) var histogram = 0

    public init(dir: String) throws(DataFileError) {
        figure = try StudyFigure.load(dir: dir)
        times = figure.quantiles?.times ?? []
        player = ReplayPlayer(count: max(1, times.count))
    }

    public func update(_ change: (inout ReplayPlayer) -> Void) { change(&player) }

    /// The study's time at the player's position (nil without quantiles).
    public var time: Double? { times.isEmpty ? nil : times[min(player.position, times.count - 1)] }

    public var histograms: [String] { figure.summary?.available.map(\.chartName) ?? [] }

    public func nextHistogram() { histogram = histograms.isEmpty ? 0 : (histogram + 1) % histograms.count }

    public var histogramName: String? { histograms.isEmpty ? nil : histograms[histogram % histograms.count] }

    /// The quantile charts with data, the sigma chart first.
    public var quantileCharts: [String] {
        guard let q = figure.quantiles else { return [] }
        let names = q.chartNames.filter(q.hasData)
        return names.filter { $0 == "sigma" } + names.filter { $0 != "sigma" }
    }

    /// The panels at the current time: (title, model) in screen order.
    public func models(logSigma: Bool) -> [(name: String, model: ChartModel)] {
        var out: [(name: String, model: ChartModel)] = []
        if let q = figure.quantiles, let t = time {
            let cut = q.truncated(through: t)
            for name in quantileCharts {
                var scale: AxisScale? = nil
                if name == "sigma" { scale = logSigma ? .log10 : .linear }
                var m = cut.model(name, scale: scale)
                // The axes keep the whole study's extent: the bands grow across them.
                let whole = q.model(name, scale: scale)
                m.x = whole.x
                m.y = whole.y
                out.append((name, m))
            }
        }
        if let s = figure.summary, let h = histogramName, let m = s.model(h) { out.append((h, m)) }
        if let s = figure.summary, s.hasLimits { out.append((StudySummaryCharts.limitsChart, s.limits())) }
        return out
    }
}
