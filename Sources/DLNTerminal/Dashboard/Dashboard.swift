import DLNEngine

/// What one frame shows: the worker's frame and the interface's own state.
public struct DashboardInput: Sendable {
    public var frame: WorkerFrame
    public var view: ViewState
    public var theme: Theme
    public var glyphs: Glyphs
    /// False in monochrome (NO_COLOR, no colours): heat maps use shades, states use attributes.
    public var colorful: Bool
    /// The message line.
    public var message: Notice?
    /// The last messages, oldest first, shown in full under the help (`?`).
    public var messages: [Notice]
    /// The key table the footer and help read (nil: the live interface's).
    public var keys: [KeyBinding]? = nil
    /// The ensemble view's frame (`e`, `--members`), drawn instead of the run when the view asks.
    public var ensemble: EnsembleWorkerFrame? = nil

    public init(frame: WorkerFrame, view: ViewState, theme: Theme, glyphs: Glyphs, colorful: Bool, message: Notice?,
                messages: [Notice] = []) {
        self.messages = messages
        self.frame = frame
        self.view = view
        self.theme = theme
        self.glyphs = glyphs
        self.colorful = colorful
        self.message = message
    }
}

/// The main screen, composed from widgets: a pure function of its input and the size, so a
/// frame is rendered (and tested, and timed) without a terminal.
public enum Dashboard {
    static let panelRows = 16

    public static func render(_ input: DashboardInput, width: Int, height: Int) -> Buffer {
        if input.view.ensemble, let e = input.ensemble { return renderEnsemble(input, e, width: width, height: height) }
        let theme = input.theme
        var buffer = Buffer(width: width, height: height,
                            fill: Cell(" ", fg: theme.color(.mainFg), bg: theme.color(.mainBg)))
        let s = Styles(theme: theme)
        let frame = input.frame
        let d = frame.snapshot.endToEnd.rows
        let matrixNumbersWidth = d <= 8 ? numbersView(input).numberTexts().first.map { d * ($0.count + 1) - 1 } ?? 0 : 0
        let truth = hasGroundTruth(frame)
        guard let layout = DashboardLayout.compute(width: width, height: height, extraCharts: truth ? 1 : 0, parameterRows: panelRows,
                                                   matrixWidth: matrixNumbersWidth, layerCharts: layerCharts(frame)) else {
            tooSmall(&buffer, s, width: width, height: height)
            return buffer
        }
        let samples = frame.series(recent: input.view.recentWindow)
        let c = Columns(samples)
        // Samples are in time order: the x range is their first and last time.
        let xRange = c.time.isEmpty ? nil : c.time[0]...max(c.time[0], c.time[c.time.count - 1])
        // The two-by-two picture needs height: where the right column is short it takes the
        // right of the singular-value chart (square: a cell is two dots wide, four high) and W keeps its numbers.
        var sigmaArea = layout.sigma
        var picture: Rect? = nil
        if frame.problem.kind == .twoByTwo {
            if Block.inner(layout.matrix).height >= 8 {
                picture = layout.matrix
            } else {
                let (left, right) = layout.sigma.splitRight(min(layout.sigma.width / 2, 2 * (layout.sigma.height - 2) + 2))
                sigmaArea = left
                picture = right
            }
        }
        if !frame.others.isEmpty {
            // A comparison (versus among them): every chart overlays the runs (Dashboard+Comparison).
            let runs = comparisonRuns(input, first: samples, c)
            let xr = comparisonXRange(runs)
            comparisonSigmaChart(&buffer, input, s, runs: runs, xRange: xr, area: sigmaArea)
            comparisonLowerCharts(&buffer, input, s, runs: runs, xRange: xr, truth: truth, areas: layout.lower)
        } else {
            sigmaChart(&buffer, input, s, samples: samples, times: c.time, xRange: xRange, area: sigmaArea)
            // The core charts first; the error chart where the layout found room for it.
            let scalarCharts = [energyChart, entropyChart, rankChart] + (truth ? [errorChart] : [])
            for (chart, area) in zip(scalarCharts, layout.lower) { chart(&buffer, input, s, c, xRange, area) }
        }
        layerCharts(&buffer, input, s, xRange: xRange, areas: layout.layers)
        parameterPanel(&buffer, input, s, area: layout.parameters)
        if frame.recorded {
            notRecordedPanels(&buffer, input, s, areas: [layout.matrix] + (picture.map { $0 == layout.matrix ? [] : [$0] } ?? []))
        } else {
            if picture != layout.matrix { matrixPanel(&buffer, input, s, area: layout.matrix) }
            if let picture { hyperbolaPanel(&buffer, input, s, area: picture) }
        }
        footer(&buffer, input, s, area: layout.footer)
        if input.view.helpShown { helpOverlay(&buffer, input, s) }
        return buffer
    }

