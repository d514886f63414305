import DLNCharts
import DLNFigures

/// What a study replay frame shows: the study, the player's place, the view and the messages.
struct StudyScreenInput {
    var study: RecordedStudy
    var theme: Theme
    var glyphs: Glyphs
    var logSigma = true
    var helpShown = false
    var message: Notice?
    var messages: [Notice] = []
}

/// A study replay frame, a pure function of its input and the size: a header (the study, its
/// members by status, the time), its charts in boxes (quantile bands, the chosen histogram, the
/// d = 2 limits), the key hints and the message line.
enum StudyScreen {
    static func render(_ input: StudyScreenInput, width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        let t = input.theme
        buffer.fill(buffer.area, " ", Style(fg: t.color(.mainFg), bg: t.color(.mainBg), attributes: []))
        let s = Dashboard.Styles(theme: t)
        guard width >= 20, height >= 6 else {
            buffer.put("too small", 0, 0, s.warning, maxWidth: width)
            return buffer
        }
        buffer.put(header(input), 1, 0, s.title, maxWidth: width - 2)
        let footer = Rect(x: 0, y: height - 2, width: width, height: 2)
        let body = Rect(x: 0, y: 1, width: width, height: height - 3)
        panels(&buffer, input, s, area: body)
        footerRows(&buffer, input, s, area: footer)
        if input.helpShown { help(&buffer, input, s) }
        return buffer
    }

    static func header(_ input: StudyScreenInput) -> String {
        let study = input.study, figure = study.figure
        var parts = ["study \(figure.name)"]
        if let s = figure.summary {
            let statuses = s.summary.strings("status") ?? []
            var counts: [(String, Int)] = []
            for st in statuses where !counts.contains(where: { $0.0 == st }) { counts.append((st, statuses.filter { $0 == st }.count)) }
            parts.append("\(s.summary.points.count) point\(s.summary.points.count == 1 ? "" : "s"), \(statuses.count) members ("
                         + counts.map { "\($0.1) \($0.0)" }.joined(separator: ", ") + ")")
        } else if let q = figure.quantiles {
            parts.append("\(q.points.count) point\(q.points.count == 1 ? "" : "s")")
        }
        if let time = study.time, let last = study.times.last {
            parts.append("t = \(NumberText.compact(time)) of \(NumberText.compact(last))")
            parts.append(study.player.paused ? "paused" : "\(Int(study.player.rowsPerSecond)) times/s")
        }
        parts.append("read-only")
        return parts.joined(separator: " · ")
    }

    /// Panels in two columns from 100 columns wide, each at least 7 rows high; those that do not fit
    /// are counted in the last panel's title.
    static func panels(_ buffer: inout Buffer, _ input: StudyScreenInput, _ s: Dashboard.Styles, area: Rect) {
        let models = input.study.models(logSigma: input.logSigma)
        guard !models.isEmpty else {
            buffer.put("this study holds no chart data", 1, area.y + 1, s.label)
            return
        }
        let columns = models.count > 1 && area.width >= 100 ? 2 : 1
        let fitRows = max(1, area.height / 7)
        let shown = min(models.count, fitRows * columns)
        let rows = (shown + columns - 1) / columns
        let rowRects = area.rows(rows)
        for i in 0..<shown {
            let row = rowRects[i / columns]
            let inRow = min(columns, shown - (i / columns) * columns)
            let rect = row.columns(inRow)[i % columns]
            var title = models[i].model.title
            if i == shown - 1 && shown < models.count { title += "  (+\(models.count - shown) more: a taller terminal shows them)" }
            panel(&buffer, input, s, models[i].model, title: title, area: rect)
        }
    }

