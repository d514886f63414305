import DLNEngine
import Foundation

extension RowTable {
    /// The complete rows of a file that may still be written (or was cut by a crash): everything
    /// up to its last newline is read as `read(path:)` would; a last line without its newline is
    /// left for later. Nil while the file holds no complete row yet (a header alone, or nothing).
    public static func readComplete(path: String) throws(DataFileError) -> RowTable? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw DataFileError(path: path, message: "is a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            throw DataFileError(path: path, message: reason)
        }
        guard let end = data.lastIndex(of: UInt8(ascii: "\n")) else { return nil }
        guard let text = String(data: data[..<end], encoding: .utf8) else { throw DataFileError(path: path, message: "not UTF-8 text") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        if trimmed.first == "{" {
            return lines.isEmpty ? nil : try parseJSONL(text, path: path)
        }
        // The header alone: the rows have not come yet.
        guard lines.count >= 2 else {
            if let header = lines.first { _ = try checkHeader(header.split(separator: ",", omittingEmptySubsequences: false).map(String.init), path: path) }
            return nil
        }
        return try parseCSV(text, path: path)
    }
}