    /// The history's scalar observables as arrays, read in one pass.
    struct Columns {
        var time: [Double] = []
        var energy: [Double] = []
        var freeEnergy: [Double] = []
        var entropy: [Double] = []
        var effectiveRank: [Double] = []
        var numericalRank: [Double] = []
        var error: [Double] = []
        var errorUnobserved: [Double] = []

        init(_ samples: [Observation]) {
            time = Self.column(samples) { $0.time }
            energy = Self.column(samples) { $0.energy }
            freeEnergy = Self.column(samples) { $0.freeEnergy }
            entropy = Self.column(samples) { $0.entropy }
            effectiveRank = Self.column(samples) { $0.effectiveRank }
            numericalRank = Self.column(samples) { Double($0.numericalRank) }
            error = Self.column(samples) { $0.error ?? .nan }
            errorUnobserved = Self.column(samples) { $0.errorUnobserved ?? .nan }
        }

        /// One value per sample, written in place (appends would check the array's uniqueness and
        /// capacity at every sample).
        @inline(__always)
        static func column(_ samples: [Observation], _ value: (borrowing Observation) -> Double) -> [Double] {
            [Double](unsafeUninitializedCapacity: samples.count) { out, initialized in
                samples.withUnsafeBufferPointer { all in
                    for i in 0..<all.count { out[i] = value(all[i]) }
                }
                initialized = samples.count
            }
        }
    }

    struct Styles {
        let text: Style
        let title: Style
        let border: Style
        let label: Style
        let key: Style
        let message: Style
        let warning: Style
        let paused: Style

        init(theme t: Theme) {
            text = Style(fg: t.color(.mainFg))
            title = Style(fg: t.color(.title), attributes: .bold)
            border = Style(fg: t.color(.divLine))
            label = Style(fg: t.color(.inactiveFg))
            key = Style(fg: t.color(.hiFg), attributes: .bold)
            message = Style(fg: t.color(.messageFg))
            warning = Style(fg: t.color(.warningFg), attributes: [.bold, .reverse])
            paused = Style(fg: t.color(.pausedFg), attributes: .reverse)
        }
    }

    // MARK: charts

    static func box(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ title: [Span], _ area: Rect) -> Rect {
        box(&buffer, input, s, titles: [title], area)
    }

    /// A box with the first of the titles (longest first) that fits its top border.
    static func box(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, titles: [[Span]], _ area: Rect) -> Rect {
        let room = area.width - 4
        let title = titles.first { $0.width <= room } ?? titles.last ?? []
        Block(title: title, borderStyle: s.border, glyphs: input.glyphs).render(into: &buffer, area: area)
        return Block.inner(area)
    }

