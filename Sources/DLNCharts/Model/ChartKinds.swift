import Foundation

/// A histogram: bins [edges[i], edges[i + 1]) with a count each (the last bin closed), drawn as
/// bars from 0 in the colour of a style index. The x axis is the binned value's, the y axis counts.
public struct Histogram: Sendable, Equatable {
    public var label: String
    /// Bin edges, increasing; one more than `counts`.
    public var edges: [Double]
    public var counts: [Double]
    public var style: Int
    /// How many values were not finite (not binned): a chart note says so.
    public var excluded: Int

    public init(label: String, edges: [Double], counts: [Double], style: Int, excluded: Int = 0) {
        self.label = label
        self.edges = edges
        self.counts = counts
        self.style = style
        self.excluded = excluded
    }

    /// `bins` equal bins over `range` (default: the finite values' extent; one value alone: a bin
    /// of width 1 around it). Value v goes to bin floor((v - low) / width), v == high to the last;
    /// values outside the range and non-finite ones are left out (`excluded` counts the latter).
    public static func counting(_ values: [Double], bins: Int, range: ClosedRange<Double>? = nil, label: String,
                                style: Int) -> Histogram {
        let finite = values.filter(\.isFinite)
        let n = max(1, bins)
        var low = range?.lowerBound ?? finite.min() ?? 0
        var high = range?.upperBound ?? finite.max() ?? 1
        if !(high > low) { low -= 0.5; high += 0.5 }
        let width = (high - low) / Double(n)
        let edges = (0...n).map { $0 == n ? high : low + Double($0) * width }
        var counts = [Double](repeating: 0, count: n)
        for v in finite where v >= low && v <= high {
            counts[min(n - 1, Int((v - low) / width))] += 1
        }
        return Histogram(label: label, edges: edges, counts: counts, style: style, excluded: values.count - finite.count)
    }

    /// Equal bins for n values when none are asked for: about sqrt(n), 5 to 40.
    public static func defaultBins(count n: Int) -> Int {
        max(5, min(40, Int(Double(max(n, 1)).squareRoot().rounded(.up))))
    }
}

/// A cloud of points (x, y), unjoined, in the colour of a style index: ensemble members' limits.
/// Points with a NaN coordinate are not drawn.
public struct Scatter: Sendable, Equatable {
    public var label: String
    public var xs: [Double]
    public var ys: [Double]
    public var style: Int

    public init(label: String, xs: [Double], ys: [Double], style: Int) {
        self.label = label
        self.xs = xs
        self.ys = ys
        self.style = style
    }
}

extension Band {
    /// A quantile band series: the q05-q95 band (light), the q25-q75 band (darker) and the median
    /// line, all in the colour of one style index.
    public static func quantiles(label: String, xs: [Double], q05: [Double], q25: [Double], q50: [Double], q75: [Double],
                                 q95: [Double], style: Int) -> (bands: [Band], median: Series) {
        ([Band(xs: xs, low: q05, high: q95, style: style, opacity: outerOpacity),
          Band(xs: xs, low: q25, high: q75, style: style, opacity: innerOpacity)],
         Series(label: label, xs: xs, ys: q50, style: style))
    }

    public static let outerOpacity = 0.15
    public static let innerOpacity = 0.3
}

extension ChartModel {
    /// A chart of histograms: x over the bins' edges, y from 0 over the counts (linear).
    public static func histogram(title: String, xTitle: String, yTitle: String = "members", histograms: [Histogram],
                                 legend: [LegendEntry]? = nil, note: String? = nil, maxXTicks: Int = 6, maxYTicks: Int = 5,
                                 widen: Bool = false) -> ChartModel {
        let edges = histograms.flatMap(\.edges).filter(\.isFinite)
        var xRange = ChartRange(low: edges.min() ?? 0, high: edges.max() ?? 1, hasFinite: !edges.isEmpty)
        if !(xRange.high > xRange.low) { xRange.low -= 0.5; xRange.high += 0.5 }
        if widen { xRange = xRange.widenedToTicks(scale: .linear, maxTicks: maxXTicks) }
        let counts = histograms.flatMap(\.counts).filter(\.isFinite)
        let top = counts.max() ?? 0
        // Whole counts get whole ticks: no more ticks than 0...top has integers.
        let yTicks = counts.allSatisfy { $0 == $0.rounded() } ? max(2, min(maxYTicks, Int(max(1, top)) + 1)) : maxYTicks
        var yRange = ChartRange(low: 0, high: max(1, top))
        if widen { yRange = yRange.widenedToTicks(scale: .linear, maxTicks: yTicks) }
        var x = Axis(scale: .linear, range: xRange, title: xTitle, maxTicks: maxXTicks)
        // Unit bins centred on the integers (a rank): ticks on the integers, not on the edges.
        if !edges.isEmpty, edges.allSatisfy({ ($0 - 0.5) == ($0 - 0.5).rounded() }) {
            let first = edges.min()! + 0.5, last = edges.max()! - 0.5
            let step = max(1, (Ticks.linearStep(low: first, high: last, maxCount: maxXTicks) ?? 1).rounded(.up))
            x.ticks = stride(from: first, through: last, by: step).map { Tick(value: $0, step: step) }
        }
        let y = Axis(scale: .linear, range: yRange, title: yTitle, maxTicks: yTicks)
        let entries = legend ?? histograms.map { LegendEntry(label: $0.label, style: $0.style, mark: .box) }
        var model = ChartModel(title: title, x: x, y: y, series: [], legend: entries, note: note)
        model.histograms = histograms
        return model
    }

    /// A chart of point clouds over curves (for example members' limits on a curve they should
    /// reach): both axes linear, fitted to the points and the curves (or to the ranges given).
    public static func scatter(title: String, xTitle: String, yTitle: String, scatters: [Scatter], series: [Series] = [],
                               xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                               legend: [LegendEntry]? = nil, note: String? = nil, maxTicks: Int = 6,
                               widen: Bool = false) -> ChartModel {
        func extent(_ arrays: [[Double]], _ given: ClosedRange<Double>?) -> ChartRange {
            if let given { return ChartRange(low: given.lowerBound, high: given.upperBound) }
            let all = arrays.flatMap { $0 }.filter(\.isFinite)
            var r = ChartRange(low: all.min() ?? 0, high: all.max() ?? 1, hasFinite: !all.isEmpty)
            if !(r.high > r.low) { r.low -= 0.5; r.high += 0.5 }
            return widen ? r.widenedToTicks(scale: .linear, maxTicks: maxTicks) : r
        }
        let xr = extent(scatters.map(\.xs) + series.map(\.xs), xRange)
        let yr = extent(scatters.map(\.ys) + series.map(\.ys), yRange)
        let entries = legend ?? (series.map { LegendEntry(label: $0.label, style: $0.style) }
            + scatters.map { LegendEntry(label: $0.label, style: $0.style, mark: .point) })
        var model = ChartModel(title: title, x: Axis(scale: .linear, range: xr, title: xTitle, maxTicks: maxTicks),
                               y: Axis(scale: .linear, range: yr, title: yTitle, maxTicks: maxTicks),
                               series: series, legend: entries, note: note)
        model.scatters = scatters
        return model
    }
}
