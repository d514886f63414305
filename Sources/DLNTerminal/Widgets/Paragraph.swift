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
