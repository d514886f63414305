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
