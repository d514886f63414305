import DLNCharts
import DLNEngine
import DLNOutput
import Foundation

/// A study's `quantiles.csv` (the sweeps' long format `point,time,quantity,q05,q25,q50,q75,q95,mean,n`)
/// read back, and drawn: one chart per quantity (every sigma_k in one chart), each point of the grid
/// a median line over its q25-q75 band (darker) and q05-q95 band (lighter).
public struct StudyQuantiles: Sendable {
    public static let header = ["point", "time", "quantity", "q05", "q25", "q50", "q75", "q95", "mean", "n"]

    public struct Curve: Sendable {
        public var times: [Double] = []
        /// q05, q25, q50, q75, q95, mean by time.
        public var columns: [[Double]] = Array(repeating: [], count: 6)
    }

    public var path: String
    /// Quantities in file order; points in file order.
    public var quantities: [String] = []
    public var points: [String] = []
    public var curves: [String: [String: Curve]] = [:]

    public static func read(path: String) throws(DataFileError) -> StudyQuantiles {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(path: path, message: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let head = lines.first else { throw DataFileError(path: path, message: "empty: no header") }
        let names = head.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for (i, want) in header.enumerated() where i >= names.count || names[i] != want {
            throw DataFileError(path: path, line: 1, column: i + 1,
                                message: "header has '\(i < names.count ? names[i] : "")' where a study's quantiles have '\(want)'")
        }
        var q = StudyQuantiles(path: path)
        for (index, line) in lines.enumerated().dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == names.count else {
                throw DataFileError(path: path, line: index + 1, column: min(f.count, names.count) + 1,
                                    message: "\(f.count) fields where the header has \(names.count) (ragged)")
            }
            let point = String(f[0]), quantity = String(f[2])
            var values: [Double] = []
            for c in [1, 3, 4, 5, 6, 7, 8] {
                guard let v = RowTable.number(f[c]) ?? (f[c].isEmpty ? .nan : nil) else {
                    throw DataFileError(path: path, line: index + 1, column: c + 1, message: "'\(f[c].prefix(24))' is not a number (\(names[c]))")
                }
                values.append(v)
            }
            if !q.quantities.contains(quantity) { q.quantities.append(quantity) }
            if !q.points.contains(point) { q.points.append(point) }
            var curve = q.curves[quantity, default: [:]][point, default: Curve()]
            curve.times.append(values[0])
            for k in 0..<6 { curve.columns[k].append(values[k + 1]) }
            q.curves[quantity, default: [:]][point] = curve
        }
        guard !q.quantities.isEmpty else { throw DataFileError(path: path, line: 2, message: "no rows after the header") }
        return q
    }

    /// The charts: every sigma_k together under "sigma", other quantities by their own names.
    public var chartNames: [String] {
        var out: [String] = []
        for name in quantities {
            let chart = name.hasPrefix("sigma_") ? "sigma" : name
            if !out.contains(chart) { out.append(chart) }
        }
        return out
    }

    /// Every time of the grid, sorted (the times a study replay steps through).
    public var times: [Double] {
        Array(Set(curves.values.flatMap { $0.values.flatMap(\.times) }.filter(\.isFinite))).sorted()
    }

    /// The quantiles up to and with time t (a study replay's charts grow with its time).
    public func truncated(through t: Double) -> StudyQuantiles {
        var q = self
        for (quantity, byPoint) in curves {
            for (point, c) in byPoint {
                let n = c.times.firstIndex { $0 > t } ?? c.times.count
                var cut = Curve()
                cut.times = Array(c.times.prefix(n))
                cut.columns = c.columns.map { Array($0.prefix(n)) }
                q.curves[quantity]![point] = cut
            }
        }
        return q
    }

    /// Whether a chart's quantities hold a finite median somewhere.
    public func hasData(_ chart: String) -> Bool {
        let members = chart == "sigma" ? quantities.filter { $0.hasPrefix("sigma_") } : [chart]
        return members.contains { q in curves[q]?.values.contains { $0.columns[2].contains(where: \.isFinite) } ?? false }
    }

    static func symbol(_ quantity: String) -> String {
        switch quantity {
        case "energy", "E": return "E(W)"
        case "error": return "‖W − A‖_F / ‖A‖_F"
        case "error_unobserved": return "unobserved error"
        case "effective_rank", "erank": return "effective rank"
        case "numerical_rank": return "numerical rank"
        case "sigma": return "σ_k"
        default: return quantity
        }
    }

    public func model(_ chart: String, scale forced: AxisScale?) -> ChartModel {
        let members = chart == "sigma" ? quantities.filter { $0.hasPrefix("sigma_") } : [chart]
        var series: [Series] = [], bands: [Band] = [], legend: [LegendEntry] = []
        var style = 0
        for point in points {
            for quantity in members {
                guard let c = curves[quantity]?[point] else { continue }
                bands.append(Band(xs: c.times, low: c.columns[0], high: c.columns[4], style: style, opacity: 0.15))
                bands.append(Band(xs: c.times, low: c.columns[1], high: c.columns[3], style: style, opacity: 0.3))
                let label = (points.count > 1 ? "point \(point) " : "") + (members.count > 1 ? quantity.replacingOccurrences(of: "sigma_", with: "σ") : "median")
                series.append(Series(label: label, xs: c.times, ys: c.columns[2], style: style))
                legend.append(LegendEntry(label: label, style: style, value: c.columns[2].last.map(Ticks.short)))
                style += 1
            }
        }
        let all = series.map(\.ys) + bands.map(\.low)
        let positive = all.allSatisfy { $0.allSatisfy { !($0 <= 0) } }
        let scale = forced ?? (positive && !chart.contains("rank") ? .log10 : .linear)
        let title = "\(chart == "sigma" ? "singular values" : chart): median, q25-q75, q05-q95"
        return ChartModel.fitted(title: title, xTitle: "time t", yTitle: Self.symbol(chart) + (scale == .log10 ? " (log)" : ""),
                                 series: series, scale: scale, includeZero: scale == .linear && chart.contains("rank"),
                                 legend: legend, widen: true, bands: bands)
    }
}
