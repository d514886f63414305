import DLNCharts
import DLNEngine
import DLNStudy
import Foundation

/// Compared ensembles (`--compare ... --members M`): the ensemble view's charts with every
/// configuration overlaid in its run colour and dash (the single-run comparison's), each drawing
/// its median line and 25-75% band; the histograms as outlines over common bins; for d = 2 one
/// cloud per configuration; the panel gives each configuration's rank-one fraction with its 95%
/// interval (Wilson), labelled by what differs ('N=2').
extension Dashboard {
    static func renderComparedEnsemble(_ input: DashboardInput, _ e: EnsembleWorkerFrame, width: Int, height: Int) -> Buffer {
        let theme = input.theme
        var buffer = Buffer(width: width, height: height, fill: Cell(" ", fg: theme.color(.mainFg), bg: theme.color(.mainBg)))
        let s = Styles(theme: theme)
        let frames = e.all
        let f = frames[0]
        let truth = frames.contains(where: EnsembleCharts.hasGroundTruth)
        let cloud = f.size == 2
        guard let layout = DashboardLayout.compute(width: width, height: height, lowerCharts: 2 + (cloud ? 1 : 0),
                                                   extraCharts: truth ? 1 : 0, parameterRows: ensemblePanelRows(e)) else {
            tooSmall(&buffer, s, width: width, height: height)
            return buffer
        }
        let labels = e.labels.count == frames.count ? e.labels : Comparison.labels(frames.map(\.parameters))
        let xRange = EnsembleComparisonCharts.xRange(frames)
        let sigmaNames = (1...max(1, min(f.size, 4))).map { "sigma_\($0)" }
        comparedBandPanel(&buffer, input, s, frames, labels: labels, names: sigmaNames, title: "singular values \(input.glyphs.sigma)_k",
                          log: input.view.logSigma, xRange: xRange, legend: true, area: layout.sigma)
        let lower = EnsembleCharts.lowerQuantities(groundTruth: truth)
        let statistic = EnsembleStatistic.chosen(input.view.statistic, size: f.size, groundTruth: truth)
        let bandAreas = cloud ? Array(layout.lower.dropLast()) : layout.lower
        if cloud, let last = layout.lower.last { comparedHistogramPanel(&buffer, input, s, frames, labels: labels, statistic, area: last) }
        for (i, area) in bandAreas.enumerated() where i < lower.count {
            let (name, title, log, zero) = lower[i]
            comparedBandPanel(&buffer, input, s, frames, labels: labels, names: [name], title: title,
                              log: log && frames.allSatisfy { EnsembleCharts.logFits($0, name) }, includeZero: zero,
                              xRange: xRange, legend: false, area: area)
        }
        comparedEnsemblePanel(&buffer, input, s, e, labels: labels, area: layout.parameters)
        if cloud {
            comparedCloudPanel(&buffer, input, s, frames, labels: labels, area: layout.matrix)
        } else {
            comparedHistogramPanel(&buffer, input, s, frames, labels: labels, statistic, area: layout.matrix)
        }
        footer(&buffer, input, s, area: layout.footer)
        if input.view.helpShown { helpOverlay(&buffer, input, s) }
        return buffer
    }

    /// A compared chart model drawn on the screen: style index r in run r's colour and dash.
    static func comparedChart(_ model: ChartModel, _ input: DashboardInput, _ s: Styles) -> Chart {
        var chart = Chart(model: model, glyphs: input.glyphs, style: { runStyle(input, $0).style }, labelStyle: s.label, axisStyle: s.border)
        for i in chart.series.indices { chart.series[i].styleIndex = runStyle(input, model.series[i].style).index }
        return chart
    }

    /// The title's values, one per configuration in its colour: "N=2 0.31  N=4 0.02", shorter
    /// forms after it for narrow boxes.
    static func comparedTitles(_ s: Styles, _ input: DashboardInput, head: String, labels: [String], values: [String]) -> [[Span]] {
        let styles = labels.indices.map { runStyle(input, $0).style }
        func line(_ gap: String) -> [Span] {
            var spans = [Span(head + " ", s.title)]
            for (r, label) in labels.enumerated() { spans += [Span((r == 0 ? "" : gap) + label + " ", styles[r]), Span(values[r], s.text)] }
            return spans
        }
        let tight = values.enumerated().map { r, v in Span((r == 0 ? "" : " ") + v, styles[r]) }
        return [line("  ") + [Span("  median, 25-75%", s.label)], line("  "), line(" "), [Span(head + " ", s.title)] + tight, [Span(head, s.title)]]
    }

