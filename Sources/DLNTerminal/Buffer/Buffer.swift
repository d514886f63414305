/// A frame drawn off-screen: widgets render into rectangles of it, the terminal layer sends the
/// cells that differ from the previous frame (ratatui's Buffer).
public struct Buffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Sets one cell's scalar and patches its style; outside the buffer does nothing.
    public mutating func set(_ x: Int, _ y: Int, _ scalar: Unicode.Scalar, _ style: Style = .none) {
        guard contains(x: x, y: y) else { return }
        let i = y * width + x
        cells[i].scalar = scalar
        cells[i].apply(style)
    }

    public mutating func patch(_ x: Int, _ y: Int, _ style: Style) {
        guard contains(x: x, y: y) else { return }
        cells[y * width + x].apply(style)
    }

    /// Fills a rectangle (clipped) with a scalar and style.
    public mutating func fill(_ rect: Rect, _ scalar: Unicode.Scalar = " ", _ style: Style = .none) {
        let r = rect.intersection(area)
        for y in r.y..<(r.y + r.height) {
            for x in r.x..<(r.x + r.width) { set(x, y, scalar, style) }
        }
    }

    public mutating func patch(_ rect: Rect, _ style: Style) {
        let r = rect.intersection(area)
        for y in r.y..<(r.y + r.height) {
            for x in r.x..<(r.x + r.width) { patch(x, y, style) }
        }
    }

    /// Writes text from (x, y), one column per scalar, clipped to `maxWidth` columns and the
    /// buffer; returns the columns used. Scalars that are not one column wide print as '?'.
    @discardableResult
    public mutating func put(_ text: String, _ x: Int, _ y: Int, _ style: Style = .none, maxWidth: Int = .max) -> Int {
        let maxWidth = min(maxWidth, width - x)
        var column = 0
        for scalar in text.unicodeScalars {
            if column >= maxWidth { break }
            set(x + column, y, TextWidth.singleColumn(scalar), style)
            column += 1
        }
        return column
    }

    /// Writes styled spans one after another; returns the columns used.
    @discardableResult
    public mutating func put(_ spans: [Span], _ x: Int, _ y: Int, maxWidth: Int) -> Int {
        var used = 0
        for span in spans where used < maxWidth {
            used += put(span.text, x + used, y, span.style, maxWidth: maxWidth - used)
        }
        return used
    }

    /// The text of row y, trailing blanks removed.
    public func line(_ y: Int) -> String {
        var s = String.UnicodeScalarView()
        for x in 0..<width { s.append(self[x, y].scalar) }
        var text = String(s)
        while text.last == " " { text.removeLast() }
        return text
    }

    /// The frame as plain text: what a screen copy and the golden tests compare.
    public var text: String { (0..<height).map(line).joined(separator: "\n") }

    /// Indices of cells that differ from `previous`; every cell when the sizes differ.
    public func changes(from previous: Buffer?) -> [Int] {
        guard let previous, previous.width == width, previous.height == height else {
            return Array(cells.indices)
        }
        var out: [Int] = []
        for i in cells.indices where cells[i] != previous.cells[i] { out.append(i) }
        return out
    }
}

/// A run of text in one style.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .none) {
        self.text = text
        self.style = style
    }
}

extension Array where Element == Span {
    public var width: Int { reduce(0) { $0 + $1.text.unicodeScalars.count } }
}

public enum TextWidth {
    /// The scalar if it takes one column in every terminal we draw on, else '?'. East Asian wide
    /// characters, combining marks and controls would shift the rest of the row.
    public static func singleColumn(_ s: Unicode.Scalar) -> Unicode.Scalar {
        switch s.value {
        case 0x20..<0x7F, 0xA0..<0x300, 0x370..<0x530, 0x2010..<0x2028, 0x2030..<0x2060,
             0x2070..<0x20A0, 0x2100..<0x2300, 0x2500..<0x2600, 0x2800..<0x2900:
            return s
        default:
            return "?"
        }
    }
}
