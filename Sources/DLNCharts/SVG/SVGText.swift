import Foundation

/// The small pieces of SVG text every figure needs: numbers with fixed decimals (deterministic
/// bytes), escaped text, and labels set typographically (a real minus, superscript exponents).
enum SVGText {
    /// %.2f, with -0.00 written 0.00 (the same picture must give the same bytes).
    static func n(_ x: Double) -> String {
        let s = Ticks.format("%.2f", x)
        return s == "-0.00" ? "0.00" : s
    }

    static func escaped(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // XML 1.0 forbids most control characters; none belongs in a label.
                if c.value < 0x20 && c != "\n" && c != "\t" { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻",
    ]

    /// A tick's label as a figure shows it: 10^k with a superscript k, negative numbers with U+2212.
    static func tickLabel(_ t: Tick) -> String {
        if let k = t.power { return k == 0 ? "1" : (k == 1 ? "10" : "10" + String(String(k).map { superscripts[$0]! })) }
        return minus(t.label)
    }

    static func minus(_ s: String) -> String {
        s.hasPrefix("-") ? "\u{2212}" + s.dropFirst() : s
    }

    /// Rough width of a text in points: 0.62 em per character, DejaVu Sans's digits and lower case
    /// (the widest fallback of the font stack; Helvetica is narrower), so nothing is cut.
    static func width(_ s: String, size: Double) -> Double {
        Double(s.unicodeScalars.count) * size * 0.62
    }

    /// Words filled into lines of at most `limit` characters.
    static func wrapped(_ text: String, limit: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > limit {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
