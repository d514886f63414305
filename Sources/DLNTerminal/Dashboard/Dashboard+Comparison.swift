import DLNEngine

/// Side by side runs (`--compare`, the keys c and v): every chart overlays the runs, each in one
/// colour and one dash (ASCII: one marker), and names each run by what differs ('N=2',
/// 'langevin'); one x range and one y axis for all.
extension Dashboard {
    /// Run r's style: colour series(r) and dash r (index 9r of the screen's style cycle: colour r,
    /// round r), so runs differ in both even in monochrome.
    static func runStyle(_ input: DashboardInput, _ r: Int) -> (style: Style, index: Int) {
        (Style(fg: input.theme.series(r)), 9 * r)
    }

    /// One run's drawable history.
    struct RunSeries {
        var label: String
        var short: String
        var samples: [Observation]
        var columns: Columns
        var now: Observation
    }

    static func comparisonRuns(_ input: DashboardInput, first samples: [Observation], _ c: Columns) -> [RunSeries] {
        let f = input.frame
        let labels = f.runLabels, shorts = Comparison.shortLabels(f.runParameters)
        var runs = [RunSeries(label: labels[0], short: shorts[0], samples: samples, columns: c, now: f.snapshot.observation)]
        for (i, other) in f.others.enumerated() {
            let s = other.series(recent: input.view.recentWindow)
            runs.append(RunSeries(label: labels[i + 1], short: shorts[i + 1], samples: s, columns: Columns(s), now: other.snapshot.observation))
        }
        return runs
    }

    /// The x range over every run.
    static func comparisonXRange(_ runs: [RunSeries]) -> ClosedRange<Double>? {
        let firsts = runs.compactMap(\.columns.time.first), lasts = runs.compactMap(\.columns.time.last)
        guard let lo = firsts.min(), let hi = lasts.max() else { return nil }
        return lo...max(lo, hi)
    }

    /// The singular values of every run on one chart: run r's sigma_k all in run r's style; the
    /// legend one line per run with its sigma_1.
    static func comparisonSigmaChart(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, runs: [RunSeries],
                                     xRange: ClosedRange<Double>?, area: Rect) {
        let g = input.glyphs
        let logScale = input.view.logSigma
        let window = input.view.recentWindow ? "recent window" : "whole run"
        let inner = box(&buffer, input, s, titles: [
            [Span("singular values \(g.sigma)_k(t), \(runs.count) runs", s.title), Span("  \(logScale ? "log" : "linear"), \(window)", s.label)],
            [Span("\(g.sigma)_k(t), \(runs.count) runs", s.title)], [Span("\(g.sigma)_k", s.title)]], area)
        guard !inner.isEmpty else { return }
        var series: [ChartSeries] = []
        var entries: [Legend.Entry] = []
        for (r, run) in runs.enumerated() {
            let (style, index) = runStyle(input, r)
            for k in 0..<run.now.sigma.count {
                series.append(ChartSeries(name: "\(run.label) \(g.sigma)\(k + 1)", xs: run.columns.time,
                                          ys: Columns.column(run.samples) { o in k < o.sigma.count ? o.sigma[k] : .nan },
                                          style: style, styleIndex: index))
            }
            entries.append(Legend.Entry(label: run.label, value: "\(g.sigma)1 " + NumberText.compact(run.now.sigma.first ?? .nan),
                                        style: style, styleIndex: index))
        }
        let legend = Legend(entries: entries, glyphs: g, textStyle: s.text)
        var chartArea = inner
        if inner.width >= 40 {
            let (left, right) = inner.splitRight(legend.preferredWidth + 1)
            chartArea = left
            legend.render(into: &buffer, area: right.splitLeft(1).1)
        }
        var chart = Chart(series: series, scale: logScale ? .log10 : .linear, xRange: xRange, includeZero: !logScale,
                          glyphs: g, labelStyle: s.label, axisStyle: s.border, xName: "t")
        chart.references = targetReferences(input, count: runs[0].now.sigma.count)
        chart.render(into: &buffer, area: chartArea)
    }