    static func comparedBandPanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ frames: [EnsembleFrame],
                                  labels: [String], names: [String], title: String, log: Bool, includeZero: Bool = false,
                                  xRange: ClosedRange<Double>, legend: Bool, area: Rect) {
        let medians = frames.map { f in names.compactMap { f.band($0)?.q50.last }.map { NumberText.compact($0) }.joined(separator: ",") }
        let inner = box(&buffer, input, s, titles: comparedTitles(s, input, head: title, labels: labels, values: medians), area)
        guard !inner.isEmpty else { return }
        let model = EnsembleComparisonCharts.bands(frames, names: names, title: title, log: log, includeZero: includeZero, xRange: xRange)
        var chartArea = inner
        if legend {
            // Each configuration by what differs, with its rank-one fraction.
            let entries = frames.enumerated().map { r, f -> Legend.Entry in
                let p = f.rankOne
                let (style, index) = runStyle(input, r)
                return Legend.Entry(label: labels[r], value: p.total > 0 ? String(format: "rank one %.1f%%", 100 * p.value) : "rank one n/a",
                                    style: style, styleIndex: index)
            }
            let l = Legend(entries: entries, glyphs: input.glyphs, textStyle: s.text)
            if inner.width >= 40 {
                let (left, right) = inner.splitRight(l.preferredWidth + 1)
                chartArea = left
                l.render(into: &buffer, area: right.splitLeft(1).1)
            }
        }
        var chart = comparedChart(model, input, s)
        chart.xName = "t"
        chart.render(into: &buffer, area: chartArea)
    }

    static func comparedHistogramPanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ frames: [EnsembleFrame],
                                       labels: [String], _ statistic: EnsembleStatistic, area: Rect) {
        let values = frames.map { EnsembleCharts.values($0, statistic) }
        let counts = values.map { "n \($0.count)" }
        let inner = box(&buffer, input, s, titles: [
            comparedTitles(s, input, head: "histogram " + statistic.name, labels: labels, values: counts)[1] + [Span("  h: next", s.label)],
            [Span("histogram ", s.title), Span(statistic.name, s.text)], [Span(statistic.name, s.text)],
        ], area)
        guard !inner.isEmpty else { return }
        guard values.contains(where: { $0.contains(where: \.isFinite) }) else {
            buffer.put("no values yet", inner.x, inner.y, s.label, maxWidth: inner.width)
            return
        }
        comparedChart(EnsembleComparisonCharts.histogram(values, statistic, labels: labels), input, s).render(into: &buffer, area: inner)
    }

    static func comparedCloudPanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ frames: [EnsembleFrame],
                                   labels: [String], area: Rect) {
        let model = EnsembleComparisonCharts.cloud(frames, labels: labels)
        let clouds = model.scatters.map { Array(zip($0.xs, $0.ys)) }
        let counts = clouds.map { "\($0.count)" }
        let inner = box(&buffer, input, s, titles: comparedTitles(s, input, head: "(W12, W21)", labels: labels, values: counts).dropFirst()
            + [[Span("(W12, W21)", s.title)]], area)
        guard inner.width >= 4, inner.height >= 2, let first = clouds.first else { return }
        var view = HyperbolaView(trail: [], glyphs: input.glyphs, axisStyle: s.border, curveStyle: s.label,
                                 trailStyle: Style(fg: input.theme.series(0)), markStyle: s.key,
                                 pointStyle: Style(fg: input.theme.color(.warningFg), attributes: .bold), labelStyle: s.label)
        view.cloud = first
        view.cloudStyle = Style(fg: input.theme.series(0), attributes: .bold)
        view.moreClouds = clouds.dropFirst().enumerated().map { ($0.element, Style(fg: input.theme.series($0.offset + 1), attributes: .bold)) }
        view.render(into: &buffer, area: inner)
    }

    /// The panel: the shared counts and rate, the parameters (a value that differs as 'a|b'), and
    /// each configuration's rank-one fraction with its interval, a row across the whole panel
    /// (label, then "k/n = p% [low, high]" in the shortest form that fits).
    static func comparedEnsemblePanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ e: EnsembleWorkerFrame,
                                      labels: [String], area: Rect) {
        let frames = e.all
        let inner = box(&buffer, input, s, [Span("\(frames.count) ensembles", s.title), Span(" (e: single runs)", s.label)], area)
        let members = frames.map(\.count).reduce(0, +)
        let running = frames.map(\.running).reduce(0, +), failed = frames.map(\.failed).reduce(0, +)
        let done = members - running - failed
        func joined(_ value: (Parameters) -> String) -> String {
            let values = frames.map { value($0.parameters) }
            return Set(values).count == 1 ? values[0] : values.joined(separator: "|")
        }
        let g = input.glyphs
        let counted = frames.map { EnsemblePanelText.counted($0, untilCI: e.untilCI) }
        let m = frames[0].count, k = frames.count, threads = "\(e.jobs) thread\(e.jobs == 1 ? "" : "s")"
        let rule = "\(g.sigma)2/\(g.sigma)1<0.05"
        var rows: [KeyValuePanel.Row] = [
            .init("members", "\(m) x \(k), paired, \(threads)", shorter: ["\(m) x \(k), paired", "\(m) x \(k)"]),
            .init("finished", "\(done), failed \(failed), running \(running)", shorter: ["\(done)/\(members), \(failed) failed", "\(done)/\(members)"]),
            EnsemblePanelText.rate(e.rate),
            .init("step, t", "\(frames[0].step), " + NumberText.compact(frames[0].time, digits: 5)),
            EnsemblePanelText.flow(frames.map(\.parameters.flow.rawValue), size: frames[0].parameters.size, depths: frames.map(\.parameters.depthText)),
            .init("beta, kappa", joined { NumberText.compact($0.beta, digits: 4) } + ", " + joined { NumberText.compact($0.kappa, digits: 4) }),
            EnsemblePanelText.method(frames.map(\.parameters)),
        ]
        if counted.allSatisfy({ $0.first != nil }) {
            // --until-ci: each configuration's first finished members (k/n below counts them).
            let firsts = frames.map { "\($0.finishedPrefix)" }
            let first = "first " + (Set(firsts).count == 1 ? firsts[0] : firsts.joined(separator: "|"))
            rows += [.init("rank one", first + " members", shorter: [first]), .init("", rule)]
        } else {
            rows.append(.init("rank one", (counted[0].limits ? "limits" : "now") + ", " + rule))
        }
        rows.append(.init("", "95% CI (Wilson) in %", shorter: ["95% CI (Wilson), %"]))
        // Placeholders: the configurations' rows are drawn across the panel below.
        let firstConfiguration = rows.count
        rows += labels.map { _ in KeyValuePanel.Row("", "") }
        if let w = e.untilCI { rows.append(EnsemblePanelText.untilCI(w, width: EnsembleWorker.untilCIWidth(frames))) }
        rows.append(EnsemblePanelText.state(stopped: e.stopped, finished: running == 0, paused: e.paused, style: s.paused))
        KeyValuePanel(rows: rows, keyStyle: s.label, valueStyle: s.text).render(into: &buffer, area: inner)
        // The values under the other rows' where every full form fits there; else each right after
        // the labels, in the first form that fits.
        let forms = counted.map { EnsemblePanelText.fraction($0.rankOne) }
        let labelWidth = min(labels.map(\.unicodeScalars.count).max() ?? 0, inner.width / 2)
        let keyWidth = KeyValuePanel.keyWidth(rows, width: inner.width)
        let aligned = labelWidth < keyWidth && forms.allSatisfy { $0[0].unicodeScalars.count <= inner.width - keyWidth }
        let x = aligned ? keyWidth : labelWidth + 1
        for (r, (label, form)) in zip(labels, forms).enumerated() where firstConfiguration + r < inner.height {
            let y = inner.y + firstConfiguration + r
            let style = runStyle(input, r).style
            buffer.put(label, inner.x, y, style, maxWidth: labelWidth)
            let row = KeyValuePanel.Row("", form[0], shorter: Array(form.dropFirst()))
            buffer.put(row.value(fitting: inner.width - x), inner.x + x, y, style, maxWidth: inner.width - x)
        }
    }
}
