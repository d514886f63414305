import DLNEngine
import DLNFigures
import DLNOutput
import Foundation

/// The `s` key: the run's history as CSV (the `run` format) with its JSON sidecar, the screen as
/// plain text and the dashboard's charts as an SVG figure (`dlntui plot`'s, from the same rows),
/// each written under a temporary name and renamed; the four share one base name,
/// `dlntui-<stamp>-step<k>`. `dlntui run --from` reruns the sidecar.
public enum SnapshotWriter {
    /// File names (without folder) for a snapshot taken at `date`, step `step`.
    public static func baseName(date: Date, step: Int) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&t, &parts)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                           parts.tm_hour, parts.tm_min, parts.tm_sec)
        return "dlntui-\(stamp)-step\(step)"
    }

    /// The CSV text: the whole-run history (every `wholeStride` steps) and the current state.
    public static func csv(_ frame: WorkerFrame) -> String {
        var out = Rows.csvHeader(size: frame.snapshot.endToEnd.rows)
        for o in frame.series(recent: false) { out += Rows.csvLine(o) }
        return out
    }

    /// Writes the four files into `folder`; returns their paths. `logSigma`: the dashboard's axis
    /// for the singular values, which the figure keeps.
    public static func save(_ frame: WorkerFrame, screen: String, folder: String, date: Date = Date(),
                            logSigma: Bool = true) throws(OutputError) -> [String] {
        let base = (folder as NSString).appendingPathComponent(baseName(date: date, step: frame.snapshot.observation.step))
        let csvPath = base + ".csv", jsonPath = base + ".csv.json", textPath = base + ".txt", svgPath = base + ".svg"
        let extra: [(String, String)] = [
            ("source", JSON.string("dlntui interactive snapshot")),
            ("rows", JSON.string("the interface's whole-run history: every \(frame.wholeStride) steps, then the current step")),
            ("row_stride", "\(frame.wholeStride)"),
            ("saved_at_step", "\(frame.snapshot.observation.step)"),
            ("screen", JSON.string((textPath as NSString).lastPathComponent)),
        ] + ComparisonSidecar.entries(frame)
        try AtomicFile.write(csv(frame), to: csvPath)
        let sidecar = Sidecar.json(start: frame.start ?? frame.snapshot.parameters, parameters: frame.snapshot.parameters,
                                   problem: frame.problem, edits: frame.edits, inputs: frame.inputs, extra: extra)
        try AtomicFile.write(sidecar, to: jsonPath)
        try AtomicFile.write(screen + "\n", to: textPath)
        try AtomicFile.write(figure(csvPath: csvPath, jsonPath: jsonPath, logSigma: logSigma && frame.snapshot.parameters.flow != .dyson), to: svgPath)
        return [csvPath, jsonPath, textPath, svgPath]
    }

    /// The charts of the rows just written, read back as `dlntui plot` reads them (so the figure is
    /// the one `dlntui plot` makes of the snapshot's CSV, the singular values on the dashboard's axis).
    static func figure(csvPath: String, jsonPath: String, logSigma: Bool) -> String {
        guard let table = try? RowTable.read(path: csvPath) else { return "" }
        let sidecar = (try? SidecarInfo.read(path: jsonPath)) ?? nil
        return RunFigure.svg(table: table, sidecar: sidecar, charts: RunFigure.charts(nil, table: table), scale: nil,
                             widthMillimetres: 85, title: nil, sigmaScale: logSigma ? .log10 : .linear)
    }
}
