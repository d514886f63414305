import DLNEngine
import DLNOutput
import Foundation

/// The study's folder: study.json (written atomically before the first member), results/ (the
/// members' records), summary.csv and quantiles.csv (written at the end), members/ (with
/// --member-rows), and for a plan tasks.txt, study.sbatch, spec.toml and logs/.
public enum StudyFolder {
    public static let formatVersion = 1
    public static let memberSeedRule =
        "member i of seed S: start and noise from s_i = splitmix64_output(S, i + 1), "
        + "i.e. z = S + (i + 1) * 0x9E3779B97F4A7C15; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; "
        + "z = (z ^ (z >> 27)) * 0x94D049BB133111EB; s_i = z ^ (z >> 31) (mod 2^64); "
        + "the problem from S (from s_i with vary-problem); reproduce with `dlntui run <the point's flags> --seed S --member i`"

    static func resultsFolder(_ dir: String) -> String { dir + "/results" }
    static func studyJSON(_ dir: String) -> String { dir + "/study.json" }

    /// Checks the folder and records the study in it. A non-empty folder needs `resume`; a folder
    /// that holds another spec's study is refused, naming what changed. Returns the members
    /// already recorded.
    public static func prepare(_ study: Study, dir: String, resume: Bool, plan: [(String, String)] = [])
        throws(StudyError) -> [Int: MemberResult] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        if !entries.isEmpty && !resume {
            throw .spec("\(dir) is not empty: pass --resume to continue the study in it, or choose another --output")
        }
        if resume, let old = readJSON(dir) {
            try checkSame(study, old: old, dir: dir)
            try makeFolders(study, dir: dir)
            return ResultFile.readAll(folder: resultsFolder(dir))
        }
        // Empty, or half-initialised (no study.json yet): start the study.
        try makeFolders(study, dir: dir)
        try writeJSON(study, dir: dir, started: now(), ended: nil, counts: nil, plan: plan)
        return [:]
    }

    /// The study recorded in DIR must be this one (same hash); otherwise names what changed.
    static func checkSame(_ study: Study, old: [String: Any], dir: String) throws(StudyError) {
        guard let hash = old["hash"] as? String, hash == study.hash else {
            let before = (old["canonical"] as? [String]) ?? []
            let after = study.canonicalLines
            func split(_ lines: [String]) -> [String: String] {
                var m: [String: String] = [:]
                for l in lines { if let e = l.firstIndex(of: "=") { m[String(l[..<e])] = String(l[l.index(after: e)...]) } }
                return m
            }
            let a = split(before), b = split(after)
            var changes: [String] = []
            for line in after {
                guard let e = line.firstIndex(of: "=") else { continue }
                let key = String(line[..<e])
                if a[key] != b[key] { changes.append("\(key): \(a[key] ?? "(absent)") -> \(b[key]!)") }
            }
            for line in before {
                guard let e = line.firstIndex(of: "=") else { continue }
                let key = String(line[..<e])
                if b[key] == nil { changes.append("\(key): \(a[key]!) -> (absent)") }
            }
            let shown = changes.prefix(8).joined(separator: "; ")
            let more = changes.count > 8 ? " and \(changes.count - 8) more" : ""
            throw .spec("\(dir) holds a different study (spec hash \((old["hash"] as? String) ?? "none") there, \(study.hash) now); "
                        + "refusing to resume. Changed: \(changes.isEmpty ? "the spec's form" : shown + more)")
        }
    }

    static func makeFolders(_ study: Study, dir: String) throws(StudyError) {
        do {
            try FileManager.default.createDirectory(atPath: resultsFolder(dir), withIntermediateDirectories: true)
            if study.memberRows { try FileManager.default.createDirectory(atPath: dir + "/members", withIntermediateDirectories: true) }
        } catch {
            throw .output(path: dir, reason: "cannot create the folder")
        }
    }

    static func readJSON(_ dir: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: studyJSON(dir)) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date())
    }

    public static func writeJSON(_ study: Study, dir: String, started: String, ended: String?,
                                 counts: [(MemberStatus, Int)]?, plan: [(String, String)] = [],
                                 warnings: [String] = []) throws(StudyError) {
        let points = study.points.map { point -> String in
            let params = Mirror(reflecting: point.parameters).children.compactMap { c -> (String, String)? in
                guard let label = c.label else { return nil }
                return (label, jsonValue(c.value))
            }
            return JSON.object([
                ("point", "\(point.index)"),
                ("grid", JSON.object(point.grid.map { ($0.0, JSON.string($0.1)) }, indent: "      ")),
                ("parameters", JSON.object(params, indent: "      ")),
            ], indent: "    ")
        }
        var top: [(String, String)] = [
            ("program", JSON.string("dlntui")),
            ("version", JSON.string(Sidecar.version)),
            ("study_format", "\(formatVersion)"),
            ("spec", JSON.object(study.spec, indent: "  ")),
            ("hash", JSON.string(study.hash)),
            ("hash_rule", JSON.string("FNV-1a 64 of the canonical lines joined by newlines")),
            ("member_seed_rule", JSON.string(memberSeedRule)),
            ("points_count", "\(study.points.count)"),
            ("members", "\(study.members)"),
            ("total", "\(study.total)"),
            ("points", "[\n" + points.map { "    " + $0 }.joined(separator: ",\n") + "\n  ]"),
            ("canonical", "[" + study.canonicalLines.map(JSON.string).joined(separator: ", ") + "]"),
            ("started", JSON.string(started)),
            ("ended", ended.map(JSON.string) ?? "null"),
            ("counts", counts.map { c in JSON.object(c.map { ($0.0.rawValue, "\($0.1)") }, indent: "  ") } ?? "null"),
        ]
        if !plan.isEmpty { top.append(("plan", JSON.object(plan, indent: "  "))) }
        // What `dlntui run` prints on standard error for a fixed step too large, kept with the results.
        if !warnings.isEmpty { top.append(("warnings", "[" + warnings.map(JSON.string).joined(separator: ", ") + "]")) }
        do { try AtomicFile.write(JSON.object(top) + "\n", to: studyJSON(dir)) } catch {
            throw .output(path: error.path, reason: error.reason)
        }
    }

    /// A reflected value as JSON: numbers as numbers, the rest as strings, nil as null.
    static func jsonValue(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let inner = mirror.children.first else { return "null" }
            return jsonValue(inner.value)
        }
        if mirror.displayStyle == .set || mirror.displayStyle == .collection {
            let items = mirror.children.map { jsonValue($0.value) }
            return "[" + (mirror.displayStyle == .set ? items.sorted() : items).joined(separator: ", ") + "]"
        }
        if let x = value as? Double { return JSON.number(x) }
        if let n = value as? Int { return "\(n)" }
        if let n = value as? UInt64 { return "\(n)" }
        if let b = value as? Bool { return b ? "true" : "false" }
        return JSON.string("\(value)")
    }

    /// summary.csv, quantiles.csv and study.json's end, all written atomically.
    public static func finish(_ study: Study, dir: String, results: [Int: MemberResult], started: String,
                              warnings: [String] = []) throws(StudyError) {
        do {
            try AtomicFile.write(SummaryFiles.summary(study, results), to: dir + "/summary.csv")
            try AtomicFile.write(SummaryFiles.quantiles(study, results), to: dir + "/quantiles.csv")
        } catch {
            throw .output(path: error.path, reason: error.reason)
        }
        let old = readJSON(dir)
        var plan: [(String, String)] = []
        if let p = old?["plan"] as? [String: Any] {
            plan = p.keys.sorted().map { k in (k, p[k].map(jsonValue) ?? "null") }
        }
        // A resumed study keeps the warnings of the run that began it.
        let kept = (old?["warnings"] as? [String]) ?? []
        try writeJSON(study, dir: dir, started: (old?["started"] as? String) ?? started, ended: now(),
                      counts: SummaryFiles.counts(results), plan: plan, warnings: kept + warnings.filter { !kept.contains($0) })
    }
}
