/// A colour as the theme gives it; the terminal layer maps it to what the terminal can show.
public struct RGB: Hashable, Sendable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    public var hex: UInt32 { UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b) }

    /// Linear interpolation, t in [0, 1].
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        let t = min(1, max(0, t))
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return RGB(mix(r, other.r), mix(g, other.g), mix(b, other.b))
    }
}

/// `terminal` is the terminal's own default colour (no colour sent).
public enum Color: Hashable, Sendable {
    case terminal
    case rgb(RGB)
}

public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1)
    public static let dim = Attributes(rawValue: 2)
    public static let reverse = Attributes(rawValue: 4)
    public static let underline = Attributes(rawValue: 8)
}

/// A patch applied to cells: nil leaves a cell's value as it was.
public struct Style: Hashable, Sendable {
    public var fg: Color?
    public var bg: Color?
    public var attributes: Attributes?

    public init(fg: Color? = nil, bg: Color? = nil, attributes: Attributes? = nil) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public static let none = Style()
}

/// One character cell: a single-column scalar with its colours and attributes.
public struct Cell: Hashable, Sendable {
    public var scalar: Unicode.Scalar
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(_ scalar: Unicode.Scalar = " ", fg: Color = .terminal, bg: Color = .terminal, attributes: Attributes = []) {
        self.scalar = scalar
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public static let blank = Cell()

    public mutating func apply(_ style: Style) {
        if let fg = style.fg { self.fg = fg }
        if let bg = style.bg { self.bg = bg }
        if let a = style.attributes { attributes = a }
    }
}
