/// Renders itself into a rectangle of a buffer; holds no terminal and no application state, so
/// tests render widgets off-screen and compare text (ratatui's Widget).
public protocol Widget {
    func render(into buffer: inout Buffer, area: Rect)
}

extension Chart: Widget {}

/// A border with a title; its inner rectangle is where the content goes.
public struct Block: Widget {
    public var title: [Span]
    public var borderStyle: Style
    public var glyphs: Glyphs

    public init(title: [Span], borderStyle: Style = .none, glyphs: Glyphs) {
        self.title = title
        self.borderStyle = borderStyle
        self.glyphs = glyphs
    }

    public static func inner(_ area: Rect) -> Rect { area.inset(1) }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width >= 2, area.height >= 2 else { return }
        let g = glyphs
        for x in (area.x + 1)..<(area.right - 1) {
            buffer.set(x, area.y, g.horizontal, borderStyle)
            buffer.set(x, area.bottom - 1, g.horizontal, borderStyle)
        }
        for y in (area.y + 1)..<(area.bottom - 1) {
            buffer.set(area.x, y, g.vertical, borderStyle)
            buffer.set(area.right - 1, y, g.vertical, borderStyle)
        }
        buffer.set(area.x, area.y, g.topLeft, borderStyle)
        buffer.set(area.right - 1, area.y, g.topRight, borderStyle)
        buffer.set(area.x, area.bottom - 1, g.bottomLeft, borderStyle)
        buffer.set(area.right - 1, area.bottom - 1, g.bottomRight, borderStyle)
        let room = area.width - 4
        if room > 2 && !title.isEmpty {
            let used = buffer.put([Span(" ")] + title + [Span(" ")], area.x + 1, area.y, maxWidth: room + 2)
            _ = used
        }
    }
}

/// Lines of "swatch label value", one per entry, and an optional note (for example how many
/// series are hidden) after them.
public struct Legend: Widget {
    public struct Entry: Sendable {
        public var label: String
        public var value: String
        public var style: Style

        public init(label: String, value: String, style: Style) {
            self.label = label
            self.value = value
            self.style = style
        }
    }

    public var entries: [Entry]
    public var note: String?
    public var glyphs: Glyphs
    public var textStyle: Style

    public init(entries: [Entry], note: String? = nil, glyphs: Glyphs, textStyle: Style = .none) {
        self.entries = entries
        self.note = note
        self.glyphs = glyphs
        self.textStyle = textStyle
    }

    /// The columns the legend wants: swatch, space, widest label, space, widest value.
    public var preferredWidth: Int {
        let label = entries.map(\.label.unicodeScalars.count).max() ?? 0
        let value = entries.map(\.value.unicodeScalars.count).max() ?? 0
        return max(2 + label + 1 + value, note?.unicodeScalars.count ?? 0)
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let labelWidth = entries.map(\.label.unicodeScalars.count).max() ?? 0
        var row = 0
        let shown = note == nil ? area.height : max(0, area.height - 1)
        for entry in entries.prefix(shown) {
            let y = area.y + row
            buffer.set(area.x, y, glyphs.swatch, entry.style)
            let padded = entry.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            buffer.put(padded + " " + entry.value, area.x + 2, y, textStyle, maxWidth: area.width - 2)
            row += 1
        }
        if let note, row < area.height {
            buffer.put(note, area.x, area.y + row, textStyle, maxWidth: area.width)
        }
    }
}

/// A two-column table of names and values; a value may carry its own style.
public struct KeyValuePanel: Widget {
    public struct Row: Sendable {
        public var key: String
        public var value: String
        public var style: Style?

        public init(_ key: String, _ value: String, style: Style? = nil) {
            self.key = key
            self.value = value
            self.style = style
        }
    }

    public var rows: [Row]
    public var keyStyle: Style
    public var valueStyle: Style

    public init(rows: [Row], keyStyle: Style = .none, valueStyle: Style = .none) {
        self.rows = rows
        self.keyStyle = keyStyle
        self.valueStyle = valueStyle
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let keyWidth = min((rows.map(\.key.unicodeScalars.count).max() ?? 0) + 1, area.width / 2)
        for (i, row) in rows.prefix(area.height).enumerated() {
            let y = area.y + i
            buffer.put(row.key, area.x, y, keyStyle, maxWidth: keyWidth - 1)
            buffer.put(row.value, area.x + keyWidth, y, row.style ?? valueStyle, maxWidth: area.width - keyWidth)
        }
    }
}

/// Centred lines of text (the too-small screen, notices).
public struct Paragraph: Widget {
    public var lines: [[Span]]

    public init(lines: [[Span]]) { self.lines = lines }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < area.bottom {
            let w = line.width
            let x = area.x + max(0, (area.width - w) / 2)
            buffer.put(line, x, top + i, maxWidth: area.right - x)
        }
    }
}
