import DLNEngine

/// The ground truth on screen: the error against the clean target (chart and panel rows) and the
/// target's singular values as reference lines on the singular-value chart.
extension Dashboard {
    /// Whether the frame's run has a clean target to compare with (not two-by-two, not dyson).
    static func hasGroundTruth(_ frame: WorkerFrame) -> Bool {
        frame.snapshot.parameters.flow != .dyson && GroundTruth.applies(to: frame.problem)
    }

    /// The target's singular values, dim, labelled A1, A2, ... (zeros are left out: a log axis
    /// cannot show them and a linear one has them on its floor).
    static func targetReferences(_ input: DashboardInput, count: Int) -> [ChartReference] {
        guard hasGroundTruth(input.frame) else { return [] }
        let style = Style(fg: input.theme.color(.inactiveFg), attributes: .dim)
        let sigma = input.frame.problem.targetSigma
        let scale = input.frame.problem.scale
        return sigma.prefix(count).enumerated()
            .filter { $0.element > 1e-12 * scale }
            .map { ChartReference(value: $0.element, label: "A\($0.offset + 1)", style: style) }
    }

    /// The panel's error rows: against the whole target, and over the unobserved entries.
    static func errorRows(_ o: Observation) -> [KeyValuePanel.Row] {
        guard let e = o.error else { return [] }
        var rows = [KeyValuePanel.Row("error", NumberText.compact(e))]
        if let u = o.errorUnobserved { rows.append(.init("unobs", NumberText.compact(u))) }
        return rows
    }

    /// ||W - A||_F / ||A||_F and, for completion, the same over the unobserved entries, on a log
    /// axis (both are positive until they underflow).
    static func errorChart(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ c: Columns, _ xRange: ClosedRange<Double>?, _ area: Rect) {
        let o = input.frame.snapshot.observation
        let all = Style(fg: input.theme.series(0)), unobserved = Style(fg: input.theme.series(1))
        var value = [Span("|W-A|/|A| ", all), Span(o.error.map { NumberText.compact($0) } ?? "n/a", s.text)]
        var series = [ChartSeries(name: "error", xs: c.time, ys: c.error, style: all)]
        if let u = o.errorUnobserved {
            value += [Span(" unobs ", unobserved), Span(NumberText.compact(u), s.text)]
            series.append(ChartSeries(name: "unobserved", xs: c.time, ys: c.errorUnobserved, style: unobserved))
        }
        let short = [Span("err ", all), Span(o.error.map { NumberText.compact($0) } ?? "n/a", s.text)]
        let inner = box(&buffer, input, s, titles: [[Span("error ", s.title)] + value, value, short], area)
        let positive = !c.error.contains { $0 <= 0 } && !c.errorUnobserved.contains { $0 <= 0 }
        Chart(series: series, scale: positive ? .log10 : .linear, xRange: xRange, glyphs: input.glyphs,
              labelStyle: s.label, axisStyle: s.border, xName: "t").render(into: &buffer, area: inner)
    }
}
