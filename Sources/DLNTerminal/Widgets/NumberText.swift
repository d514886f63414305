import Foundation

/// Short numbers for labels and panels: at most `digits` significant digits, exponents without
/// padding, infinities and NaN spelled out (never garbage).
public enum NumberText {
    public static func compact(_ x: Double, digits: Int = 3) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a == a.rounded() && a < 1e6 { return String(Int(x)) }
        if a >= 0.01 && a < 1e5 {
            let magnitude = Int(floor(log10(a)))
            let decimals = max(0, digits - 1 - magnitude)
            return trimmed(format("%.*f", Int32(decimals), x))
        }
        return exponent(x, digits: digits)
    }

    /// m.mme-k with the mantissa's trailing zeros removed: 1e-3, 2.5e+4 is 2.5e4.
    public static func exponent(_ x: Double, digits: Int = 3) -> String {
        if x.isNaN || x.isInfinite { return compact(x) }
        let s = format("%.*e", Int32(max(0, digits - 1)), x)
        guard let e = s.firstIndex(of: "e") else { return s }
        let mantissa = trimmed(String(s[..<e]))
        let power = Int(s[s.index(after: e)...]) ?? 0
        return "\(mantissa)e\(power)"
    }

    /// 10^k as a label: 1e-3, 1, 1e2.
    public static func powerOfTen(_ k: Int) -> String {
        switch k {
        case 0: return "1"
        case 1: return "10"
        default: return "1e\(k)"
        }
    }

    /// printf's text for a format and its arguments, through vsnprintf: Foundation's String(format:)
    /// gives the same text (it formats numbers with the C library's printf in the C locale) at about
    /// ten times the cost, which was a tenth of a dashboard frame.
    public static func format(_ format: String, _ arguments: CVarArg...) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { buffer in
            let n = withVaList(arguments) { vsnprintf(buffer.baseAddress!, 128, format, $0) }
            if n >= 128 { return String(format: format, arguments: arguments) }
            return String(cString: buffer.baseAddress!)
        }
    }

    private static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.last == "0" { t.removeLast() }
        if t.last == "." { t.removeLast() }
        return t
    }
}
