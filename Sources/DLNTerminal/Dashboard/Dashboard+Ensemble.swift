import DLNCharts
import DLNEngine
import DLNStudy
import Foundation

/// The ensemble view (`e`, `--members M`): quantile bands (5-95% stippled, 25-75% filled, the
/// median a line) of the singular values, E, the effective rank and the ground-truth error against
/// time; a histogram of a member statistic (`h`); for d = 2 the members' (W12, W21) on the
/// hyperbola panel; the counts, the rate and the rank-one fraction with its 95% interval (Wilson).
extension Dashboard {
    static let ensemblePanelRows = 17

    static func renderEnsemble(_ input: DashboardInput, _ e: EnsembleWorkerFrame, width: Int, height: Int) -> Buffer {
        if !e.others.isEmpty { return renderComparedEnsemble(input, e, width: width, height: height) }
        let theme = input.theme
        var buffer = Buffer(width: width, height: height, fill: Cell(" ", fg: theme.color(.mainFg), bg: theme.color(.mainBg)))
        let s = Styles(theme: theme)
        let f = e.ensemble
        let truth = EnsembleCharts.hasGroundTruth(f)
        let cloud = f.size == 2
        // The bottom row: E and the effective rank, the error where there is a ground truth, and
        // (d = 2, whose right column holds the cloud) the histogram.
        guard let layout = DashboardLayout.compute(width: width, height: height, lowerCharts: 2 + (cloud ? 1 : 0),
                                                   extraCharts: truth ? 1 : 0, parameterRows: ensemblePanelRows(e)) else {
            tooSmall(&buffer, s, width: width, height: height)
            return buffer
        }
        let xRange = EnsembleCharts.xRange(f)
        // Singular values: one band per sigma_k (at most four).
        let sigmaNames = (1...max(1, min(f.size, 4))).map { "sigma_\($0)" }
        let logSigma = input.view.logSigma
        bandPanel(&buffer, input, s, e, names: sigmaNames, title: "singular values \(input.glyphs.sigma)_k",
                  log: logSigma, xRange: xRange, area: layout.sigma)
        let lower = EnsembleCharts.lowerQuantities(groundTruth: truth)
        let statistic = EnsembleStatistic.chosen(input.view.statistic, size: f.size, groundTruth: truth)
        // The histogram is the last chart of the row, after the bands that fit.
        let bandAreas = cloud ? Array(layout.lower.dropLast()) : layout.lower
        if cloud, let last = layout.lower.last { histogramPanel(&buffer, input, s, e, statistic, area: last) }
        for (i, area) in bandAreas.enumerated() {
            if i < lower.count {
                let (name, title, log, zero) = lower[i]
                bandPanel(&buffer, input, s, e, names: [name], title: title, log: log && EnsembleCharts.logFits(f, name), includeZero: zero,
                          xRange: xRange, area: area)
            }
        }
        ensemblePanel(&buffer, input, s, e, area: layout.parameters)
        if cloud {
            cloudPanel(&buffer, input, s, e, area: layout.matrix)
        } else {
            histogramPanel(&buffer, input, s, e, statistic, area: layout.matrix)
        }
        footer(&buffer, input, s, area: layout.footer)
        if input.view.helpShown { helpOverlay(&buffer, input, s) }
        return buffer
    }

