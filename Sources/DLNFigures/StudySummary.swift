import DLNCharts
import DLNEngine
import Foundation

/// A study's `summary.csv` (one row per member: point, member, seed, the grid's keys, status,
/// steps, time, the member's last observables, w_i_j for small d, t_rank_r, wall_s) read back as
/// text by column name, with numbers where a field is one.
public struct StudySummary: Sendable {
    public var path: String
    public var columns: [String]
    /// Fields by row, in column order (CSV quoting removed).
    public var rows: [[String]]
    /// The grid's keys: the columns between seed and status.
    public var gridKeys: [String]

    public static let required = ["point", "member", "seed", "status"]

    public static func read(path: String) throws(DataFileError) -> StudySummary {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(path: path, message: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let head = lines.first else { throw DataFileError(path: path, message: "empty: no header") }
        let names = fields(head)
        for (i, want) in ["point", "member", "seed"].enumerated() where i >= names.count || names[i] != want {
            throw DataFileError(path: path, line: 1, column: i + 1,
                                message: "header has '\(i < names.count ? names[i] : "")' where a study's summary has '\(want)'")
        }
        guard let status = names.firstIndex(of: "status") else {
            throw DataFileError(path: path, line: 1, column: names.count + 1, message: "header has no 'status' column: not a study's summary")
        }
        var rows: [[String]] = []
        for (index, line) in lines.enumerated().dropFirst() {
            let f = fields(line)
            guard f.count == names.count else {
                throw DataFileError(path: path, line: index + 1, column: min(f.count, names.count) + 1,
                                    message: "\(f.count) fields where the header has \(names.count) (ragged)")
            }
            rows.append(f)
        }
        guard !rows.isEmpty else { throw DataFileError(path: path, line: 2, message: "no rows after the header") }
        return StudySummary(path: path, columns: names, rows: rows, gridKeys: Array(names[3..<status]))
    }

    /// CSV fields, a quoted field's quotes removed ("" inside one is a quote).
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = [], field = "", quoted = false, wasQuoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex && line[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty && !wasQuoted {
                quoted = true; wasQuoted = true
            } else if c == "," {
                out.append(field); field = ""; wasQuoted = false
            } else { field.append(c) }
            i = line.index(after: i)
        }
        out.append(field)
        return out
    }

    /// A column as numbers (NaN where empty or not a number), nil when there is no such column.
    public func numbers(_ name: String) -> [Double]? {
        guard let c = columns.firstIndex(of: name) else { return nil }
        return rows.map { RowTable.number(Substring($0[c])) ?? .nan }
    }

    public func strings(_ name: String) -> [String]? {
        guard let c = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[c] }
    }

    /// The points in file order, each with its grid values ("N=2, beta=inf"; "" without a grid).
    public var points: [(id: String, label: String)] {
        guard let ids = strings("point") else { return [] }
        var out: [(id: String, label: String)] = []
        for (r, id) in ids.enumerated() where !out.contains(where: { $0.id == id }) {
            let grid = gridKeys.map { k in "\(k)=\(rows[r][columns.firstIndex(of: k)!])" }.joined(separator: ", ")
            out.append((id, grid))
        }
        return out
    }

    /// d: the number of sigma_k columns.
    public var size: Int { columns.filter { $0.hasPrefix("sigma_") }.count }
}

/// The statistics of a study's members that `dlntui plot DIR` draws as histograms, by the chart
/// names `--charts` takes (`hist-` and the statistic), and the d = 2 limits chart.
public enum SummaryStatistic: Sendable, Equatable {
    case column(String)
    /// sigma_2 / sigma_1 of the last row.
    case sigmaRatio

    public var name: String {
        switch self {
        case .column(let c): return c
        case .sigmaRatio: return "sigma_ratio"
        }
    }

    public var chartName: String { "hist-" + name }

    public var title: String {
        switch self {
        case .sigmaRatio: return "σ2/σ1 at the end"
        case .column(let c):
            if c.hasPrefix("t_rank_") { return "time of the jump to rank \(c.dropFirst(7)), t_rank_\(c.dropFirst(7))" }
            switch c {
            case "effective_rank": return "final effective rank"
            case "numerical_rank": return "final numerical rank"
            case "error": return "final error against the ground truth"
            case "error_unobserved": return "final error on the unobserved entries"
            default: return "final " + c
            }
        }
    }

    public var axisTitle: String {
        switch self {
        case .sigmaRatio: return "σ2/σ1"
        case .column(let c):
            if c.hasPrefix("t_rank_") { return "time t" }
            switch c {
            case "effective_rank": return "effective rank"
            case "numerical_rank": return "numerical rank"
            case "error": return "‖W − A‖_F / ‖A‖_F"
            case "error_unobserved": return "unobserved error"
            default: return c
            }
        }
    }

    public func values(_ s: StudySummary) -> [Double]? {
        switch self {
        case .sigmaRatio:
            guard let a = s.numbers("sigma_1"), let b = s.numbers("sigma_2") else { return nil }
            return zip(a, b).map { $1 / $0 }
        case .column(let c): return s.numbers(c)
        }
    }
}
