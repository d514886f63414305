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
