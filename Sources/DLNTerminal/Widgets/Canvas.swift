/// A grid of dots over a rectangle of cells, at the marker's resolution (braille 2 x 4 per cell,
/// half blocks 1 x 2, ASCII 1 x 1). Each cell remembers the last colour drawn into it: a
/// character has one foreground colour.
public struct Canvas {
    public let columns: Int
    public let rows: Int
    public let marker: Marker
    /// Per cell, the dots drawn (low 32 bits) and the series that drew last plus one (high 32 bits,
    /// 0 for none): one array, so that a dot costs one uniqueness check and one store.
    private var cells: [UInt64]

    public init(columns: Int, rows: Int, marker: Marker) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        self.marker = marker
        cells = Array(repeating: 0, count: self.columns * self.rows)
    }

    @inline(__always)
    private mutating func mark(_ i: Int, _ bits: UInt32, series: Int, replace: Bool = false) {
        let kept = replace ? 0 : cells[i] & 0xFFFF_FFFF
        cells[i] = kept | UInt64(bits) | UInt64(truncatingIfNeeded: series + 1) << 32
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
            mark((py >> 2) * columns + (px >> 1), Braille.bit(dx: px & 1, dy: py & 3), series: series)
        case .block:
            mark((py >> 1) * columns + px, py & 1 == 0 ? 1 : 2, series: series)
        case .ascii:
            mark(py * columns + px, 1, series: series, replace: true)
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

    /// Dot (px, py) of a dashed series: drawn when bit (px / 2) mod 8 of `pattern` is set, so the
    /// dashes run along x (a braille cell per bit) however densely the series is sampled.
    @inline(__always)
    public mutating func dashedDot(_ px: Int, _ py: Int, series: Int, pattern: UInt8) {
        if pattern >> UInt8(truncatingIfNeeded: (px >> 1) & 7) & 1 == 1 { dot(px, py, series: series) }
    }

    /// A straight segment (Bresenham) of a dashed series.
    public mutating func dashedLine(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, series: Int, pattern: UInt8) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            dashedDot(x, y, series: series, pattern: pattern)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// Draws the dots into `area` (its top-left is the canvas's); `styles[series]` colours a cell;
    /// an ASCII canvas writes `markers[series]` (default: the series' place in `Glyphs.asciiDots`).
    public func render(into buffer: inout Buffer, at origin: (x: Int, y: Int), glyphs: Glyphs, styles: [Style],
                       markers: [Unicode.Scalar]? = nil) {
        for cy in 0..<rows {
            for cx in 0..<columns {
                let i = cy * columns + cx
                let pattern = UInt32(truncatingIfNeeded: cells[i])
                guard pattern != 0 else { continue }
                let series = Int(cells[i] >> 32) - 1
                let scalar: Unicode.Scalar
                switch marker {
                case .braille: scalar = Braille.scalar(pattern)
                case .block: scalar = pattern == 3 ? glyphs.fullBlock : (pattern == 1 ? glyphs.upperHalf : glyphs.lowerHalf)
                case .ascii:
                    if let markers, series >= 0, series < markers.count {
                        scalar = markers[series]
                    } else {
                        scalar = Glyphs.asciiDots[max(0, series) % Glyphs.asciiDots.count]
                    }
                }
                let style = series >= 0 && series < styles.count ? styles[series] : .none
                buffer.set(origin.x + cx, origin.y + cy, scalar, style)
            }
        }
    }
}
