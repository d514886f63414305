/// A two-column table of names and values; a value may carry its own style, and shorter forms
/// of itself for a narrow panel (the first that fits is drawn, so a value loses its least
/// important part rather than being cut at the edge).
public struct KeyValuePanel: Widget {
    public struct Row: Sendable {
        public var key: String
        public var value: String
        public var style: Style?
        /// Shorter forms of `value`, longest first.
        public var shorter: [String]

        public init(_ key: String, _ value: String, style: Style? = nil, shorter: [String] = []) {
            self.key = key
            self.value = value
            self.style = style
            self.shorter = shorter
        }

        /// The first form of the value at most `width` columns wide, else the shortest (cut).
        public func value(fitting width: Int) -> String {
            let forms = [value] + shorter
            return forms.first { $0.unicodeScalars.count <= width } ?? forms[forms.count - 1]
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

    /// The columns of the key column with its gap: the longest key and one, at most half the width.
    public static func keyWidth(_ rows: [Row], width: Int) -> Int {
        min((rows.map(\.key.unicodeScalars.count).max() ?? 0) + 1, width / 2)
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let keyWidth = Self.keyWidth(rows, width: area.width)
        for (i, row) in rows.prefix(area.height).enumerated() {
            let y = area.y + i
            buffer.put(row.key, area.x, y, keyStyle, maxWidth: keyWidth - 1)
            buffer.put(row.value(fitting: area.width - keyWidth), area.x + keyWidth, y, row.style ?? valueStyle, maxWidth: area.width - keyWidth)
        }
    }
}
