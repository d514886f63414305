import Foundation

/// A small matrix as numbers, or any matrix as a heat map: colour from `negative` through `zero`
/// to `positive` scaled by the largest magnitude, two rows per cell with half blocks; without
/// colour, shades of magnitude.
public struct MatrixView: Widget {
    public var rows: Int
    public var cols: Int
    /// Row-major.
    public var values: [Double]
    public var glyphs: Glyphs
    public var colorful: Bool
    public var negative: RGB
    public var zero: RGB
    public var positive: RGB
    public var textStyle: Style

    public init(rows: Int, cols: Int, values: [Double], glyphs: Glyphs, colorful: Bool,
                negative: RGB, zero: RGB, positive: RGB, textStyle: Style = .none) {
        self.rows = rows
        self.cols = cols
        self.values = values
        self.glyphs = glyphs
        self.colorful = colorful
        self.negative = negative
        self.zero = zero
        self.positive = positive
        self.textStyle = textStyle
    }

    public var maxAbs: Double {
        values.reduce(0) { $1.isFinite ? max($0, abs($1)) : $0 }
    }

    /// Entries as equal-width strings: sign, then two decimals for small numbers, exponent form
    /// beyond.
    public func numberTexts() -> [String] {
        let m = maxAbs
        let texts = values.map { v -> String in
            if !v.isFinite { return NumberText.compact(v) }
            if m < 9.995 { return NumberText.format("%+.2f", v) }
            if m < 99.95 { return NumberText.format("%+.1f", v) }
            return NumberText.format("%+.0e", v)
        }
        let w = texts.map(\.count).max() ?? 0
        return texts.map { String(repeating: " ", count: w - $0.count) + $0 }
    }

    /// Whether numbers fit in a rectangle of this size.
    public func numbersFit(width: Int, height: Int) -> Bool {
        let w = numberTexts().first?.count ?? 0
        return rows <= height && cols * (w + 1) - 1 <= width
    }

    public func colour(_ v: Double) -> RGB { colour(v, scale: maxAbs) }

    func colour(_ v: Double, scale m: Double) -> RGB {
        guard v.isFinite, m > 0 else { return zero }
        // Sixteen levels each way keep the number of colour pairs small.
        let t = (v / m * 16).rounded() / 16
        return t < 0 ? zero.mixed(with: negative, -t) : zero.mixed(with: positive, t)
    }

    public func renderNumbers(into buffer: inout Buffer, area: Rect) {
        let texts = numberTexts()
        let w = (texts.first?.count ?? 0) + 1
        let m = maxAbs
        for i in 0..<min(rows, area.height) {
            for j in 0..<cols where j * w < area.width {
                let v = values[i * cols + j]
                let style = colorful ? Style(fg: .rgb(colour(v, scale: m))) : textStyle
                buffer.put(texts[i * cols + j], area.x + j * w, area.y + i, style, maxWidth: area.width - j * w)
            }
        }
    }

    /// Block means of the matrix on a grid of at most `gridRows` x `gridCols`.
    func resampled(gridRows: Int, gridCols: Int) -> (rows: Int, cols: Int, values: [Double]) {
        let gr = max(1, min(rows, gridRows)), gc = max(1, min(cols, gridCols))
        var out = [Double](repeating: 0, count: gr * gc)
        for a in 0..<gr {
            let r0 = a * rows / gr, r1 = max(r0 + 1, (a + 1) * rows / gr)
            for b in 0..<gc {
                let c0 = b * cols / gc, c1 = max(c0 + 1, (b + 1) * cols / gc)
                var sum = 0.0
                for i in r0..<r1 { for j in c0..<c1 { sum += values[i * cols + j] } }
                out[a * gc + b] = sum / Double((r1 - r0) * (c1 - c0))
            }
        }
        return (gr, gc, out)
    }

    /// The grid the heat map draws in `area`: smaller than rows x cols means entries are averaged
    /// in blocks (the panel's title says so).
    public func heatMapGrid(area: Rect) -> (rows: Int, cols: Int) {
        guard !area.isEmpty else { return (0, 0) }
        if colorful && glyphs.unicode {
            let k = max(1, min(area.width / max(1, cols), (2 * area.height) / max(1, rows)))
            return (max(1, min(rows, area.height * 2 / k)), max(1, min(cols, area.width / k)))
        }
        return (max(1, min(rows, area.height)), max(1, min(cols, area.width)))
    }

    public func renderHeatMap(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        if colorful && glyphs.unicode {
            // A half block is about square: k columns and k half rows per entry, k as large as fits.
            let k = max(1, min(area.width / max(1, cols), (2 * area.height) / max(1, rows)))
            let g = resampled(gridRows: area.height * 2 / k, gridCols: area.width / k)
            let m = maxAbs
            func colour(_ v: Double) -> RGB { self.colour(v, scale: m) }
            for hy in stride(from: 0, to: g.rows * k, by: 2) {
                for px in 0..<(g.cols * k) {
                    let j = px / k
                    let upper = colour(g.values[(hy / k) * g.cols + j])
                    let cell = (area.x + px, area.y + hy / 2)
                    if hy + 1 < g.rows * k {
                        let lower = colour(g.values[((hy + 1) / k) * g.cols + j])
                        buffer.set(cell.0, cell.1, glyphs.upperHalf, Style(fg: .rgb(upper), bg: .rgb(lower)))
                    } else {
                        buffer.set(cell.0, cell.1, glyphs.upperHalf, Style(fg: .rgb(upper)))
                    }
                }
            }
        } else {
            let g = resampled(gridRows: area.height, gridCols: area.width)
            let m = maxAbs
            let levels = glyphs.shades.count
            for i in 0..<g.rows {
                for j in 0..<g.cols {
                    let v = g.values[i * g.cols + j]
                    let t = m > 0 && v.isFinite ? abs(v) / m : 0
                    let k = min(levels - 1, Int((t * Double(levels - 1)).rounded()))
                    buffer.set(area.x + j, area.y + i, glyphs.shades[k], colorful ? Style(fg: .rgb(colour(v, scale: m))) : textStyle)
                }
            }
        }
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        if numbersFit(width: area.width, height: area.height) {
            renderNumbers(into: &buffer, area: area)
        } else {
            renderHeatMap(into: &buffer, area: area)
        }
    }
}