    static func sigmaChart(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, samples: [Observation], times: [Double], xRange: ClosedRange<Double>?,
                           area: Rect, flowName: String? = nil, current currentSigma: [Double]? = nil, yRange: ChartRange? = nil) {
        let g = input.glyphs
        let window = input.view.recentWindow ? "recent window" : "whole run"
        // Dyson's eigenvalues are signed: a log axis would hide half of them, so they are always linear.
        let logScale = input.view.logSigma && input.frame.snapshot.parameters.flow != .dyson
        let axis = logScale ? "log" : "linear"
        let titles: [[Span]]
        if let flowName {
            titles = [[Span("\(g.sigma)_k(t) \(flowName)", s.title), Span("  \(axis)", s.label)],
                      [Span("\(g.sigma)_k \(flowName)", s.title)], [Span(flowName, s.title)]]
        } else {
            let what = input.frame.snapshot.parameters.flow == .dyson ? "eigenvalues x_k(t) of M" : "singular values \(g.sigma)_k(t)"
            titles = [[Span(what, s.title), Span("  \(axis), \(window)", s.label)]]
        }
        let inner = box(&buffer, input, s, titles: titles, area)
        guard !inner.isEmpty else { return }
        let current = currentSigma ?? input.frame.snapshot.observation.sigma
        let d = current.count
        // As many series as the legend can list; the rest are counted in a note.
        let legendRows = inner.height
        let shown = d <= legendRows ? d : max(1, min(16, legendRows - 1))
        // Each series written in place (appends to nested arrays checked uniqueness at every sample).
        let values = (0..<shown).map { k in
            Columns.column(samples) { o in k < o.sigma.count ? o.sigma[k] : .nan }
        }
        var series: [ChartSeries] = []
        var entries: [Legend.Entry] = []
        // The dyson flow's values are eigenvalues x_k (the rows keep their sigma_k columns).
        let symbol = input.frame.snapshot.parameters.flow == .dyson ? "x" : "\(g.sigma)"
        for k in 0..<shown {
            let style = Style(fg: input.theme.series(k))
            series.append(ChartSeries(name: "\(symbol)\(k + 1)", xs: times, ys: values[k], style: style))
            entries.append(Legend.Entry(label: "\(symbol)\(k + 1)", value: NumberText.compact(current[k]), style: style))
        }
        let legend = Legend(entries: entries, note: shown < d ? "+\(d - shown) hidden" : nil, glyphs: g, textStyle: s.text)
        var chartArea = inner
        if inner.width >= 40 {
            let (left, right) = inner.splitRight(legend.preferredWidth + 1)
            chartArea = left
            legend.render(into: &buffer, area: right.inset(horizontal: 0, vertical: 0).splitLeft(1).1)
        }
        var chart = Chart(series: series, scale: logScale ? .log10 : .linear, xRange: xRange, includeZero: !logScale,
                          glyphs: g, labelStyle: s.label, axisStyle: s.border, xName: "t", yRange: yRange)
        chart.references = targetReferences(input, count: shown)
        chart.render(into: &buffer, area: chartArea)
    }

    static func energyChart(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ c: Columns, _ xRange: ClosedRange<Double>?, _ area: Rect) {
        let o = input.frame.snapshot.observation
        let beta = input.frame.snapshot.parameters.beta
        let eStyle = Style(fg: input.theme.color(.energy)), fStyle = Style(fg: input.theme.color(.freeEnergy))
        var series = [ChartSeries(name: "E", xs: c.time, ys: c.energy, style: eStyle)]
        let e = [Span("E ", eStyle), Span(NumberText.compact(o.energy), s.text)]
        var titles: [[Span]]
        // The axis is log while E (and F) stay positive, linear once F < 0: the title says which.
        let positive = !c.energy.contains { $0 <= 0 } && (!beta.isFinite || !c.freeEnergy.contains { $0 <= 0 })
        let axis = Span(positive ? "  log" : "  linear", s.label)
        if beta.isFinite {
            series.append(ChartSeries(name: "F", xs: c.time, ys: c.freeEnergy, style: fStyle))
            let f = [Span("F ", fStyle), Span(NumberText.compact(o.freeEnergy), s.text)]
            // Narrowing boxes keep the chart's name with its main value as long as they can, and
            // the scale it draws after the values.
            titles = [[Span("energy ", s.title)] + e + [Span("  ")] + f + [axis], [Span("energy ", s.title)] + e + [axis],
                      [Span("energy ", s.title)] + e, e]
        } else {
            titles = [[Span("energy ", s.title)] + e + [Span("  F = E", s.label), axis], [Span("energy ", s.title)] + e + [axis],
                      [Span("energy ", s.title)] + e, e]
        }
        let inner = box(&buffer, input, s, titles: titles, area)
        Chart(series: series, scale: positive ? .log10 : .linear, xRange: xRange, glyphs: input.glyphs,
              labelStyle: s.label, axisStyle: s.border, xName: "t").render(into: &buffer, area: inner)
    }

