import DLNEngine
import Foundation

/// The upstairs charts: the balance defect per layer and the gauge's motion.
extension Dashboard {
    /// At most this many layers are drawn: the largest at the current step.
    static let maxLayerSeries = 6

    /// How many per-layer charts the frame asks for: balance for the upstairs flows (N >= 2),
    /// and the gauge as well for rle-upstairs.
    static func layerCharts(_ frame: WorkerFrame) -> Int {
        guard frame.snapshot.parameters.flow.isUpstairs, !frame.snapshot.balanceDefects.isEmpty else { return 0 }
        return frame.snapshot.parameters.flow == .rleUpstairs ? 2 : 1
    }

    static func layerCharts(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, xRange: ClosedRange<Double>?, areas: [Rect]) {
        guard !areas.isEmpty else { return }
        let trace = input.frame.traceNow.filter { xRange?.contains($0.time) ?? true }
        let snapshot = input.frame.snapshot
        let bar = input.glyphs.unicode ? "\u{2016}" : "||"
        layerChart(&buffer, input, s, trace: trace, values: \.balanceDefects, current: snapshot.balanceDefects,
                   name: "balance \(bar)G_p\(bar)", short: "\(bar)G_p\(bar)", prefix: "G", scale: .log10, xRange: xRange, area: areas[0])
        if areas.count > 1 {
            layerChart(&buffer, input, s, trace: trace, values: \.gaugeDistances, current: snapshot.gaugeDistances,
                       name: "gauge \(bar)Q_p-Q_p(0)\(bar)", short: "gauge", prefix: "Q", scale: .linear, xRange: xRange, area: areas[1])
        }
    }

    /// The layers p (0-based, layer p + 1 in the paper) to draw: the largest now, in layer order.
    static func layersShown(_ current: [Double], limit: Int) -> [Int] {
        let ranked = current.indices.sorted { (current[$0], -$0) > (current[$1], -$1) }
        return ranked.prefix(limit).sorted()
    }

    static func layerChart(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, trace: [TraceSample], values: (TraceSample) -> [Double],
                           current: [Double], name: String, short: String, prefix: String, scale: AxisScale,
                           xRange: ClosedRange<Double>?, area: Rect) {
        let largest = current.max().map { NumberText.compact($0) } ?? "n/a"
        let count = current.count
        let shown = layersShown(current, limit: maxLayerSeries)
        let hidden = count - shown.count
        let top = hidden > 0 ? " top \(shown.count)/\(count)" : ""
        let inner = box(&buffer, input, s, titles: [
            [Span(name, s.title), Span(" max ", s.label), Span(largest, s.text), Span(top, s.label)],
            [Span(short, s.title), Span(" max ", s.label), Span(largest, s.text)],
            [Span(short, s.title)],
        ], area)
        guard !inner.isEmpty else { return }
        let times = trace.map(\.time)
        var series: [ChartSeries] = []
        var entries: [Legend.Entry] = []
        for p in shown {
            let style = Style(fg: input.theme.series(p))
            let ys = [Double](unsafeUninitializedCapacity: trace.count) { out, initialized in
                trace.withUnsafeBufferPointer { all in
                    for i in 0..<all.count {
                        let v = values(all[i])
                        out[i] = p < v.count ? v[p] : .nan
                    }
                }
                initialized = trace.count
            }
            // Styled by the layer (colour series(p), dashed past eight), as the legend is.
            series.append(ChartSeries(name: "\(prefix)\(p + 1)", xs: times, ys: ys, style: style, styleIndex: p))
            entries.append(Legend.Entry(label: "\(prefix)\(p + 1)", value: NumberText.compact(current[p]), style: style, styleIndex: p))
        }
        var chartArea = inner
        let legend = Legend(entries: entries, note: hidden > 0 ? "+\(hidden) hidden" : nil, glyphs: input.glyphs, textStyle: s.text)
        if inner.width >= 40 {
            let (left, right) = inner.splitRight(legend.preferredWidth + 1)
            chartArea = left
            legend.render(into: &buffer, area: right.splitLeft(1).1)
        }
        Chart(series: series, scale: scale, xRange: xRange, includeZero: scale == .linear, glyphs: input.glyphs,
              labelStyle: s.label, axisStyle: s.border, xName: "t").render(into: &buffer, area: chartArea)
    }
}