    /// E, S, the ranks and (with a clean target) the error of every run, one chart each, every
    /// value in the title named by its run.
    static func comparisonLowerCharts(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, runs: [RunSeries],
                                      xRange: ClosedRange<Double>?, truth: Bool, areas: [Rect]) {
        let styles = runs.indices.map { runStyle(input, $0) }
        // Longest first: the box shows the first that fits; every one names each run.
        func titles(_ name: String, symbol short: String? = nil, _ value: (Observation) -> String) -> [[Span]] {
            let symbol = short ?? String(name.split(separator: " ").last ?? "")
            func line(_ head: String, _ label: (RunSeries) -> String, gap: String) -> [Span] {
                var spans = [Span(head + " ", s.title)]
                for (r, run) in runs.enumerated() {
                    spans += [Span((r == 0 ? "" : gap) + label(run) + " ", styles[r].style), Span(value(run.now), s.text)]
                }
                return spans
            }
            // Then the values alone, in the runs' order and colours (the legend's order).
            let tight = runs.enumerated().map { r, run in Span((r == 0 ? "" : " ") + value(run.now), styles[r].style) }
            return [line(name, \.label, gap: "  "), line(symbol, \.label, gap: " "), line(symbol, \.short, gap: " "),
                    [Span(symbol + " ", s.title)] + tight, tight]
        }
        func overlay(_ name: String, _ column: (Columns) -> [Double], steps: Bool = false) -> [ChartSeries] {
            runs.enumerated().map { r, run in
                ChartSeries(name: "\(name) \(run.label)", xs: run.columns.time, ys: column(run.columns), style: styles[r].style,
                            steps: steps, styleIndex: styles[r].index)
            }
        }
        let energies = runs.flatMap(\.columns.energy)
        var charts: [(titles: [[Span]], series: [ChartSeries], scale: AxisScale, zero: Bool)] = [
            (titles("energy E") { NumberText.compact($0.energy) }, overlay("E") { $0.energy },
             !energies.contains { $0 <= 0 } ? .log10 : .linear, false),
            (titles("entropy S") { NumberText.compact($0.entropy) }, overlay("S") { $0.entropy }, .linear, false),
            (titles("rank eff/num", symbol: "rank") { NumberText.compact($0.effectiveRank) + "/\($0.numericalRank)" },
             overlay("effective") { $0.effectiveRank } + overlay("numerical", { $0.numericalRank }, steps: true), .linear, true),
        ]
        if truth {
            let errors = runs.flatMap(\.columns.error)
            charts.append((titles("error |W-A|/|A|", symbol: "err") { $0.error.map { NumberText.compact($0) } ?? "n/a" }, overlay("error") { $0.error },
                           !errors.contains { $0 <= 0 } ? .log10 : .linear, false))
        }
        for (chart, area) in zip(charts, areas) {
            let inner = box(&buffer, input, s, titles: chart.titles, area)
            Chart(series: chart.series, scale: chart.scale, xRange: xRange, includeZero: chart.zero, glyphs: input.glyphs,
                  labelStyle: s.label, axisStyle: s.border, xName: "t").render(into: &buffer, area: inner)
        }
    }

    /// The panel's rows for a comparison: each run's error against the target (or F without one)
    /// and effective rank, and where F_beta has no minimum, that it has none.
    static func comparisonRows(_ input: DashboardInput) -> [KeyValuePanel.Row] {
        let f = input.frame
        let labels = f.runLabels
        let observations = [f.snapshot.observation] + f.others.map(\.snapshot.observation)
        return zip(labels, zip(observations, f.runParameters)).map { label, pair in
            let (o, p) = pair
            // The error first: a narrow panel cuts the end of the row.
            let rank = "erank " + NumberText.compact(o.effectiveRank)
            var value = o.error.map { "err " + NumberText.compact($0) + " " + rank } ?? "F " + NumberText.compact(o.freeEnergy) + " " + rank
            if Landscape.unboundedBelow(p) { value = "F " + NumberText.compact(o.freeEnergy) + " unbounded" }
            return KeyValuePanel.Row(label, value)
        }
    }
}
