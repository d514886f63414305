/// Where a value lands on an axis: a fraction of the finite part (0 at `low`, 1 at `high`; outside
/// [0, 1] when the value is outside the range), the floor lane, the ceiling lane, or nowhere (NaN).
public enum AxisPosition: Equatable, Sendable {
    case fraction(Double)
    case floor
    case ceiling
    case gap
}

/// One axis of a chart in data coordinates: scale, extent, title (symbol and unit) and ticks.
public struct Axis: Sendable, Equatable {
    public var scale: AxisScale
    public var range: ChartRange
    /// The axis's name with its symbol and unit, for example "t" or "singular values σ_k".
    public var title: String
    public var ticks: [Tick]

    public init(scale: AxisScale, range: ChartRange, title: String, ticks: [Tick]) {
        self.scale = scale
        self.range = range
        self.title = title
        self.ticks = ticks
    }

    /// An axis over `range` with at most `maxTicks` ticks computed from it.
    public init(scale: AxisScale, range: ChartRange, title: String, maxTicks: Int) {
        self.init(scale: scale, range: range, title: title, ticks: Ticks.of(range, scale: scale, maxCount: maxTicks))
    }

    /// The label of the floor lane: "≤0" on a log axis (zeros and negatives), "-inf" on a linear one.
    public func floorLabel(unicode: Bool) -> String {
        scale == .log10 ? (unicode ? "≤0" : "<=0") : "-inf"
    }

    /// The position of a data value (not an axis value): (axis(v) - low) / (high - low).
    @inline(__always)
    public func position(_ v: Double) -> AxisPosition {
        let a = scale.axisValue(v)
        if a.isNaN { return .gap }
        if a == -.infinity { return .floor }
        if a == .infinity { return .ceiling }
        let span = range.high - range.low
        return .fraction(span > 0 ? (a - range.low) / span : 0.5)
    }

    /// The fraction of a tick (its value is already in axis units).
    public func fraction(ofAxisValue a: Double) -> Double {
        let span = range.high - range.low
        return span > 0 ? (a - range.low) / span : 0.5
    }
}
