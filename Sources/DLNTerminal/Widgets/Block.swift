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
            buffer.put([Span(" ")] + title + [Span(" ")], area.x + 1, area.y, maxWidth: room + 2)
        }
    }
}
