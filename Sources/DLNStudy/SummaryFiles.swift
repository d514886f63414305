import Foundation
import DLNEngine
import DLNOutput

/// summary.csv (one row per member) and quantiles.csv (long format), from the recorded members.
/// Rows are ordered by point and member, so the files do not depend on the order members finished in.
public enum SummaryFiles {
    public static func summaryHeader(_ study: Study) -> [String] {
        let d = study.maxSize
        var columns = ["point", "member", "seed"] + study.gridKeys + ["status", "steps", "time"]
        columns += RowContract(size: d).names
        if d <= MemberRun.maxMatrixSize {
            for i in 1...d { for j in 1...d { columns.append("w_\(i)_\(j)") } }
        }
        columns += (1...d).map { "t_rank_\($0)" }
        return columns + ["wall_s"]
    }

    public static func summary(_ study: Study, _ results: [Int: MemberResult]) -> String {
        let d = study.maxSize
        let header = summaryHeader(study)
        let names = RowContract(size: d).names
        var out = header.joined(separator: ",") + "\n"
        for g in results.keys.sorted() {
            let r = results[g]!
            let point = study.points[g / study.members]
            var row = ["\(point.index)", "\(g % study.members)", "\(point.parameters.seed)"]
            row += point.grid.map { csvField($0.1) }
            row += [r.status.rawValue, "\(r.steps)", NumberFormat.g17(r.time)]
            // The member's own contract (its d), matched to the summary's columns by name.
            let own = RowContract(size: point.parameters.size).names
            let fields = r.lastRow.isEmpty ? [] : RowContract.observables(ofLine: r.lastRow[...])
            var byName: [String: Substring] = [:]
            for (k, name) in own.enumerated() where k < fields.count { byName[name] = fields[k] }
            row += names.map { byName[$0].map(String.init) ?? "" }
            if d <= MemberRun.maxMatrixSize {
                let e = point.parameters.size
                for i in 0..<d {
                    for j in 0..<d {
                        row.append(i < e && j < e && r.w.count == e * e ? NumberFormat.g17(r.w[i * e + j]) : "")
                    }
                }
            }
            row += (0..<d).map { k in k < r.rankTimes.count ? r.rankTimes[k].map(NumberFormat.g17) ?? "" : "" }
            row.append(NumberFormat.g17(r.wallSeconds))
            out += row.joined(separator: ",") + "\n"
        }
        return out
    }

    public static let quantilesHeader = "point,time,quantity,q05,q25,q50,q75,q95,mean,n"

    public static func quantiles(_ study: Study, _ results: [Int: MemberResult]) -> String {
        var out = quantilesHeader + "\n"
        for point in study.points {
            let p = point.parameters
            let contract = RowContract(size: p.size)
            let saved = Study.savedTimes(p) ?? []
            let q = contract.quantities.count
            let members = (0..<study.members).compactMap { results[point.index * study.members + $0] }
            for (k, t) in saved.enumerated() {
                let time = NumberFormat.g17(t)
                for (j, index) in contract.quantities.enumerated() {
                    let values = members.map { $0.trace.count == saved.count * q ? $0.trace[k * q + j] : .nan }
                    out += "\(point.index),\(time),\(contract.names[index]),"
                    if let s = Quantiles.summary(values) {
                        out += s.quantiles.map(NumberFormat.g17).joined(separator: ",")
                        out += "," + NumberFormat.g17(s.mean) + ",\(s.n)\n"
                    } else {
                        out += ",,,,,,0\n"
                    }
                }
            }
        }
        return out
    }

    /// A grid value as a CSV field (quoted if it holds a comma or a quote).
    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// Counts by status, in the enum's order.
    public static func counts(_ results: [Int: MemberResult]) -> [(MemberStatus, Int)] {
        MemberStatus.allCases.map { s in (s, results.values.filter { $0.status == s }.count) }
    }
}
