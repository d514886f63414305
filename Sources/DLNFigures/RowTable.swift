import DLNEngine
import Foundation

/// A row file of `dlntui run` (or of a snapshot) read back: every column by name, values as
/// numbers (NaN where a value is empty or null: the balance defect downstairs, an error without
/// ground truth). The fixed columns of the row contract come first, then sigma_1 ... sigma_d, then
/// any appended column (error, error_unobserved, ...).
public struct RowTable: Sendable {
    public static let fixedColumns = ["step", "time", "energy", "entropy", "free_energy", "effective_rank",
                                      "numerical_rank", "stable_rank", "balance_defect"]
    /// Columns that may be empty (CSV) or null (JSONL).
    static let optional: Set<String> = ["balance_defect"]

    public var path: String
    /// Column names in file order (JSONL: the CSV's names, `sigma` spread to sigma_1 ... sigma_d).
    public var columns: [String]
    public var values: [String: [Double]]
    /// d, the number of sigma_k columns.
    public var size: Int
    public var count: Int { values["step"]?.count ?? 0 }

    public func column(_ name: String) -> [Double]? { values[name] }
    public var sigma: [[Double]] { (1...max(size, 1)).compactMap { values["sigma_\($0)"] } }
    /// Whether a column holds at least one finite value (an appended error column of a run without
    /// ground truth holds none).
    public func hasData(_ name: String) -> Bool { values[name]?.contains { $0.isFinite } ?? false }

    /// Reads CSV or JSONL (told apart by the first character: `{` is JSONL).
    public static func read(path: String) throws(DataFileError) -> RowTable {
        let data: Data
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw DataFileError(path: path, message: "is a directory")
        }
        guard let d = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            throw DataFileError(path: path, message: reason)
        }
        data = d
        guard let text = String(data: data, encoding: .utf8) else { throw DataFileError(path: path, message: "not UTF-8 text") }
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        if trimmed.first == "{" { return try parseJSONL(text, path: path) }
        return try parseCSV(text, path: path)
    }

    /// The header: the fixed columns, sigma_1 ... sigma_d (d >= 1), then distinct appended names.
    static func checkHeader(_ names: [String], path: String) throws(DataFileError) -> Int {
        for (i, want) in fixedColumns.enumerated() {
            guard i < names.count else {
                throw DataFileError(path: path, line: 1, column: i + 1, message: "header ends before '\(want)': not dlntui rows")
            }
            guard names[i] == want else {
                throw DataFileError(path: path, line: 1, column: i + 1, message: "header has '\(names[i])' where dlntui rows have '\(want)'")
            }
        }
        var d = 0
        while fixedColumns.count + d < names.count && names[fixedColumns.count + d] == "sigma_\(d + 1)" { d += 1 }
        guard d >= 1 else {
            throw DataFileError(path: path, line: 1, column: fixedColumns.count + 1, message: "header has no sigma_1 column: not dlntui rows")
        }
        var seen = Set(names.prefix(fixedColumns.count + d))
        for (i, name) in names.enumerated().dropFirst(fixedColumns.count + d) {
            guard !name.isEmpty, !seen.contains(name), !name.hasPrefix("sigma_") else {
                throw DataFileError(path: path, line: 1, column: i + 1, message: "header has '\(name)': an empty, repeated or out-of-order column name")
            }
            seen.insert(name)
        }
        return d
    }

    static func parseCSV(_ text: String, path: String) throws(DataFileError) -> RowTable {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first else { throw DataFileError(path: path, message: "empty: no header") }
        let names = headerLine.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let d = try checkHeader(names, path: path)
        var columns = [[Double]](repeating: [], count: names.count)
        for (index, line) in lines.enumerated().dropFirst() {
            let lineNumber = index + 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == names.count else {
                throw DataFileError(path: path, line: lineNumber, column: min(fields.count, names.count) + 1,
                                    message: "\(fields.count) fields where the header has \(names.count) (ragged)")
            }
            for (c, field) in fields.enumerated() {
                if field.isEmpty {
                    guard optional.contains(names[c]) || c >= fixedColumns.count + d else {
                        throw DataFileError(path: path, line: lineNumber, column: c + 1, message: "empty \(names[c])")
                    }
                    columns[c].append(.nan)
                    continue
                }
                guard let v = number(field) else {
                    throw DataFileError(path: path, line: lineNumber, column: c + 1, message: "'\(field.prefix(24))' is not a number (\(names[c]))")
                }
                columns[c].append(v)
            }
        }
        guard lines.count >= 2 else { throw DataFileError(path: path, line: 2, message: "no rows after the header") }
        return RowTable(path: path, columns: names, values: Dictionary(uniqueKeysWithValues: zip(names, columns)), size: d)
    }

    /// %.17g numbers, inf / -inf / nan (what the rows print).
    static func number(_ s: Substring) -> Double? {
        switch s {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default:
            guard let v = Double(s), v.isFinite else { return nil }
            return v
        }
    }

    static func parseJSONL(_ text: String, path: String) throws(DataFileError) -> RowTable {
        var names: [String] = []
        var columns: [String: [Double]] = [:]
        var d = 0
        var rows = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            if line.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw DataFileError(path: path, line: lineNumber, column: 1, message: "not a JSON object")
            }
            guard let sigma = object["sigma"] as? [Any], !sigma.isEmpty else {
                throw DataFileError(path: path, line: lineNumber, column: 1, message: "no 'sigma' array: not dlntui rows")
            }
            if rows == 0 {
                d = sigma.count
                // Appended keys in the order the fixed names leave them: sorted, so the table is stable.
                let extra = object.keys.filter { !fixedColumns.contains($0) && $0 != "sigma" }.sorted()
                names = fixedColumns + (1...d).map { "sigma_\($0)" } + extra
                for n in names { columns[n] = [] }
            }
            guard sigma.count == d else {
                throw DataFileError(path: path, line: lineNumber, column: 1, message: "'sigma' has \(sigma.count) values where the first row has \(d) (ragged)")
            }
            for name in names where !name.hasPrefix("sigma_") {
                guard let raw = object[name] else {
                    throw DataFileError(path: path, line: lineNumber, column: 1, message: "no '\(name)' key: not dlntui rows")
                }
                guard let v = jsonNumber(raw, nullable: optional.contains(name) || !fixedColumns.contains(name)) else {
                    throw DataFileError(path: path, line: lineNumber, column: 1, message: "'\(name)' is not a number")
                }
                columns[name]!.append(v)
            }
            for (k, raw) in sigma.enumerated() {
                guard let v = jsonNumber(raw, nullable: false) else {
                    throw DataFileError(path: path, line: lineNumber, column: 1, message: "sigma[\(k)] is not a number")
                }
                columns["sigma_\(k + 1)"]!.append(v)
            }
            rows += 1
        }
        guard rows > 0 else { throw DataFileError(path: path, message: "no rows") }
        return RowTable(path: path, columns: names, values: columns, size: d)
    }

    /// A JSON number, the strings "inf" / "-inf" / "nan", or null where allowed (NaN).
    static func jsonNumber(_ raw: Any, nullable: Bool) -> Double? {
        if raw is NSNull { return nullable ? .nan : nil }
        if let s = raw as? String { return ["inf": .infinity, "-inf": -.infinity, "nan": .nan][s] }
        if type(of: raw) == Bool.self { return nil }
        if let n = raw as? Double { return n }
        if let n = raw as? Int { return Double(n) }
        return (raw as? NSNumber)?.doubleValue
    }
}
