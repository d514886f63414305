import Foundation

/// A data file that cannot be used: names the file, line and column (1-based) and what is wrong.
public struct DataFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(message)"
    }
}

/// Square matrices as comma-separated text: one row per line, d numbers per row.
public enum MatrixCSV {
    /// Parses text into a square matrix; `path` only labels errors. `binary` demands entries 0 or 1.
    public static func parse(_ text: String, path: String, binary: Bool = false) throws(DataFileError) -> Matrix {
        var rows: [[Double]] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            var row: [Double] = []
            var column = 0
            for field in line.split(separator: ",", omittingEmptySubsequences: false) {
                column += 1
                let trimmed = field.trimmingCharacters(in: .whitespaces)
                guard let value = Double(trimmed) else {
                    let shown = trimmed.count > 20 ? String(trimmed.prefix(20)) + "..." : trimmed
                    throw DataFileError(path: path, line: lineNumber, column: column,
                                        message: trimmed.isEmpty ? "empty field" : "not a number: '\(shown)'")
                }
                guard value.isFinite else {
                    throw DataFileError(path: path, line: lineNumber, column: column,
                                        message: "not a finite number: '\(trimmed)'")
                }
                if binary && value != 0 && value != 1 {
                    throw DataFileError(path: path, line: lineNumber, column: column,
                                        message: "mask entries must be 0 or 1, found \(trimmed)")
                }
                row.append(value)
            }
            if let first = rows.first, first.count != row.count {
                throw DataFileError(path: path, line: lineNumber, column: min(row.count, first.count) + 1,
                                    message: "row has \(row.count) entries, expected \(first.count)")
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw DataFileError(path: path, message: "file is empty") }
        guard rows.count == rows[0].count else {
            throw DataFileError(path: path, line: rows.count, message:
                "matrix is \(rows.count) x \(rows[0].count); a square d x d matrix is expected")
        }
        return Matrix(rows)
    }

    public static func read(path: String, binary: Bool = false) throws(DataFileError) -> Matrix {
        // The common problems in plain words (Foundation's text for a folder is an error domain).
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataFileError(path: path, message: "no such file")
        }
        if isDirectory.boolValue { throw DataFileError(path: path, message: "is a directory, not a CSV file") }
        if access(path, R_OK) != 0 { throw DataFileError(path: path, message: "permission denied") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataFileError(path: path, message: "cannot read file (\(Self.reason(error)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(path: path, message: "not UTF-8 text")
        }
        return try parse(text, path: path, binary: binary)
    }

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code))).lowercased()
        }
        return "read failed"
    }

    /// d lines of d comma-separated numbers, each printed with %.17g (round-trips exactly).
    public static func format(_ m: Matrix) -> String {
        var out = ""
        for i in 0..<m.rows {
            out += m.row(i).map { NumberFormat.g17($0) }.joined(separator: ",")
            out += "\n"
        }
        return out
    }
}

public enum NumberFormat {
    /// %.17g, with infinities as inf / -inf and NaN as nan.
    public static func g17(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        // C's formatter on a stack buffer: Foundation's String(format:) goes through CFString and
        // cost ~10 us a row of 20 numbers (callgrind: a quarter of a 2,000-step ensemble member).
        // The same digits: CFString formats a double with the C library's printf.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buffer in
            _ = withVaList([x]) { vsnprintf(buffer.baseAddress!, 32, "%.17g", $0) }
            return String(cString: buffer.baseAddress!)
        }
    }

    /// The shortest text that reads back as x, exponent without padding: 1e-7, 0.1, 5, -inf. For
    /// messages; rows and files keep %.17g.
    /// x to `digits` significant digits, then as `short` prints it: 1656.8827111200644 -> 1656.9.
    /// For messages that quote a time or a size a run reached, where the last digits say nothing.
    public static func brief(_ x: Double, digits: Int = 5) -> String {
        guard x.isFinite, let rounded = Double(String(format: "%.\(max(1, digits))g", x)) else { return short(x) }
        return short(rounded)
    }

    public static func short(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        var text = "\(x)"
        if let e = text.firstIndex(of: "e") {
            var mantissa = String(text[..<e]), exponent = String(text[text.index(after: e)...])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            let negative = exponent.hasPrefix("-")
            exponent = String(exponent.drop { $0 == "-" || $0 == "+" || $0 == "0" })
            text = mantissa + "e" + (negative ? "-" : "") + (exponent.isEmpty ? "0" : exponent)
        }
        return text
    }
}