    static func entropyChart(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ c: Columns, _ xRange: ClosedRange<Double>?, _ area: Rect) {
        let o = input.frame.snapshot.observation
        let style = Style(fg: input.theme.color(.entropy))
        let value = [Span("S ", style), Span(NumberText.compact(o.entropy), s.text)]
        let inner = box(&buffer, input, s, titles: [[Span("entropy ", s.title)] + value, value], area)
        Chart(series: [ChartSeries(name: "S", xs: c.time, ys: c.entropy, style: style)],
              xRange: xRange, glyphs: input.glyphs, labelStyle: s.label, axisStyle: s.border, xName: "t").render(into: &buffer, area: inner)
    }

    static func rankChart(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, _ c: Columns, _ xRange: ClosedRange<Double>?, _ area: Rect) {
        let o = input.frame.snapshot.observation
        let eff = Style(fg: input.theme.color(.effectiveRank)), num = Style(fg: input.theme.color(.numericalRank))
        let values = [Span("eff ", eff), Span(NumberText.compact(o.effectiveRank), s.text), Span(" num ", num), Span("\(o.numericalRank)", s.text)]
        let inner = box(&buffer, input, s, titles: [[Span("rank ", s.title)] + values,
                                                    values, [Span("num ", num), Span("\(o.numericalRank)", s.text)]], area)
        Chart(series: [ChartSeries(name: "effective", xs: c.time, ys: c.effectiveRank, style: eff),
                       ChartSeries(name: "numerical", xs: c.time, ys: c.numericalRank, style: num, steps: true)],
              xRange: xRange, includeZero: true, glyphs: input.glyphs, labelStyle: s.label, axisStyle: s.border, xName: "t").render(into: &buffer, area: inner)
    }

    // MARK: panels

