import DLNCharts
import DLNEngine
import DLNOutput
import Foundation

/// `dlntui plot DIR` and `dlntui replay DIR`: a study folder's charts, from whichever of its files
/// are there: quantile bands (quantiles.csv), histograms of the members' statistics and, for
/// d = 2, their limits against the hyperbola (summary.csv).
public struct StudyFigure {
    public var dir: String
    public var quantiles: StudyQuantiles?
    public var summary: StudySummaryCharts?
    /// study.json's spec (caption, seed), when it is there and readable.
    public var info: SidecarInfo?
    public var warnings: [String] = []

    /// Reads the folder; a file that is there but not the study's format is an error (file, line,
    /// column), and so is a folder with neither file.
    public static func load(dir: String, bins: Int? = nil) throws(DataFileError) -> StudyFigure {
        let fm = FileManager.default
        let q = dir + "/quantiles.csv", s = dir + "/summary.csv", j = dir + "/study.json"
        guard fm.fileExists(atPath: q) || fm.fileExists(atPath: s) else {
            throw DataFileError(path: dir, message: "no quantiles.csv nor summary.csv: not a finished study folder (dlntui ensemble or sweep writes them at the end)")
        }
        var f = StudyFigure(dir: dir)
        if fm.fileExists(atPath: q) { f.quantiles = try StudyQuantiles.read(path: q) }
        if fm.fileExists(atPath: s) {
            f.summary = StudySummaryCharts(summary: try StudySummary.read(path: s), energy: energy(studyJSON: j), bins: bins)
        }
        do { f.info = try SidecarInfo.read(path: j) } catch { f.warnings.append("\(error); drawn without it") }
        return f
    }

    /// The energy of the study's first point (study.json's points[0].parameters.energy).
    static func energy(studyJSON path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let points = object["points"] as? [[String: Any]], let p = points.first?["parameters"] as? [String: Any] else { return nil }
        return p["energy"] as? String
    }

    public var chartNames: [String] { (quantiles?.chartNames ?? []) + (summary?.chartNames ?? []) }
    /// Every quantity's bands that hold a value (a study without ground truth has empty error
    /// quantiles), then the summary's default histograms and limits.
    public var defaultCharts: [String] {
        (quantiles.map { q in q.chartNames.filter(q.hasData) } ?? []) + (summary?.defaultChartNames ?? [])
    }

    public func model(_ chart: String, scale: AxisScale?) -> ChartModel? {
        if let q = quantiles, q.chartNames.contains(chart) { return q.model(chart, scale: scale) }
        return summary?.model(chart)
    }

    public var name: String { ((dir as NSString).standardizingPath as NSString).lastPathComponent }

    public var caption: String {
        var parts: [String] = []
        if let q = quantiles { parts.append("\(q.points.count) point\(q.points.count == 1 ? "" : "s"), quantiles over the members (quantiles.csv)") }
        if let s = summary { parts.append("\(s.summary.rows.count) members (summary.csv)") }
        var caption = "Study \(name): " + parts.joined(separator: "; ") + "."
        if let info, !info.parameters.isEmpty {
            caption += " " + info.parameters.filter { $0.key != "arguments" }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + "."
        }
        return caption
    }

    public func svg(charts: [String], scale: AxisScale?, widthMillimetres: Double, title: String?) -> String {
        let meta: [(key: String, value: String)] = [
            ("program", "dlntui"), ("version", Sidecar.version), ("command", "plot"), ("study", name),
            ("charts", charts.joined(separator: ",")), ("scale", scale?.rawValue ?? "auto"),
            ("width_mm", Ticks.format("%.1f", widthMillimetres)), ("seed", info?.seed ?? "unknown"),
        ]
        return SVGFigure.render(charts.compactMap { model($0, scale: scale) }, info: FigureInfo(title: title, caption: caption, metadata: meta),
                                widthMillimetres: widthMillimetres)
    }
}
