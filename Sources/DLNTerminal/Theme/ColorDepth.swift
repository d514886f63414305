import Foundation

/// How many colours the terminal shows, and how a theme's colour becomes a colour number.
public enum ColorDepth: String, Sendable, CaseIterable {
    /// 24-bit colour: the terminfo entry has the RGB capability (e.g. TERM=xterm-direct);
    /// ncurses cannot see COLORTERM.
    case direct
    case palette256 = "256"
    case ansi16 = "16"
    case ansi8 = "8"
    /// Attributes only: NO_COLOR is set, or the terminal has no colours.
    case monochrome

    public static func detect(noColor: String?, hasColors: Bool, colors: Int, rgbCapability: Bool) -> ColorDepth {
        if let n = noColor, !n.isEmpty { return .monochrome }
        guard hasColors, colors >= 8 else { return .monochrome }
        if rgbCapability && colors >= 1 << 24 { return .direct }
        if colors >= 256 { return .palette256 }
        if colors >= 16 { return .ansi16 }
        return .ansi8
    }

    public var isColor: Bool { self != .monochrome }

    /// The colour number for ncurses; -1 is the terminal's default.
    public func number(_ color: Color) -> Int32 {
        guard case .rgb(let c) = color else { return -1 }
        switch self {
        case .direct: return Int32(c.hex)
        case .palette256: return Int32(Palette.nearest256(c))
        case .ansi16: return Int32(Palette.nearestANSI(c, count: 16))
        case .ansi8: return Int32(Palette.nearestANSI(c, count: 8))
        case .monochrome: return -1
        }
    }
}

public enum Palette {
    static let cube: [Int] = [0, 95, 135, 175, 215, 255]

    static func distance(_ a: RGB, _ r: Int, _ g: Int, _ b: Int) -> Int {
        let dr = Int(a.r) - r, dg = Int(a.g) - g, db = Int(a.b) - b
        return dr * dr + dg * dg + db * db
    }

    /// The nearest of xterm's 6x6x6 cube (16...231) and grey ramp (232...255).
    public static func nearest256(_ c: RGB) -> Int {
        func level(_ v: UInt8) -> Int {
            var best = 0
            for i in 1..<6 where abs(cube[i] - Int(v)) < abs(cube[best] - Int(v)) { best = i }
            return best
        }
        let r = level(c.r), g = level(c.g), b = level(c.b)
        let cubeIndex = 16 + 36 * r + 6 * g + b
        let cubeDistance = distance(c, cube[r], cube[g], cube[b])
        let mean = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let greyStep = min(23, max(0, (mean - 8 + 5) / 10))
        let grey = 8 + 10 * greyStep
        return distance(c, grey, grey, grey) < cubeDistance ? 232 + greyStep : cubeIndex
    }

    /// xterm's default values of the 16 ANSI colours.
    static let ansi: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The nearest ANSI colour after pushing chromatic colours to full saturation, so that soft
    /// theme colours keep their hue instead of all becoming grey.
    public static func nearestANSI(_ c: RGB, count: Int) -> Int {
        let target = saturated(c)
        var best = 0, bestDistance = Int.max
        for i in 0..<min(count, ansi.count) {
            let d = distance(target, ansi[i].0, ansi[i].1, ansi[i].2)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    static func saturated(_ c: RGB) -> RGB {
        let r = Double(c.r) / 255, g = Double(c.g) / 255, b = Double(c.b) / 255
        let hi = max(r, g, b), lo = min(r, g, b)
        // Dark and greyish colours (backgrounds, borders) stay as they are.
        guard hi >= 0.35, (hi - lo) / hi > 0.25 else { return c }
        // Same hue, full saturation, value at least 0.8.
        let v = max(hi, 0.8)
        func channel(_ x: Double) -> UInt8 { UInt8(((x - lo) / (hi - lo) * v * 255).rounded()) }
        return RGB(channel(r), channel(g), channel(b))
    }
}
