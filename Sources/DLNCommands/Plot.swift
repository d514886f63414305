import ArgumentParser
import DLNCharts
import DLNEngine
import DLNFigures
import DLNHeadless
import Foundation

/// `dlntui plot ROWS.csv`: a run's rows as an SVG figure (the dashboard's charts, for a paper).
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a run's rows (CSV or JSONL) as an SVG figure.",
        discussion: "Reads ROWS and its sidecar ROWS.json when present, and writes ROWS.svg beside it unless --output says otherwise. Charts: \(RunChart.names.joined(separator: ", ")); by default every chart the rows support.")

    @Argument(help: "A row file of `dlntui run` (CSV or JSONL).")
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
        _ = try chartList()
        _ = try widthMillimetres()
    }

    func run() throws {
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
        do { try AtomicFile.write(svg, to: path) } catch {
            FileHandle.standardError.write(Data("dlntui: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        print("wrote \(path) (\(charts.map(\.rawValue).joined(separator: ", ")))")
    }
}
