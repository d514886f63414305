/// One line of a chart in data coordinates: points (x, y) in order of x. NaN is a gap; -inf (and,
/// on a log axis, values <= 0) sits on the floor lane, +inf on the ceiling lane.
public struct Series: Sendable, Equatable {
    public var label: String
    public var xs: [Double]
    public var ys: [Double]
    /// The index into the style cycle.
    public var style: Int
    /// A staircase (a value holds until the next sample): ranks.
    public var steps: Bool

    public init(label: String, xs: [Double], ys: [Double], style: Int, steps: Bool = false) {
        self.label = label
        self.xs = xs
        self.ys = ys
        self.style = style
        self.steps = steps
    }
}

/// A horizontal line at a data value, labelled and drawn dim (a target's singular values).
public struct ReferenceLine: Sendable, Equatable {
    public var value: Double
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// A shaded band between two curves over the same times (a study's quantiles: q25-q75, q05-q95),
/// drawn under the series in the colour of a style index.
public struct Band: Sendable, Equatable {
    public var xs: [Double]
    public var low: [Double]
    public var high: [Double]
    public var style: Int
    /// How strongly it is shaded, 0...1 (inner bands darker).
    public var opacity: Double

    public init(xs: [Double], low: [Double], high: [Double], style: Int, opacity: Double) {
        self.xs = xs
        self.low = low
        self.high = high
        self.style = style
        self.opacity = opacity
    }
}

/// What a legend line shows beside its label: a line sample, a filled box (bars, bands) or a point.
public enum LegendMark: Sendable, Equatable {
    case line, box, point
}

/// One legend line: the series' label, its style index and optionally a value (the last one).
public struct LegendEntry: Sendable, Equatable {
    public var label: String
    public var style: Int
    public var value: String?
    public var mark: LegendMark

    public init(label: String, style: Int, value: String? = nil, mark: LegendMark = .line) {
        self.label = label
        self.style = style
        self.value = value
        self.mark = mark
    }
}

/// A chart in data coordinates, apart from any way of drawing it: the braille rasteriser of the
/// terminal and the SVG renderer of figures both draw from this.
public struct ChartModel: Sendable, Equatable {
    public var title: String
    public var x: Axis
    public var y: Axis
    public var series: [Series]
    public var references: [ReferenceLine]
    public var bands: [Band] = []
    /// Bars of counts (drawn under the series) and clouds of points (drawn over them).
    public var histograms: [Histogram] = []
    public var scatters: [Scatter] = []
    public var legend: [LegendEntry]
    /// A note under the legend (for example how many series are not drawn).
    public var note: String?

    public init(title: String, x: Axis, y: Axis, series: [Series], references: [ReferenceLine] = [],
                legend: [LegendEntry] = [], note: String? = nil) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.references = references
        self.legend = legend
        self.note = note
    }

    /// The x extent of the series' finite times ([0, 1] when there are none).
    public static func xExtent(_ series: [Series]) -> ClosedRange<Double> {
        var lo = Double.infinity, hi = -Double.infinity
        for s in series {
            for x in s.xs where x.isFinite {
                lo = min(lo, x)
                hi = max(hi, x)
            }
        }
        return lo > hi ? 0...1 : lo...hi
    }

    /// A chart fitted to its series: the x axis over their times, the y axis over their values (and
    /// the reference lines'), each with its ticks; `widen` extends a linear y axis to the ticks just
    /// outside the data (figures), the screen keeps the data's own extent.
    public static func fitted(title: String, xTitle: String, yTitle: String, series: [Series], scale: AxisScale,
                              includeZero: Bool = false, references: [ReferenceLine] = [], legend: [LegendEntry]? = nil,
                              note: String? = nil, maxXTicks: Int = 6, maxYTicks: Int = 6, widen: Bool = false,
                              bands: [Band] = []) -> ChartModel {
        let xr = xExtent(series)
        var data = series.map { (xs: $0.xs, ys: $0.ys) }
        for b in bands { data += [(xs: b.xs, ys: b.low), (xs: b.xs, ys: b.high)] }
        // The reference lines count as points at the first time, so that the axis shows them.
        if !references.isEmpty {
            data.append((xs: Array(repeating: xr.lowerBound, count: references.count), ys: references.map(\.value)))
        }
        var yRange = ChartRange.of(data, scale: scale, xRange: xr, includeZero: includeZero)
        if widen { yRange = yRange.widenedToTicks(scale: scale, maxTicks: maxYTicks) }
        var xRange = ChartRange(low: xr.lowerBound, high: xr.upperBound, hasFinite: !series.allSatisfy { $0.xs.isEmpty })
        if widen { xRange = xRange.widenedToTicks(scale: .linear, maxTicks: maxXTicks) }
        let x = Axis(scale: .linear, range: xRange, title: xTitle, maxTicks: maxXTicks)
        let y = Axis(scale: scale, range: yRange, title: yTitle, maxTicks: maxYTicks)
        let entries = legend ?? series.map { LegendEntry(label: $0.label, style: $0.style) }
        var model = ChartModel(title: title, x: x, y: y, series: series, references: references, legend: entries, note: note)
        model.bands = bands
        return model
    }
}