    static func panel(_ buffer: inout Buffer, _ input: StudyScreenInput, _ s: Dashboard.Styles, _ model: ChartModel, title: String, area: Rect) {
        Block(title: [Span(title, s.title)], borderStyle: s.border, glyphs: input.glyphs).render(into: &buffer, area: area)
        let inner = Block.inner(area)
        guard !inner.isEmpty else { return }
        let t = input.theme
        func style(_ k: Int) -> Style { Style(fg: t.series(k)) }
        // The legend on the right: the entries' labels with their swatches, then the note.
        let labels = model.legend.map { $0.label + ($0.value.map { " " + $0 } ?? "") }
        let legendWidth = min(inner.width / 3, (labels.map(\.count).max() ?? 0) + 4)
        let (plotArea, legendArea) = legendWidth >= 6 ? inner.splitRight(legendWidth) : (inner, Rect(x: 0, y: 0, width: 0, height: 0))
        let chart = Chart(model: model, glyphs: input.glyphs, style: style, referenceStyle: s.label, labelStyle: s.label, axisStyle: s.border)
        chart.render(into: &buffer, area: plotArea)
        guard !legendArea.isEmpty else { return }
        var row = legendArea.y
        for (e, label) in zip(model.legend, labels) where row < legendArea.bottom {
            let swatch: Unicode.Scalar
            switch e.mark {
            case .line: swatch = Legend.swatch(e.style, glyphs: input.glyphs)
            case .box: swatch = input.glyphs.unicode ? "█" : "#"
            case .point: swatch = input.glyphs.unicode ? "•" : "o"
            }
            buffer.set(legendArea.x + 1, row, swatch, style(e.style))
            buffer.put(label, legendArea.x + 3, row, s.text, maxWidth: legendArea.width - 3)
            row += 1
        }
        if let note = model.note {
            for line in Dashboard.wrap(note, width: max(1, legendArea.width - 1)) where row < legendArea.bottom {
                buffer.put(line, legendArea.x + 1, row, s.label, maxWidth: legendArea.width - 1)
                row += 1
            }
        }
    }

    static func footerRows(_ buffer: inout Buffer, _ input: StudyScreenInput, _ s: Dashboard.Styles, area: Rect) {
        let width = area.width - 1
        var spans: [Span] = []
        let hints = KeyTable.footerHints(width: width, among: StudyReplayKeyTable.bindings.filter { $0.hint != nil })
        for (i, b) in hints.enumerated() {
            spans.append(Span(b.footerLabel, s.key))
            spans.append(Span(" " + b.hint! + (i + 1 < hints.count ? "  " : ""), s.label))
        }
        buffer.put(spans, area.x + 1, area.y, maxWidth: width)
        if let m = input.message { buffer.put(m.text, area.x + 1, area.y + 1, m.warning ? s.warning : s.message, maxWidth: width) }
    }

    static func help(_ buffer: inout Buffer, _ input: StudyScreenInput, _ s: Dashboard.Styles) {
        let table = StudyReplayKeyTable.bindings
        let keyWidth = table.map(\.label.count).max() ?? 0
        var lines = table.map { [Span($0.label.padding(toLength: keyWidth, withPad: " ", startingAt: 0), s.key), Span("  " + $0.help, s.text)] }
        let textWidth = Dashboard.helpTextWidth(screenWidth: buffer.width, table: table)
        if !input.messages.isEmpty {
            lines.append([])
            lines.append([Span("last messages, newest first", s.title)])
            for m in input.messages.reversed() {
                for line in Dashboard.wrap(m.text, width: textWidth) { lines.append([Span(line, m.warning ? s.warning : s.text)]) }
            }
        }
        let area = buffer.area.centred(width: textWidth + 4, height: min(buffer.height, lines.count + 4))
        buffer.fill(area, " ", Style(fg: input.theme.color(.mainFg), bg: input.theme.color(.mainBg), attributes: []))
        Block(title: [Span("keys", s.title), Span("  any key closes, q quits", s.label)], borderStyle: s.border, glyphs: input.glyphs)
            .render(into: &buffer, area: area)
        let inner = Block.inner(area)
        for (i, line) in lines.enumerated() where i + 1 < inner.height {
            buffer.put(line, inner.x + 1, inner.y + 1 + i, maxWidth: inner.width - 1)
        }
    }
}
