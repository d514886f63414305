import ArgumentParser
import DLNCharts
import DLNEngine
import DLNFigures
import DLNOutput
import Foundation

/// `dlntui plot ROWS.csv`: a run's rows as an SVG figure (the dashboard's charts, for a paper).
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a run's rows (CSV or JSONL) as an SVG figure.",
        discussion: "Reads ROWS and its sidecar ROWS.json when present, and writes ROWS.svg beside it unless --output says otherwise. Charts: \(RunChart.names.joined(separator: ", ")); by default every chart the rows support. A study folder (of dlntui ensemble or sweep) gives its quantile bands (quantiles.csv), histograms of the members' statistics (summary.csv: hist-effective_rank, hist-numerical_rank, hist-sigma_ratio, hist-t_rank_r, hist-error, hist-error_unobserved) and, for d = 2, the members' limits against the hyperbola W12 W21 = 1 (limits), written to DIR/study.svg.")

    @Argument(help: "A row file of `dlntui run` (CSV or JSONL), or a study's folder (its quantiles.csv and summary.csv).")
    var rows: String

    @Option(help: "Write the figure to PATH (default: ROWS with the extension .svg).")
    var output: String?

    @Option(help: "Comma-separated charts: \(RunChart.names.joined(separator: ",")).")
    var charts: String?

    @Flag(help: "Log y axes on every chart.")
    var log = false

    @Flag(help: "Linear y axes on every chart.")
    var linear = false

    @Option(help: "Physical width, in mm (default 85mm, one journal column; 40mm...500mm).")
    var width: String = "85mm"

    @Option(help: "A title above the charts.")
    var title: String?

    @Option(help: "Bins of a study's histograms (1...200; default about the square root of the members per point, 5 to 40; integer statistics take one bin per value).")
    var bins: Int?

    func chartList() throws -> [RunChart]? {
        guard let charts else { return nil }
        var out: [RunChart] = []
        for name in charts.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let c = RunChart(rawValue: name) else {
                throw ValidationError("unknown chart '\(name)' for --charts: expected one or more of \(RunChart.names.joined(separator: ", "))")
            }
            if !out.contains(c) { out.append(c) }
        }
        return out
    }

    func widthMillimetres() throws -> Double {
        let text = width.hasSuffix("mm") ? String(width.dropLast(2)) : width
        guard let mm = Double(text), mm.isFinite, (40...500).contains(mm) else {
            throw ValidationError("invalid value '\(width)' for --width: expected a width in mm, 40mm...500mm")
        }
        return mm
    }

    func validate() throws {
        if log && linear { throw ValidationError("--log and --linear clash: give one") }
        // A study's charts are its quantities, checked once its quantiles.csv is read.
        var isDirectory: ObjCBool = false
        if !(FileManager.default.fileExists(atPath: rows, isDirectory: &isDirectory) && isDirectory.boolValue) { _ = try chartList() }
        _ = try widthMillimetres()
        if let bins, !(1...200).contains(bins) { throw ValidationError("invalid value '\(bins)' for --bins: expected 1...200") }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: rows, isDirectory: &isDirectory), isDirectory.boolValue {
            try study()
            return
        }
        let table: RowTable
        do { table = try RowTable.read(path: rows) } catch {
            FileHandle.standardError.write(Data("dlntui: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        var sidecar: SidecarInfo? = nil
        for candidate in [rows + ".json", (rows as NSString).deletingPathExtension + ".json"] where sidecar == nil {
            do { sidecar = try SidecarInfo.read(path: candidate) } catch {
                FileHandle.standardError.write(Data("dlntui: warning: \(error); drawn without it\n".utf8))
            }
        }
        let asked = try chartList()
        let charts = RunFigure.charts(asked, table: table)
        for c in asked ?? [] where !c.supported(by: table) {
            FileHandle.standardError.write(Data("dlntui: warning: the rows hold no data for chart '\(c.rawValue)'; drawn empty\n".utf8))
        }
        let svg = RunFigure.svg(table: table, sidecar: sidecar, charts: charts, scale: log ? .log10 : (linear ? .linear : nil),
                                widthMillimetres: try widthMillimetres(), title: title)
        let path = output ?? RunFigure.defaultOutput(for: rows)
        let replaced = FileManager.default.fileExists(atPath: path)
        do { try AtomicFile.write(svg, to: path) } catch {
            FileHandle.standardError.write(Data("dlntui: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        // A snapshot's own figure (ROWS.svg) is replaced by the default output: say so.
        print("wrote \(path)\(replaced ? ", replacing the file that was there" : "") (\(charts.map(\.rawValue).joined(separator: ", ")))")
    }

    /// `dlntui plot DIR`: a study's quantile bands, histograms of its members' statistics and (d = 2)
    /// their limits on the hyperbola, written to DIR/study.svg.
    func study() throws {
        let figure: StudyFigure
        do { figure = try StudyFigure.load(dir: rows, bins: bins) } catch {
            FileHandle.standardError.write(Data("dlntui: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        for w in figure.warnings { FileHandle.standardError.write(Data("dlntui: warning: \(w)\n".utf8)) }
        var charts = figure.defaultCharts
        if let asked = self.charts {
            let names = asked.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for n in names where !figure.chartNames.contains(n) {
                FileHandle.standardError.write(Data("dlntui: unknown chart '\(n)' for --charts: this study has \(figure.chartNames.joined(separator: ", "))\n".utf8))
                throw ExitCode(64)
            }
            charts = names
        }
        let svg = figure.svg(charts: charts, scale: log ? .log10 : (linear ? .linear : nil), widthMillimetres: try widthMillimetres(), title: title)
        let path = output ?? rows + "/study.svg"
        let replaced = FileManager.default.fileExists(atPath: path)
        do { try AtomicFile.write(svg, to: path) } catch {
            FileHandle.standardError.write(Data("dlntui: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        print("wrote \(path)\(replaced ? ", replacing the file that was there" : "") (\(charts.joined(separator: ", ")))")
    }
}
