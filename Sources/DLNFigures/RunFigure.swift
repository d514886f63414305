import DLNCharts
import DLNOutput
import Foundation

/// `dlntui plot ROWS`: the rows read, the charts chosen, the figure written atomically beside them.
public enum RunFigure {
    /// ROWS.csv -> ROWS.svg (the extension replaced; none: .svg appended).
    public static func defaultOutput(for rows: String) -> String {
        let ns = rows as NSString
        let ext = ns.pathExtension
        return (ext.isEmpty ? rows : ns.deletingPathExtension) + ".svg"
    }

    /// The charts to draw: those asked for, or every chart the rows support.
    public static func charts(_ asked: [RunChart]?, table: RowTable) -> [RunChart] {
        asked ?? RunChart.allCases.filter { $0.supported(by: table) }
    }

    /// The figure's caption: the rows' name and extent, then the run's parameters from the sidecar.
    static func caption(_ table: RowTable, sidecar: SidecarInfo?) -> String {
        let name = (table.path as NSString).lastPathComponent
        let t = table.column("time") ?? []
        var s = "\(name): \(table.count) rows" + (sidecar?.value("d") == nil ? ", d = \(table.size)" : "")
        if let first = t.first, let last = t.last { s += ", t from \(Ticks.short(first)) to \(Ticks.short(last))" }
        s += "."
        if let sidecar {
            let shown = sidecar.parameters.filter { !["program", "version"].contains($0.key) }
            if !shown.isEmpty { s += " " + shown.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + "." }
            if sidecar.editCount > 0 { s += " \(sidecar.editCount) live edits (see the sidecar)." }
        } else {
            s += " No sidecar found: parameters unknown."
        }
        return s
    }

    /// `sigmaScale`: the singular values' axis alone (a snapshot keeps the dashboard's `l`).
    public static func svg(table: RowTable, sidecar: SidecarInfo?, charts: [RunChart], scale: AxisScale?,
                           widthMillimetres: Double, title: String?, sigmaScale: AxisScale? = nil) -> String {
        let builder = RunCharts(table: table, sidecar: sidecar, scale: scale)
        let sigma = RunCharts(table: table, sidecar: sidecar, scale: sigmaScale ?? scale)
        let models = charts.map { $0 == .sigma ? sigma.model($0) : builder.model($0) }
        var meta: [(key: String, value: String)] = [
            ("program", "dlntui"), ("version", Sidecar.version), ("command", "plot"),
            ("rows", (table.path as NSString).lastPathComponent),
            ("charts", charts.map(\.rawValue).joined(separator: ",")),
            ("scale", scale?.rawValue ?? "auto"),
            ("width_mm", Ticks.format("%.1f", widthMillimetres)),
        ]
        if let sidecar {
            if let v = sidecar.version { meta.append(("run_version", v)) }
            meta.append(("seed", sidecar.seed ?? "unknown"))
            for p in sidecar.parameters where p.key != "seed" { meta.append(("parameter." + p.key, p.value)) }
        } else {
            meta.append(("seed", "unknown (no sidecar)"))
        }
        let info = FigureInfo(title: title, caption: caption(table, sidecar: sidecar), metadata: meta)
        return SVGFigure.render(models, info: info, widthMillimetres: widthMillimetres)
    }
}
