/// How charts put dots into cells (ratatui's `Marker`): braille packs 2 x 4 dots per cell,
/// half blocks 1 x 2, ASCII one dot per cell.
public enum Marker: String, CaseIterable, Sendable {
    case braille
    case block
    case ascii

    public var dotsWide: Int { self == .braille ? 2 : 1 }
    public var dotsHigh: Int {
        switch self {
        case .braille: return 4
        case .block: return 2
        case .ascii: return 1
        }
    }
}

/// The characters a frame is drawn with: Unicode box drawing and braille when the locale is
/// UTF-8, plain ASCII otherwise (LANG=C would print Unicode as garbage).
public struct Glyphs: Sendable, Equatable {
    public var unicode: Bool
    public var marker: Marker

    public var horizontal: Unicode.Scalar
    public var vertical: Unicode.Scalar
    public var topLeft: Unicode.Scalar
    public var topRight: Unicode.Scalar
    public var bottomLeft: Unicode.Scalar
    public var bottomRight: Unicode.Scalar
    /// The legend's colour swatch.
    public var swatch: Unicode.Scalar
    /// Heat-map shades by magnitude, lightest first (monochrome heat maps).
    public var shades: [Unicode.Scalar]
    public var upperHalf: Unicode.Scalar
    public var lowerHalf: Unicode.Scalar
    public var fullBlock: Unicode.Scalar
    /// The label of a log axis's floor lane (values <= 0).
    public var atMostZero: String
    public var sigma: String
    public var beta: String
    public var kappa: String
    public var times: String
    public var ellipsis: String

    public static let unicode = Glyphs(
        unicode: true, marker: .braille, horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐",
        bottomLeft: "└", bottomRight: "┘", swatch: "■", shades: [" ", "░", "▒", "▓", "█"],
        upperHalf: "▀", lowerHalf: "▄", fullBlock: "█", atMostZero: "≤0", sigma: "σ", beta: "β", kappa: "κ",
        times: "×", ellipsis: "…")

    public static let ascii = Glyphs(
        unicode: false, marker: .ascii, horizontal: "-", vertical: "|", topLeft: "+", topRight: "+",
        bottomLeft: "+", bottomRight: "+", swatch: "#", shades: [" ", ".", ":", "*", "#"],
        upperHalf: "\"", lowerHalf: ".", fullBlock: "#", atMostZero: "<=0", sigma: "s", beta: "beta", kappa: "kappa",
        times: "x", ellipsis: "~")

    /// Unicode glyphs with another marker (the block fallback for fonts without braille).
    public func with(marker: Marker) -> Glyphs {
        var g = self
        g.marker = unicode ? marker : .ascii
        return g
    }

    /// ASCII series markers, one per series so that monochrome charts stay readable.
    public static let asciiDots: [Unicode.Scalar] = ["*", "+", "o", "x", "#", "@", "%", "&"]
}

/// Braille cells: dot (dx, dy) of a cell, dx in 0...1 and dy in 0...3 from the top, is one bit
/// of U+2800 + bits (Unicode's braille numbering: dots 1-3 and 7 on the left, 4-6 and 8 on the right).
public enum Braille {
    static let bits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
    /// `bits` packed a byte per dot, row by row: byte 2 dy + dx is bit(dx, dy). A shift, where the
    /// nested arrays cost a lazy global and two bounds checks for every dot a chart draws.
    static let packedBits: UInt64 = 0x8040_2004_1002_0801

    @inline(__always)
    public static func bit(dx: Int, dy: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: packedBits >> UInt64(truncatingIfNeeded: 8 * (2 * dy + dx))) & 0xFF
    }

    public static func scalar(_ pattern: UInt32) -> Unicode.Scalar {
        Unicode.Scalar(0x2800 + (pattern & 0xFF))!
    }
}
