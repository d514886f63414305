import DLNCharts
import DLNEngine
import DLNOutput
import DLNStudy
import Foundation

/// The `s` key in the ensemble view: a folder `dlntui-<stamp>-ensemble-step<k>/` holding the
/// ensemble's summary.csv (one row per finished member) and quantiles.csv (every member's values
/// so far) in the formats of `dlntui ensemble`, the sidecar ensemble.json (the point, the live
/// edits, the restarts, the counts and the rank-one fraction with its interval), screen.txt and
/// charts.svg (the view's charts from the same chart models the screen draws).
public enum EnsembleSnapshot {
    public struct Contents: Sendable {
        public var summary: String
        public var quantiles: String
        public var frame: EnsembleFrame
        public var point: Parameters
        public var edits: [LiveEdit]
        public var problem: Problem?
        public var members: Int
        public var jobs: Int
        public var untilCI: Double?
        public var untilConverged: Double?
        public var stopped: String?
        /// A compared ensemble's configuration ('N=2'); nil alone.
        public var label: String? = nil
    }

    /// The sidecar's text.
    public static func sidecar(_ c: Contents) -> String {
        let f = c.frame
        let p = f.rankOne
        let ci = p.interval
        var extra: [(String, String)] = [
            ("source", JSON.string("dlntui interactive ensemble snapshot")),
        ]
        if let label = c.label { extra.append(("configuration", JSON.string(label))) }
        extra += [
            ("members", "\(c.members)"),
            ("member_seeds", JSON.string("member i: the (i + 1)-th output of SplitMix64 seeded with the seed, as dlntui ensemble")),
            ("saved_at_step", "\(f.step)"),
            ("counts", JSON.object([("running", "\(f.running)")] + MemberStatus.allCases.map { ($0.rawValue, "\(f.count($0))") }, indent: "  ")),
            ("rank_one", JSON.object([
                ("rule", JSON.string("sigma_2 / sigma_1 < \(EnsembleFrame.rankOneRatio)")),
                ("of", JSON.string(f.counted.finished ? "finished members" : "every member now")),
                ("k", "\(p.successes)"), ("n", "\(p.total)"),
                ("fraction", JSON.number(p.value)),
                ("ci95_method", JSON.string("Wilson score")),
                ("ci95_low", ci.map { JSON.number($0.low) } ?? "null"),
                ("ci95_high", ci.map { JSON.number($0.high) } ?? "null"),
            ], indent: "  ")),
            ("restarts", "[" + f.restarts.map(JSON.string).joined(separator: ", ") + "]"),
            ("until_ci", c.untilCI.map(JSON.number) ?? "null"),
        ]
        if c.untilCI != nil {
            // What --until-ci counts: members 0 ..< k, all finished (not whichever finished first).
            let first = f.firstRankOne
            let firstCI = first.interval
            extra.append(("until_ci_rank_one", JSON.object([
                ("of", JSON.string("members 0 to first - 1, all finished, failed ones left out")),
                ("first", "\(f.finishedPrefix)"), ("k", "\(first.successes)"), ("n", "\(first.total)"),
                ("ci95_low", firstCI.map { JSON.number($0.low) } ?? "null"),
                ("ci95_high", firstCI.map { JSON.number($0.high) } ?? "null"),
            ], indent: "  ")))
        }
        extra += [
            ("until_converged", c.untilConverged.map(JSON.number) ?? "null"),
            ("stopped", c.stopped.map(JSON.string) ?? "null"),
            ("files", c.label == nil ? "[\"summary.csv\", \"quantiles.csv\", \"screen.txt\", \"charts.svg\"]"
                : "[\"summary.csv\", \"quantiles.csv\", \"../screen.txt\", \"../charts.svg\"]"),
        ]
        extra.append(("jobs", "\(c.jobs)"))
        guard let problem = c.problem else { return JSON.object(extra) + "\n" }
        return Sidecar.json(start: c.point, parameters: f.parameters, problem: problem, edits: c.edits, inputs: [], extra: extra)
    }

    /// Writes the folder's four files (each atomically) into `folder`; returns the folder's path.
    public static func save(_ c: Contents, screen: String, folder: String, charts: [ChartModel] = [], date: Date = Date()) throws(OutputError) -> String {
        let name = SnapshotWriter.baseName(date: date, step: c.frame.step).replacingOccurrences(of: "-step", with: "-ensemble-step")
        let dir = (folder as NSString).appendingPathComponent(name)
        // A folder that cannot be made makes the first write fail, naming the path.
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try AtomicFile.write(c.summary, to: dir + "/summary.csv")
        try AtomicFile.write(c.quantiles, to: dir + "/quantiles.csv")
        try AtomicFile.write(sidecar(c), to: dir + "/ensemble.json")
        try AtomicFile.write(screen + "\n", to: dir + "/screen.txt")
        if !charts.isEmpty {
            let info = FigureInfo(title: "ensemble of \(c.members) members, step \(c.frame.step)", caption: "quantile bands 5-25-50-75-95%")
            try AtomicFile.write(SVGFigure.render(charts, info: info), to: dir + "/charts.svg")
        }
        return dir
    }

    /// Compared ensembles: one folder `dlntui-<stamp>-ensembles-step<k>/` holding screen.txt and
    /// charts.svg (the overlaid charts), and a subfolder per configuration, `1-N=2/`, `2-N=4/`, ...
    /// (its place and its label), with that configuration's summary.csv, quantiles.csv and
    /// ensemble.json as a single ensemble's snapshot writes them. Returns the folder's path.
    public static func save(compared all: [Contents], screen: String, folder: String, charts: [ChartModel] = [],
                            date: Date = Date()) throws(OutputError) -> String {
        let step = all.map(\.frame.step).max() ?? 0
        let name = SnapshotWriter.baseName(date: date, step: step).replacingOccurrences(of: "-step", with: "-ensembles-step")
        let dir = (folder as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (i, c) in all.enumerated() {
            let sub = dir + "/" + subfolder(i, c.label ?? "run \(i + 1)")
            try? FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            try AtomicFile.write(c.summary, to: sub + "/summary.csv")
            try AtomicFile.write(c.quantiles, to: sub + "/quantiles.csv")
            try AtomicFile.write(sidecar(c), to: sub + "/ensemble.json")
        }
        try AtomicFile.write(screen + "\n", to: dir + "/screen.txt")
        if !charts.isEmpty, let first = all.first {
            let labels = all.map { $0.label ?? "" }.joined(separator: " | ")
            let info = FigureInfo(title: "\(all.count) ensembles of \(first.members) paired members (\(labels)), step \(step)",
                                  caption: "each configuration: median line and 25-75% band; histograms as outlines")
            try AtomicFile.write(SVGFigure.render(charts, info: info), to: dir + "/charts.svg")
        }
        return dir
    }

    /// A configuration's subfolder: its place from 1 and its label, with characters a path or a
    /// shell would take apart (/, space, ...) as '_'.
    public static func subfolder(_ index: Int, _ label: String) -> String {
        let safe = String(label.unicodeScalars.map { s -> Character in
            CharacterSet.alphanumerics.contains(s) || "=.,+-_".unicodeScalars.contains(s) ? Character(s) : "_"
        })
        return "\(index + 1)-\(safe)"
    }
}
