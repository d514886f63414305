import DLNCharts

/// Lines of "swatch label value", one per entry, and an optional note (for example how many
/// series are hidden) after them. The swatch is the line's own glyph: the series' ASCII marker
/// under LANG=C, and on a Unicode screen a block for a solid line or a dashed rule for a dashed one.
public struct Legend: Widget {
    public struct Entry: Sendable {
        public var label: String
        public var value: String
        public var style: Style
        /// The series' index into the screen's style cycle (nil: the entry's place in the legend,
        /// which is the series' place in its chart).
        public var styleIndex: Int?

        public init(label: String, value: String, style: Style, styleIndex: Int? = nil) {
            self.label = label
            self.value = value
            self.style = style
            self.styleIndex = styleIndex
        }
    }

    /// Unicode swatches by dash pattern (ChartDash): solid, dashed, dotted, dash-dot.
    public static let unicodeSwatches: [Unicode.Scalar] = ["■", "╍", "┅", "┉"]

    /// The glyph of series `index` of the style cycle, as a legend shows it.
    public static func swatch(_ index: Int, glyphs: Glyphs) -> Unicode.Scalar {
        let style = StyleCycle.screen.style(index)
        if glyphs.marker == .ascii { return Glyphs.asciiDots[style.marker % Glyphs.asciiDots.count] }
        return unicodeSwatches[style.dash % unicodeSwatches.count]
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
        for (i, entry) in entries.prefix(shown).enumerated() {
            let y = area.y + row
            buffer.set(area.x, y, Self.swatch(entry.styleIndex ?? i, glyphs: glyphs), entry.style)
            let padded = entry.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            buffer.put(padded + " " + entry.value, area.x + 2, y, textStyle, maxWidth: area.width - 2)
            row += 1
        }
        if let note, row < area.height {
            buffer.put(note, area.x, area.y + row, textStyle, maxWidth: area.width)
        }
    }
}
