import Foundation

/// The extent of an axis in axis units (log10 of the value on a log axis), and whether some value
/// falls off its finite part: below (-inf, or <= 0 on a log axis: the floor) or above (+inf: the ceiling).
public struct ChartRange: Equatable, Sendable {
    public var low: Double
    public var high: Double
    /// Some value maps below every finite one: -inf, or <= 0 on a log axis.
    public var hasFloor: Bool
    /// Some value is +inf.
    public var hasCeiling: Bool
    /// Whether any finite value was seen (otherwise low/high are placeholders and get no label).
    public var hasFinite: Bool

    public init(low: Double, high: Double, hasFloor: Bool = false, hasCeiling: Bool = false, hasFinite: Bool = true) {
        self.low = low
        self.high = high
        self.hasFloor = hasFloor
        self.hasCeiling = hasCeiling
        self.hasFinite = hasFinite
    }

    public static func axisValue(_ y: Double, scale: AxisScale) -> Double { scale.axisValue(y) }

    /// Finite extent of the axis values of `series` (x and y arrays) with x in `xRange`. A constant
    /// series gets a band around it; a log axis snaps to whole decades. The extremes are found on the
    /// raw values (the axis transform is monotonic), so a log axis costs two logarithms, not one per point.
    public static func of(_ series: [(xs: [Double], ys: [Double])], scale: AxisScale, xRange: ClosedRange<Double>,
                          includeZero: Bool) -> ChartRange {
        var low = Double.infinity, high = -Double.infinity
        var floor = false, ceiling = false
        let log = scale == .log10
        let xLow = xRange.lowerBound, xHigh = xRange.upperBound
        // Whether every x of an array is in the range, once per array: the series drawn against the
        // same times (every sigma_k) share it.
        var inRange: (key: UInt, count: Int, all: Bool)? = nil
        for s in series {
            let key = s.xs.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
            if inRange?.key != key || inRange?.count != s.xs.count {
                let all = s.xs.withUnsafeBufferPointer { xs in xs.allSatisfy { $0 >= xLow && $0 <= xHigh } }
                inRange = (key, s.xs.count, all)
            }
            s.xs.withUnsafeBufferPointer { xs in
                s.ys.withUnsafeBufferPointer { ys in
                    let n = min(xs.count, ys.count)
                    // Every x in range and every y a finite (positive, on a log axis) value: plain
                    // extremes. y * 0 is NaN exactly for a NaN or infinite y.
                    if inRange!.all && n > 0 {
                        var l = low, h = high, bad = 0.0
                        for i in 0..<n {
                            let y = ys[i]
                            l = y < l ? y : l
                            h = y > h ? y : h
                            bad += y * 0
                        }
                        if !bad.isNaN && !(log && l <= 0) {
                            low = l; high = h
                            return
                        }
                    }
                    // Locals in the loop, stored back once: this loop sees every point of every series.
                    var l = low, h = high, f = floor, c = ceiling
                    for i in 0..<n {
                        let x = xs[i]
                        guard x >= xLow && x <= xHigh else { continue }
                        let y = ys[i]
                        if y.isFinite && !(log && y <= 0) {
                            l = y < l ? y : l
                            h = y > h ? y : h
                        } else if y == .infinity {
                            c = true
                        } else if !y.isNaN {
                            f = true  // -inf, or <= 0 on a log axis
                        }
                    }
                    low = l; high = h; floor = f; ceiling = c
                }
            }
        }
        let finite = low <= high
        if finite && log {
            low = Foundation.log10(low)
            high = Foundation.log10(high)
        }
        if !finite { low = 0; high = 1 }
        if includeZero && scale == .linear { low = min(low, 0) }
        switch scale {
        case .linear:
            if high - low <= 1e-12 * max(1, abs(low)) {
                let pad = low == 0 ? 1 : abs(low) * 0.1
                if includeZero && low == 0 { high = 1 } else { low -= pad; high += pad }
            }
        case .log10:
            low = Foundation.floor(low)
            high = Foundation.ceil(high)
            if high <= low { high = low + 1 }
        }
        return ChartRange(low: low, high: high, hasFloor: floor, hasCeiling: ceiling, hasFinite: finite)
    }

    /// The range widened on a linear axis to the ticks just outside it (figures: the frame ends on a
    /// labelled value); a log range already ends on decades.
    public func widenedToTicks(scale: AxisScale, maxTicks: Int) -> ChartRange {
        guard scale == .linear, hasFinite, let step = Ticks.linearStep(low: low, high: high, maxCount: maxTicks) else { return self }
        var r = self
        r.low = Foundation.floor(low / step + 1e-9) * step
        r.high = Foundation.ceil(high / step - 1e-9) * step
        return r
    }
}
