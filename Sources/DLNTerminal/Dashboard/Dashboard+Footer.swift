/// The footer (key hints and the message line) and the help overlay, both read from the key table.
extension Dashboard {
    /// Two rows: the key hints that fit the width (the table's lowest-priority hints dropped
    /// first) and the message. A message too long for its row takes the hints' row as well,
    /// wrapped; one longer still ends with a pointer to `?`, which shows it in full.
    static func footer(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, area: Rect) {
        let width = area.width - 1
        guard width > 0, area.height > 0 else { return }
        var lines: [String] = []
        if let m = input.message { lines = wrap(m.text, width: width) }
        let style = input.message.map { $0.warning ? s.warning : s.message } ?? s.message
        if lines.count > 1 && area.height > 1 {
            if lines.count > 2 {
                let more = " ... (? shows all)"
                lines[1] = wrap(lines[1...].joined(separator: " "), width: max(1, width - more.count))[0] + more
            }
            buffer.put(lines[0], area.x + 1, area.y, style, maxWidth: width)
            buffer.put(lines[1], area.x + 1, area.y + 1, style, maxWidth: width)
            return
        }
        var spans: [Span] = []
        let hints = input.keys.map { KeyTable.footerHints(width: width, among: $0.filter { $0.hint != nil }) } ?? KeyTable.footerHints(width: width)
        for (i, b) in hints.enumerated() {
            spans.append(Span(b.footerLabel, s.key))
            spans.append(Span(" " + b.hint! + (i + 1 < hints.count ? "  " : ""), s.label))
        }
        buffer.put(spans, area.x + 1, area.y, maxWidth: width)
        if let line = lines.first, area.height > 1 {
            buffer.put(line, area.x + 1, area.y + 1, style, maxWidth: width)
        }
    }

    /// Words to lines of at most `width` columns (a word longer than a line is cut into pieces).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        var used = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var w = String(word)
            let n = w.unicodeScalars.count
            if used > 0 && used + 1 + n <= width {
                line += " " + w
                used += 1 + n
                continue
            }
            if used > 0 { lines.append(line) }
            line = ""
            used = 0
            while w.unicodeScalars.count > width {
                let scalars = Array(w.unicodeScalars)
                lines.append(String(String.UnicodeScalarView(scalars[..<width])))
                w = String(String.UnicodeScalarView(scalars[width...]))
            }
            line = w
            used = w.unicodeScalars.count
        }
        if used > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Every key of the table, then the last messages in full (as many as the screen holds).
    static func helpOverlay(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles) {
        let table = input.keys ?? KeyTable.bindings
        let keyWidth = table.map(\.label.count).max() ?? 0
        let keys = table.map {
            [Span($0.label.padding(toLength: keyWidth, withPad: " ", startingAt: 0), s.key), Span("  " + $0.help, s.text)]
        }
        let textWidth = helpTextWidth(screenWidth: buffer.width, table: table)
        let width = textWidth + 4
        var messages: [[Span]] = []
        if !input.messages.isEmpty {
            messages.append([])
            messages.append([Span("last messages, newest first", s.title)])
            for m in input.messages.reversed() {
                for line in wrap(m.text, width: textWidth) { messages.append([Span(line, m.warning ? s.warning : s.text)]) }
            }
        }
        let lines = keys + messages
        let area = buffer.area.centred(width: width, height: min(buffer.height, lines.count + 4))
        buffer.fill(area, " ", Style(fg: input.theme.color(.mainFg), bg: input.theme.color(.mainBg), attributes: []))
        let inner = box(&buffer, input, s, [Span("keys", s.title), Span("  any key closes, q quits", s.label)], area)
        for (i, line) in lines.enumerated() where i + 1 < inner.height {
            buffer.put(line, inner.x + 1, inner.y + 1 + i, maxWidth: inner.width - 1)
        }
    }

    /// The columns of the help overlay's text: the widest key line, at least 56, at most the screen.
    static func helpTextWidth(screenWidth: Int, table: [KeyBinding] = KeyTable.bindings) -> Int {
        let keyWidth = table.map(\.label.count).max() ?? 0
        let widest = table.map { keyWidth + 2 + $0.help.count }.max() ?? 0
        return max(0, min(screenWidth, max(60, widest + 4)) - 4)
    }

    /// Whether the too-small screen is shown at this size (only q and resizing act there).
    public static func isTooSmall(width: Int, height: Int) -> Bool {
        width < DashboardLayout.minimumWidth || height < DashboardLayout.minimumHeight
    }
}
