import Foundation

/// One labelled value on an axis. `value` is in axis units (log10 of the value on a log axis);
/// `power` is the decade k of a log tick (its label is 10^k), nil on a linear axis; `step` is the
/// spacing of a linear axis's ticks, which sets the label's decimals. The label is made when asked
/// for: a screen formats only the ticks it has room for, every frame.
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var power: Int?
    public var step: Double

    public init(value: Double, step: Double, power: Int? = nil) {
        self.value = value
        self.step = step
        self.power = power
    }

    public var label: String { power.map(Ticks.powerOfTen) ?? Ticks.label(value, step: step) }
}

/// Where ticks go: decades on a log axis (every m-th one when there are too many), and on a linear
/// axis the multiples of the smallest step 1, 2 or 5 x 10^k that gives at most `maxCount` of them.
public enum Ticks {
    /// The ticks of a range in axis units, at most `maxCount` (at least 1 is asked for).
    public static func of(_ range: ChartRange, scale: AxisScale, maxCount: Int) -> [Tick] {
        guard range.hasFinite, range.high >= range.low, range.low.isFinite, range.high.isFinite else { return [] }
        switch scale {
        case .log10:
            return decades(low: range.low, high: range.high, maxCount: maxCount).map {
                Tick(value: Double($0), step: 1, power: $0)
            }
        case .linear:
            guard let step = linearStep(low: range.low, high: range.high, maxCount: maxCount) else {
                // A single point: it is its own tick.
                return range.high == range.low ? [Tick(value: range.low, step: 0)] : []
            }
            return multiples(of: step, low: range.low, high: range.high).map { Tick(value: $0, step: step) }
        }
    }

    /// The smallest step m x 10^k (m in 1, 2, 5) with at least one and at most `maxCount` multiples
    /// in [low, high]. Steps up to ten times the span are tried: a span of 4.5 from 0 has three
    /// multiples of 2 and one of 5. nil for an empty or non-finite span.
    public static func linearStep(low: Double, high: Double, maxCount: Int) -> Double? {
        let span = high - low
        guard span > 0, span.isFinite else { return nil }
        let limit = max(1, maxCount)
        var best: Double? = nil
        var e = Int(Foundation.floor(Foundation.log10(span))) + 1
        // 20 decades below the span is far past any count a chart asks for.
        for _ in 0..<22 {
            for m in [5.0, 2.0, 1.0] {
                let step = m * pow(10, Double(e))
                let c = count(step, low: low, high: high)
                if c == 0 { continue }
                if c > limit { return best ?? step }
                best = step
            }
            e -= 1
        }
        return best
    }

    /// How many multiples of `step` lie in [low, high] (a relative slack of 1e-9 keeps the ends).
    static func count(_ step: Double, low: Double, high: Double) -> Int {
        let first = Foundation.ceil(low / step - 1e-9), last = Foundation.floor(high / step + 1e-9)
        return last >= first ? Int(last - first) + 1 : 0
    }

    /// k x step for every k with k x step in [low, high]; values within 1e-9 steps of zero are zero.
    public static func multiples(of step: Double, low: Double, high: Double) -> [Double] {
        let first = Int(Foundation.ceil(low / step - 1e-9)), last = Int(Foundation.floor(high / step + 1e-9))
        guard last >= first else { return [] }
        return (first...last).map { k in k == 0 ? 0 : Double(k) * step }
    }

    /// The decades k in [low, high] (axis units), every m-th with m the smallest of 1, 2, 5, 10, ...
    /// that keeps at most `maxCount`, aligned on multiples of m so that the labels do not shift as the
    /// range grows.
    public static func decades(low: Double, high: Double, maxCount: Int) -> [Int] {
        let first = Int(Foundation.ceil(low - 1e-9)), last = Int(Foundation.floor(high + 1e-9))
        guard last >= first else { return [] }
        let limit = max(1, maxCount)
        var m = 1
        var candidates = [1, 2, 5]
        while true {
            for c in candidates {
                m = c
                let ks = (first...last).filter { $0 % m == 0 }
                if ks.count <= limit && !ks.isEmpty { return ks }
                if ks.isEmpty { return [first] }
            }
            candidates = candidates.map { $0 * 10 }
        }
    }

    /// 10^k as text: 1e-3, 1, 10, 1e2 (the terminal's labels; figures set k as a superscript).
    public static func powerOfTen(_ k: Int) -> String {
        switch k {
        case 0: return "1"
        case 1: return "10"
        default: return "1e\(k)"
        }
    }

    /// A tick value with the decimals its step needs (0.25 steps: 2 decimals), in exponent form when
    /// the values are very large or the step very small.
    public static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = Int(Foundation.floor(Foundation.log10(abs(value))))
        let stepMagnitude = step > 0 ? Int(Foundation.floor(Foundation.log10(step) + 1e-9)) : magnitude - 2
        if magnitude >= 6 || stepMagnitude <= -5 {
            let digits = max(0, magnitude - stepMagnitude)
            return exponent(value, decimals: digits)
        }
        let decimals = max(0, -stepMagnitude)
        // Whole steps (most time axes): no printf.
        if decimals == 0 { return String(Int(value.rounded())) }
        // A 2 or 5 step has one significant digit; a 2.5 step (never produced) would need two.
        return format("%.\(decimals)f", value)
    }

    /// A short label for a value that is not a tick (legend values, reference lines): 3 significant digits.
    public static func short(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        let a = abs(value)
        if a >= 0.01 && a < 1e5 {
            let magnitude = Int(Foundation.floor(Foundation.log10(a)))
            return trimmed(format("%.\(max(0, 2 - magnitude))f", value))
        }
        return exponent(value, decimals: 2)
    }

    /// m.mme-k with trailing zeros of the mantissa removed: 1e-3, 2.5e4.
    static func exponent(_ value: Double, decimals: Int) -> String {
        let s = format("%.\(decimals)e", value)
        guard let e = s.firstIndex(of: "e") else { return s }
        let mantissa = trimmed(String(s[..<e]))
        let power = Int(s[s.index(after: e)...]) ?? 0
        return "\(mantissa)e\(power)"
    }

    static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.last == "0" { t.removeLast() }
        if t.last == "." { t.removeLast() }
        return t
    }

    public static func format(_ f: String, _ x: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            _ = withVaList([x]) { vsnprintf(buffer.baseAddress!, 64, f, $0) }
            return String(cString: buffer.baseAddress!)
        }
    }
}
