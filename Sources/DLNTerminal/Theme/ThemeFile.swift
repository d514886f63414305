import Foundation

/// A problem in a theme file, located by file and line.
public struct ThemeWarning: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based; 0 for the whole file.
    public var line: Int
    public var message: String

    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}

/// btop's theme format: one `theme[key]="#RRGGBB"` per line, `#` comments, blank lines. An unknown
/// key or a bad colour is a warning and that key keeps the default; nothing in a file can crash.
public enum ThemeFile {
    /// Files beyond this are not themes (and would take long to scan); the default is used.
    public static let maximumBytes = 1 << 20
    public static let maximumWarnings = 20

    public static func parse(_ text: String, name: String, path: String) -> (Theme, [ThemeWarning]) {
        var colors: [String: Color] = [:]
        var warnings: [ThemeWarning] = []
        var lineNumber = 0
        func warn(_ message: String) {
            if warnings.count < maximumWarnings { warnings.append(ThemeWarning(path: path, line: lineNumber, message: message)) }
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
                warn("expected theme[key]=\"#RRGGBB\"")
                continue
            }
            let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close]).trimmingCharacters(in: .whitespaces)
            var rest = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
            guard rest.hasPrefix("=") else {
                warn("expected '=' after theme[\(printable(key))]")
                continue
            }
            rest = String(rest.dropFirst()).trimmingCharacters(in: .whitespaces)
            if rest.count >= 2, rest.hasPrefix("\""), rest.hasSuffix("\"") { rest = String(rest.dropFirst().dropLast()) }
            guard Theme.Key(rawValue: key) != nil else {
                warn("unknown key '\(printable(key))'")
                continue
            }
            guard let color = parseColor(rest) else {
                warn("bad colour '\(printable(rest))' for \(key): expected \"#RRGGBB\" or \"\"")
                continue
            }
            colors[key] = color
        }
        return (Theme(name: name, path: path, colors: colors), warnings)
    }

    /// "#RRGGBB", or "" for the terminal's default colour.
    public static func parseColor(_ s: String) -> Color? {
        if s.isEmpty { return .terminal }
        let scalars = Array(s.unicodeScalars)
        guard scalars.count == 7, scalars[0] == "#" else { return nil }
        guard scalars[1...].allSatisfy({ $0.properties.isASCIIHexDigit }),
              let v = UInt32(String(s.dropFirst()), radix: 16) else { return nil }
        return .rgb(RGB(hex: v))
    }

    /// Reads and parses a file; an unreadable, oversized or binary file gives one warning and
    /// the built-in default under the file's name.
    public static func load(path: String) -> (Theme, [ThemeWarning]) {
        let name = themeName(path)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return (Theme(name: name, path: path, colors: [:]), [ThemeWarning(path: path, line: 0, message: "cannot read the file; using the built-in colours")])
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumBytes + 1)) ?? Data()
        if data.count > maximumBytes {
            return (Theme(name: name, path: path, colors: [:]), [ThemeWarning(path: path, line: 0, message: "larger than \(maximumBytes) bytes, not a theme; using the built-in colours")])
        }
        if data.contains(0) {
            return (Theme(name: name, path: path, colors: [:]), [ThemeWarning(path: path, line: 0, message: "binary data, not a theme; using the built-in colours")])
        }
        return parse(String(decoding: data, as: UTF8.self), name: name, path: path)
    }

    public static func themeName(_ path: String) -> String {
        let file = (path as NSString).lastPathComponent
        return file.hasSuffix(".theme") ? String(file.dropLast(6)) : file
    }

    /// Text from a file shown in a message: control characters and long runs cut.
    static func printable(_ s: String) -> String {
        let clean = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
        return clean.count > 40 ? String(clean.prefix(40)) + "..." : clean
    }
}
