/// Renders itself into a rectangle of a buffer; holds no terminal and no application state, so
/// tests render widgets off-screen and compare text (ratatui's Widget).
public protocol Widget {
    func render(into buffer: inout Buffer, area: Rect)
}

extension Chart: Widget {}
