/// A grid of dots over a rectangle of cells, at the marker's resolution (braille 2 x 4 per cell,
/// half blocks 1 x 2, ASCII 1 x 1). Each cell remembers the last colour drawn into it: a
/// character has one foreground colour.
public struct Canvas {
    public let columns: Int
    public let rows: Int
    public let marker: Marker
    private var bits: [UInt32]
    private var owner: [Int]

    public init(columns: Int, rows: Int, marker: Marker) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        self.marker = marker
        bits = Array(repeating: 0, count: self.columns * self.rows)
        owner = Array(repeating: -1, count: self.columns * self.rows)
    }

    public var dotsWide: Int { columns * marker.dotsWide }
    public var dotsHigh: Int { rows * marker.dotsHigh }

    /// Dot (px, py), py counted from the top; outside the grid does nothing.
    public mutating func dot(_ px: Int, _ py: Int, series: Int) {
        guard px >= 0, py >= 0, px < dotsWide, py < dotsHigh else { return }
        // Shifts for the marker's cell size (px, py >= 0): charts draw thousands of dots a frame,
        // and a division by a size known only at run time is a slow instruction.
        switch marker {
        case .braille:
            let i = (py >> 2) * columns + (px >> 1)
            bits[i] |= Braille.bit(dx: px & 1, dy: py & 3)
            owner[i] = series
        case .block:
            let i = (py >> 1) * columns + px
            bits[i] |= py & 1 == 0 ? 1 : 2
            owner[i] = series
        case .ascii:
            let i = py * columns + px
            bits[i] = 1
            owner[i] = series
        }
    }

    /// A straight segment (Bresenham), both ends included.
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, series: Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            dot(x, y, series: series)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// Draws the dots into `area` (its top-left is the canvas's); `styles[series]` colours a cell.
    public func render(into buffer: inout Buffer, at origin: (x: Int, y: Int), glyphs: Glyphs, styles: [Style]) {
        for cy in 0..<rows {
            for cx in 0..<columns {
                let i = cy * columns + cx
                let pattern = bits[i]
                guard pattern != 0 else { continue }
                let series = owner[i]
                let scalar: Unicode.Scalar
                switch marker {
                case .braille: scalar = Braille.scalar(pattern)
                case .block: scalar = pattern == 3 ? glyphs.fullBlock : (pattern == 1 ? glyphs.upperHalf : glyphs.lowerHalf)
                case .ascii: scalar = Glyphs.asciiDots[max(0, series) % Glyphs.asciiDots.count]
                }
                let style = series >= 0 && series < styles.count ? styles[series] : .none
                buffer.set(origin.x + cx, origin.y + cy, scalar, style)
            }
        }
    }
}
