import DLNEngine

/// Versus mode's lower charts: E, S and the ranks of both runs on one axis each, every series
/// and every value labelled with its run's flow.
extension Dashboard {
    /// Short names for titles: "rle" and "langevin" rather than the full flow names when narrow.
    static func runLabels(_ input: DashboardInput, _ companion: CompanionFrame) -> (String, String) {
        (input.frame.snapshot.parameters.flow.rawValue, companion.snapshot.parameters.flow.rawValue)
    }

    static func versusLowerCharts(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ c: Columns,
                                  companion: CompanionFrame, xRange: ClosedRange<Double>?, areas: [Rect]) {
        let other = Columns(companion.series(recent: input.view.recentWindow))
        let xr: ClosedRange<Double>? = {
            guard let first = other.time.first, let last = other.time.last else { return xRange }
            guard let x = xRange else { return first...max(first, last) }
            return min(x.lowerBound, first)...max(x.upperBound, last)
        }()
        let (a, b) = runLabels(input, companion)
        let mainStyle = Style(fg: input.theme.series(0)), otherStyle = Style(fg: input.theme.series(2))
        let mine = input.frame.snapshot.observation, theirs = companion.snapshot.observation
        // Longest first: the box shows the first that fits; every one names both runs.
        func values(_ name: String, _ x: String, _ y: String) -> [[Span]] {
            let symbol = String(name.split(separator: " ").last ?? "")
            return [[Span(name + " ", s.title), Span(a + " ", mainStyle), Span(x, s.text), Span("  " + b + " ", otherStyle), Span(y, s.text)],
                    [Span(symbol + " ", s.title), Span(a + " ", mainStyle), Span(x, s.text), Span(" " + b + " ", otherStyle), Span(y, s.text)],
                    [Span(symbol + " ", s.title), Span(String(a.prefix(3)) + " ", mainStyle), Span(x, s.text),
                     Span(" " + String(b.prefix(3)) + " ", otherStyle), Span(y, s.text)],
                    // Tightest: the two values in their lines' colours.
                    [Span(x, mainStyle), Span(" ", s.text), Span(y, otherStyle)]]
        }
        let charts: [(titles: [[Span]], series: [ChartSeries], scale: AxisScale, zero: Bool)] = [
            (values("energy E", NumberText.compact(mine.energy), NumberText.compact(theirs.energy)),
             [ChartSeries(name: "E " + a, xs: c.time, ys: c.energy, style: mainStyle),
              ChartSeries(name: "E " + b, xs: other.time, ys: other.energy, style: otherStyle)],
             !(c.energy + other.energy).contains { $0 <= 0 } ? .log10 : .linear, false),
            (values("entropy S", NumberText.compact(mine.entropy), NumberText.compact(theirs.entropy)),
             [ChartSeries(name: "S " + a, xs: c.time, ys: c.entropy, style: mainStyle),
              ChartSeries(name: "S " + b, xs: other.time, ys: other.entropy, style: otherStyle)], .linear, false),
            (values("rank eff/num", NumberText.compact(mine.effectiveRank) + "/\(mine.numericalRank)",
                    NumberText.compact(theirs.effectiveRank) + "/\(theirs.numericalRank)"),
             [ChartSeries(name: "effective " + a, xs: c.time, ys: c.effectiveRank, style: mainStyle),
              ChartSeries(name: "effective " + b, xs: other.time, ys: other.effectiveRank, style: otherStyle),
              ChartSeries(name: "numerical " + a, xs: c.time, ys: c.numericalRank, style: mainStyle, steps: true),
              ChartSeries(name: "numerical " + b, xs: other.time, ys: other.numericalRank, style: otherStyle, steps: true)],
             .linear, true),
        ]
        for (chart, area) in zip(charts, areas) {
            let inner = box(&buffer, input, s, titles: chart.titles, area)
            Chart(series: chart.series, scale: chart.scale, xRange: xr, includeZero: chart.zero, glyphs: input.glyphs,
                  labelStyle: s.label, axisStyle: s.border, xName: "t").render(into: &buffer, area: inner)
        }
    }
}
