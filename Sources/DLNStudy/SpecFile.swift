import DLNEngine
import DLNOutput
import Foundation
import TOMLKit

/// SPEC.toml of `dlntui sweep`: the run flags' names without the dashes as keys; a scalar fixes a
/// value, a list under [grid] sweeps it; `members`, `seed`, `vary-problem`, `until-converged` and
/// `member-rows` set the study. Parsed by TOMLKit; every point's flags are then read by the same
/// parser as `dlntui ensemble`'s (`resolve`), so a key means exactly what its flag means.
public enum SpecFile {
    /// The flags of one point (as `dlntui ensemble` takes them) to its parameters, or the parser's message.
    public typealias Resolve = ([String]) -> Result<Parameters, StudyError>

    static let studyKeys: Set<String> = ["members", "vary-problem", "until-converged", "member-rows"]
    /// Keys whose values are numbers: a TOML string there is a wrong type, even one that reads as a
    /// number (dt = "0.05"), except infinity, which N and beta take as "inf".
    static let numericKeys: Set<String> = [
        "d", "N", "beta", "kappa", "dt", "rtol", "atol", "steps", "every", "until-time", "every-time",
        "until-energy", "seed", "init-scale", "observed", "target-rank", "noise", "measurements", "rank-tol",
    ]

    /// nil, or why this value has the wrong type for the key.
    static func typeProblem(_ key: String, _ v: TOMLValueConvertible) -> String? {
        guard numericKeys.contains(key), v.type == .string, let text = v.string else { return nil }
        if ["inf", "+inf", "infinity"].contains(text.lowercased()) { return nil }
        return "expected a number, got the string \"\(text)\"" + (Double(text) != nil ? " (write \(key) = \(text), without quotes)" : "")
    }

    struct Entry {
        let key: String
        let line: Int
        let values: [String]
    }