    /// The bands of the named quantities in one box, each in its series colour.
    static func bandPanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ e: EnsembleWorkerFrame, names: [String],
                          title: String, log: Bool, includeZero: Bool = false, xRange: ClosedRange<Double>, area: Rect) {
        let f = e.ensemble
        let axis = log ? "log" : "linear"
        let median = names.compactMap { f.band($0)?.q50.last }.map { NumberText.compact($0) }.joined(separator: ", ")
        let inner = box(&buffer, input, s, titles: [
            [Span(title, s.title), Span(" median " + median, s.text), Span("  5-25-50-75-95%, \(axis)", s.label)],
            [Span(title, s.title), Span(" median " + median, s.text)], [Span(title, s.title)],
        ], area)
        guard !inner.isEmpty else { return }
        let model = EnsembleCharts.bands(f, names: names, title: title, log: log, includeZero: includeZero, xRange: xRange)
        func colour(_ k: Int) -> Style {
            let name = names[min(k, names.count - 1)]
            return Style(fg: names.count > 1 ? input.theme.series(k)
                : input.theme.color(name == "energy" ? .energy : name == "effective_rank" ? .effectiveRank : .series1))
        }
        bandChart(model, glyphs: input.glyphs, colour: colour, median: Style(fg: input.theme.color(.hiFg), attributes: .bold),
                  labelStyle: s.label, axisStyle: s.border).render(into: &buffer, area: inner)
    }

    /// A band model drawn as the ensemble view draws it: the 5-95% band dim, the 25-75% band in the
    /// quantity's colour, every median in `median`, the time axis named t.
    static func bandChart(_ model: ChartModel, glyphs: Glyphs, colour: (Int) -> Style, median: Style, labelStyle: Style,
                          axisStyle: Style) -> Chart {
        var chart = Chart(model: model, glyphs: glyphs, style: colour, labelStyle: labelStyle, axisStyle: axisStyle)
        for i in chart.bands.indices where chart.bands[i].density == .quarter {
            chart.bands[i].style.attributes = chart.bands[i].style.attributes.map { $0.union(.dim) } ?? .dim
        }
        for i in chart.series.indices { chart.series[i].style = median }
        chart.xName = "t"
        return chart
    }

    static func histogramPanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ e: EnsembleWorkerFrame,
                               _ statistic: EnsembleStatistic, area: Rect) {
        let members = e.ensemble.members
        let values = EnsembleCharts.values(e.ensemble, statistic)
        let missing = members.filter { !$0.failed }.count - values.count
        let note = missing > 0 ? ", \(missing) " + (statistic.isRankTime ? "not yet" : "without") : ""
        let inner = box(&buffer, input, s, titles: [
            [Span("histogram ", s.title), Span(statistic.name, s.text), Span("  n \(values.count)\(note)  h: next", s.label)],
            [Span("histogram ", s.title), Span(statistic.name, s.text)], [Span(statistic.name, s.text)],
        ], area)
        guard !inner.isEmpty else { return }
        guard values.contains(where: \.isFinite) else {
            buffer.put("no values yet", inner.x, inner.y, s.label, maxWidth: inner.width)
            return
        }
        Chart(model: EnsembleCharts.histogram(values, statistic), glyphs: input.glyphs, style: { _ in Style(fg: input.theme.series(2)) },
              labelStyle: s.label, axisStyle: s.border).render(into: &buffer, area: inner)
    }

    static func cloudPanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ e: EnsembleWorkerFrame, area: Rect) {
        let cloud = EnsembleCharts.cloud(e.ensemble).scatters[0]
        let points = Array(zip(cloud.xs, cloud.ys))
        let inner = box(&buffer, input, s, titles: [
            [Span("(W12, W21) of \(points.count) members", s.title), Span("  W12 W21 = 1", s.label)],
            [Span("(W12, W21) of \(points.count) members", s.title)], [Span("(W12, W21)", s.title)],
        ], area)
        guard inner.width >= 4, inner.height >= 2 else { return }
        var view = HyperbolaView(trail: [], glyphs: input.glyphs, axisStyle: s.border, curveStyle: s.label,
                                 trailStyle: Style(fg: input.theme.series(0)), markStyle: s.key,
                                 pointStyle: Style(fg: input.theme.color(.warningFg), attributes: .bold), labelStyle: s.label)
        view.cloud = points
        view.cloudStyle = Style(fg: input.theme.series(0), attributes: .bold)
        view.render(into: &buffer, area: inner)
    }

    /// The panel's height with its border: two rows more under `--until-ci` (which members the
    /// fraction counts, and the interval's width against W).
    static func ensemblePanelRows(_ e: EnsembleWorkerFrame) -> Int { ensemblePanelRows + (e.untilCI == nil ? 0 : 2) }

    static func ensemblePanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ e: EnsembleWorkerFrame, area: Rect) {
        let f = e.ensemble
        let p = f.parameters
        let inner = box(&buffer, input, s, [Span("ensemble", s.title), Span(" (e: single run)", s.label)], area)
        let counted = EnsemblePanelText.counted(f, untilCI: e.untilCI)
        let finished = f.count - f.running
        let converged = f.count(.ok), notConverged = f.count(.notConverged)
        let rankOne = counted.rankOne
        let interval = rankOne.interval.map { NumberText.format("[%.1f%%, %.1f%%]", 100 * $0.low, 100 * $0.high) } ?? "n/a"
        let ratio = "\(input.glyphs.sigma)2/\(input.glyphs.sigma)1"
        // Short rows: the right column is 28 to 44 columns wide; each value has shorter forms.
        var rows: [KeyValuePanel.Row] = [
            .init("members", "\(f.count) on \(e.jobs) thread\(e.jobs == 1 ? "" : "s")", shorter: ["\(f.count), \(e.jobs) thread\(e.jobs == 1 ? "" : "s")", "\(f.count)"]),
            e.untilConverged == nil ? .init("finished", "\(finished - f.failed)")
                : .init("finished", "\(finished - f.failed) (\(converged) conv., \(notConverged) not)", shorter: ["\(converged) conv., \(notConverged) not", "\(converged) c., \(notConverged) not"]),
            .init("failed", "\(f.failed)"),
            .init("running", "\(f.running)"),
            EnsemblePanelText.rate(e.rate),
            .init("step, t", "\(f.step), " + NumberText.compact(f.time, digits: 5)),
            EnsemblePanelText.flow([p.flow.rawValue], size: p.size, depths: [p.depthText]),
            .init("beta, kappa", NumberText.compact(p.beta, digits: 4) + ", " + NumberText.compact(p.kappa, digits: 4)),
            EnsemblePanelText.method([p]),
            .init("rank one", "\(rankOne.successes)/\(rankOne.total) = " + (rankOne.total > 0 ? NumberText.format("%.1f%%", 100 * rankOne.value) : "n/a")),
        ]
        if let first = counted.first { rows.append(.init("", first + " members", shorter: [first])) }
        rows += [.init("", "95% CI (Wilson)", shorter: ["95% CI, Wilson"]), .init("", interval)]
        if let w = e.untilCI { rows.append(EnsemblePanelText.untilCI(w, width: EnsembleWorker.untilCIWidth([f]))) }
        rows += [
            .init("", (counted.limits ? "limits" : "now") + ": \(ratio)<0.05", shorter: [(counted.limits ? "limits " : "now ") + ratio + "<.05", ratio + "<0.05"]),
            EnsemblePanelText.ranks(counted.numericalRanks),
            EnsemblePanelText.state(stopped: e.stopped, finished: f.running == 0, paused: e.paused, style: s.paused),
        ]
        KeyValuePanel(rows: rows, keyStyle: s.label, valueStyle: s.text).render(into: &buffer, area: inner)
    }
}

extension EnsembleStatistic {
    var isRankTime: Bool { if case .rankTime = self { return true } else { return false } }
}