    static func parameterPanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, area: Rect) {
        let f = input.frame
        let p = f.snapshot.parameters
        let o = f.snapshot.observation
        let inner = box(&buffer, input, s, [Span("parameters", s.title)], area)
        let state: KeyValuePanel.Row
        if f.rejected {
            state = .init("state", "step rejected", style: s.warning)  // the message line says why and what to do
        } else if f.paused {
            state = .init("state", "paused", style: s.paused)
        } else {
            state = .init("state", "running")
        }
        let balance = o.balanceDefect.map { NumberText.compact($0) } ?? "n/a (downstairs)"
        let compared = f.others.isEmpty ? [] : comparisonRows(input)
        let speed = speedForms(f)
        let rows: [KeyValuePanel.Row] = [
            // What is stepped: the riemannian flow may be integrated in its balanced factors (--lift).
            .init("flow", p.flow.rawValue + (p.stepsBalancedFactors ? " (balanced factors)" : "")),
            .init("preset", p.preset ?? "none"),
            .init("energy", p.flow == .dyson ? "|x|^2/2 on eigenvalues" : p.energy.rawValue),
            .init("d, N", "\(p.size), \(p.depthText)" + (p.effectiveTimeScale == .depth ? ", t/N" : "")),
            .init("beta", NumberText.compact(p.beta, digits: 4)),
            .init("kappa", NumberText.compact(p.kappa, digits: 4)),
            // The scheme that steps the flow (a flow with noise keeps euler) and its last step.
            // Rows record neither an adaptive step's size nor its rejections: a replay says so.
            .init("method", f.snapshot.stepping.rawValue
                + (f.snapshot.stepping.isAdaptive ? (f.recorded ? ", h not recorded" : ", h " + NumberText.compact(f.snapshot.stepSize, digits: 4))
                    : ", dt " + NumberText.compact(f.snapshot.stepSize, digits: 4))
                + (f.snapshot.stepping != p.integrator ? " (noise)" : "")),
        ] + (f.snapshot.stepping.isAdaptive && compared.isEmpty
            ? [f.recorded ? .init("rtol", NumberText.compact(p.rtol) + ", rej. not recorded")
                : .init("rtol, acc/rej", NumberText.compact(p.rtol) + ", \(o.step)/\(f.snapshot.rejectedSteps)")] : []) + [
        ] + (compared.isEmpty ? [
            .init("speed", speed[0], shorter: Array(speed.dropFirst())),
        ] : []) + [
            .init("step, t", "\(o.step), " + NumberText.compact(o.time, digits: 5)),
        // The seed last: where the panel is one row short (dopri5's row at 120 x 40) it is the one left out.
        ] + (compared.isEmpty ? [.init("balance", balance)] + errorRows(o) : compared) + [state, .init("seed", "\(p.seed)")]
        KeyValuePanel(rows: rows, keyStyle: s.label, valueStyle: s.text).render(into: &buffer, area: inner)
    }

    static func numbersView(_ input: DashboardInput) -> MatrixView {
        let w = input.frame.snapshot.endToEnd
        let t = input.theme
        return MatrixView(rows: w.rows, cols: w.cols, values: w.storage, glyphs: input.glyphs, colorful: input.colorful,
                          negative: t.rgb(.heatNeg, fallback: RGB(hex: 0x3D7EFF)), zero: t.rgb(.heatMid, fallback: RGB(hex: 0x808080)),
                          positive: t.rgb(.heatPos, fallback: RGB(hex: 0xFF5A36)), textStyle: Style(fg: t.color(.mainFg)))
    }

    static func matrixPanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, area: Rect) {
        let view = numbersView(input)
        let inner = Block.inner(area)
        let numbers = view.rows <= 8 && view.numbersFit(width: inner.width, height: inner.height)
        let g = input.glyphs
        let size = "\(view.rows) \(g.times) \(view.cols)"
        let scale = "max |w| \(NumberText.compact(view.maxAbs))"
        // A heat map smaller than W averages its entries in blocks: the title says how many it shows.
        let grid = view.heatMapGrid(area: inner)
        let averaged = !numbers && (grid.rows < view.rows || grid.cols < view.cols)
        let shownAs = averaged ? "\(view.rows)\(g.times)\(view.cols) as \(grid.rows)\(g.times)\(grid.cols) avg" : ""
        let titles = numbers ? [[Span("W (\(size))", s.title)], [Span("W", s.title)]]
            : averaged ? [[Span("W ", s.title), Span(shownAs + ", " + scale, s.label)], [Span("W ", s.title), Span(shownAs, s.label)],
                          [Span("W avg", s.title)]]
            : [[Span("W (\(size)), ", s.title), Span(scale, s.label)], [Span("W, ", s.title), Span(scale, s.label)], [Span("W", s.title)]]
        _ = box(&buffer, input, s, titles: titles, area)
        guard !inner.isEmpty else { return }
        if numbers {
            view.renderNumbers(into: &buffer, area: inner)
        } else {
            view.renderHeatMap(into: &buffer, area: inner)
        }
    }

    static func tooSmall(_ buffer: inout Buffer, _ s: Styles, width: Int, height: Int) {
        let need = "need \(DashboardLayout.minimumWidth) x \(DashboardLayout.minimumHeight)"
        let quits = [Span("q", s.key), Span(" quits", s.label)]
        let line = "terminal too small: \(width) x \(height), \(need)"
        let head = "terminal too small: \(width) x \(height),"
        let lines: [[Span]]
        // Each form only where its longest line fits: the message is never cut.
        if line.count <= width {
            lines = [[Span(line, s.warning)], [], quits]
        } else if head.count <= width {
            lines = [[Span(head, s.warning)], [Span(need, s.text)], [], quits]
        } else {
            lines = [[Span("too small", s.warning)], [Span("\(width)x\(height)", s.text)], [Span(need, s.text)], quits]
        }
        Paragraph(lines: lines).render(into: &buffer, area: buffer.area)
    }
}