    public static func load(path: String, resolve: Resolve) throws(StudyError) -> Study {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { ($0 as? NSError)?.localizedDescription ?? "\($0)" }
            let why = !FileManager.default.fileExists(atPath: path) ? "no such file"
                : FileManager.default.isReadableFile(atPath: path) ? (reason ?? error.localizedDescription) : "permission denied"
            throw .spec("\(path): cannot read the spec: \(why)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .spec("\(path): cannot read the spec: not UTF-8 text") }
        return try parse(text, path: path, resolve: resolve)
    }

    public static func parse(_ text: String, path: String, resolve: Resolve) throws(StudyError) -> Study {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw .spec("\(path):\(e.source.begin.line):\(e.source.begin.column): \(e.description)")
        } catch {
            throw .spec("\(path): \(error)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func fail(_ key: String, grid: Bool, _ message: String) -> StudyError {
            .spec("\(path):\(line(of: key, inGrid: grid, lines)): key '\(key)': \(message)")
        }
        var members: Int? = nil
        var varyProblem = false, memberRows = false
        var untilConverged: Double? = nil
        var fixed: [Entry] = []
        var grid: [Entry] = []
        var spec: [(String, String)] = []
        for key in table.keys {
            let value = table[key]!
            if key == "grid" {
                guard let sub = value.table else { throw fail(key, grid: false, "expected a table [grid] of lists") }
                var gridSpec: [(String, String)] = []
                for k in sub.keys {
                    if studyKeys.contains(k) { throw fail(k, grid: true, "sets the study and cannot be swept") }
                    if table[k] != nil { throw fail(k, grid: true, "given both as a value and under [grid]") }
                    guard let array = sub[k]!.array else { throw fail(k, grid: true, "expected a list under [grid], e.g. \(k) = [1, 2]") }
                    if array.isEmpty { throw fail(k, grid: true, "empty grid: give at least one value") }
                    var values: [String] = []
                    for element in array {
                        guard let v = argument(element) else { throw fail(k, grid: true, "expected numbers or strings, got \(element.type)") }
                        if let problem = typeProblem(k, element) { throw fail(k, grid: true, problem) }
                        values.append(v)
                    }
                    grid.append(Entry(key: k, line: line(of: k, inGrid: true, lines), values: values))
                    gridSpec.append((k, "[" + array.map(jsonValue).joined(separator: ", ") + "]"))
                }
                spec.append(("grid", JSON.object(gridSpec.sorted { a, b in
                    line(of: a.0, inGrid: true, lines) < line(of: b.0, inGrid: true, lines) }, indent: "    ")))
                continue
            }
            spec.append((key, jsonValue(value)))
            switch key {
            case "members":
                guard let m = value.int, m >= 1, m <= 100_000_000 else { throw fail(key, grid: false, "expected an integer in 1...100000000") }
                members = m
            case "vary-problem", "member-rows":
                guard let b = value.bool else { throw fail(key, grid: false, "expected true or false") }
                if key == "vary-problem" { varyProblem = b } else { memberRows = b }
            case "until-converged":
                let x = value.double ?? value.int.map(Double.init)
                guard let tol = x, tol > 0, tol.isFinite else { throw fail(key, grid: false, "expected a finite number > 0") }
                untilConverged = tol
            default:
                guard value.type != .table else { throw fail(key, grid: false, "unknown table [\(key)]: only [grid] is read") }
                guard let v = argument(value) else { throw fail(key, grid: false, "expected a number or a string, got \(value.type)") }
                if let problem = typeProblem(key, value) { throw fail(key, grid: false, problem) }
                fixed.append(Entry(key: key, line: line(of: key, inGrid: false, lines), values: [v]))
            }
        }
        guard let members else { throw .spec("\(path): key 'members' is missing: say how many members each point has (members = 100)") }
        grid.sort { $0.line < $1.line }
        fixed.sort { $0.line < $1.line }
        spec.sort { a, b in line(of: a.0, inGrid: false, lines) < line(of: b.0, inGrid: false, lines) }

        // The points: the grid's product, its first key varying slowest.
        var points: [StudyPoint] = []
        let count = grid.reduce(1) { $0 * $1.values.count }
        guard count <= 1_000_000 else { throw .spec("\(path): the grid has \(count) points; at most 1000000") }
        for index in 0..<count {
            var rest = index
            var chosen = [(String, String)](repeating: ("", ""), count: grid.count)
            for (k, entry) in grid.enumerated().reversed() {
                chosen[k] = (entry.key, entry.values[rest % entry.values.count])
                rest /= entry.values.count
            }
            let args = (fixed.map { ($0.key, $0.values[0]) } + chosen).flatMap(flag)
            switch resolve(args) {
            case .success(let p): points.append(StudyPoint(index: index, parameters: p, grid: chosen))
            case .failure(let error):
                let message = error.description
                let at = chosen.isEmpty ? "" : " (at " + chosen.map { "\($0.0) = \($0.1)" }.joined(separator: ", ") + ")"
                let culprit = (fixed + grid).first { mentions(message, flagName($0.key)) }
                if let culprit {
                    // The parser's words name a flag the user never typed: say it as a spec's key.
                    let said = message.contains("Unknown option")
                        ? "unknown key: the keys are the run flags' names without the dashes (d, N, beta, kappa, dt, steps, flow, preset, ...) and members, seed, vary-problem, until-converged, member-rows"
                        : message
                    throw .spec("\(path):\(culprit.line): key '\(culprit.key)': \(said)\(at)")
                }
                throw .spec("\(path): \(message)\(at)")
            }
        }
        return Study(points: points, members: members, varyProblem: varyProblem, untilConverged: untilConverged,
                     memberRows: memberRows, gridKeys: grid.map { $0.key }, spec: spec)
    }

    /// `-d`, `-N` for the one-letter keys, `--key` otherwise.
    static func flagName(_ key: String) -> String { key.count == 1 ? "-" + key : "--" + key }

    /// A value joined to its flag (`--beta=-inf`, so a negative value is not read as a flag).
    static func flag(_ pair: (String, String)) -> [String] {
        pair.0.count == 1 ? [flagName(pair.0), pair.1] : [flagName(pair.0) + "=" + pair.1]
    }

    /// Whether the parser's message names `flag` as a whole word.
    static func mentions(_ message: String, _ flag: String) -> Bool {
        var search = message[...]
        while let r = search.range(of: flag) {
            let before = r.lowerBound == message.startIndex ? " " : message[message.index(before: r.lowerBound)]
            let after = r.upperBound == message.endIndex ? " " : message[r.upperBound]
            let word: (Character) -> Bool = { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            if !word(before) && !word(after) { return true }
            search = message[r.upperBound...]
        }
        return false
    }

    /// A scalar as the text of a flag's value; nil for other types.
    static func argument(_ v: TOMLValueConvertible) -> String? {
        switch v.type {
        case .int: return "\(v.int!)"
        case .double: return "\(v.double!)"
        case .string: return v.string!
        default: return nil
        }
    }

    static func jsonValue(_ v: TOMLValueConvertible) -> String {
        switch v.type {
        case .int: return "\(v.int!)"
        case .double: return JSON.number(v.double!)
        case .bool: return v.bool! ? "true" : "false"
        case .string: return JSON.string(v.string!)
        case .array: return "[" + v.array!.map(jsonValue).joined(separator: ", ") + "]"
        default: return JSON.string(v.debugDescription)
        }
    }

    /// The 1-based line where `key` is set, in [grid] or at the top (the parser reports lines only
    /// for syntax errors); 1 if not found.
    static func line(of key: String, inGrid: Bool, _ lines: [String]) -> Int {
        var section = ""
        for (n, raw) in lines.enumerated() {
            let t = raw.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("[") {
                section = t.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t"))
                if let hash = section.firstIndex(of: "#") { section = String(section[..<hash]).trimmingCharacters(in: .whitespaces) }
                if !inGrid && section == key { return n + 1 }
                continue
            }
            let inRightSection = inGrid ? section == "grid" : section.isEmpty
            guard inRightSection, let eq = t.firstIndex(of: "=") else {
                if !inGrid && section.isEmpty == false && t.hasPrefix("grid.\(key)") { return n + 1 }
                continue
            }
            var name = t[..<eq].trimmingCharacters(in: .whitespaces)
            if name.count >= 2 && (name.hasPrefix("\"") || name.hasPrefix("'")) { name = String(name.dropFirst().dropLast()) }
            if inGrid && section.isEmpty && name == "grid.\(key)" { return n + 1 }
            if name == key { return n + 1 }
        }
        return 1
    }
}
