import DLNEngine
import Foundation

/// An output that could not be written (exit status 1 headless; a message and a running
/// interface otherwise).
public struct OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

private func errnoText() -> String { String(cString: strerror(errno)) }

/// Whole files that must never be seen half-written: written under a temporary name in the same
/// folder, then renamed (atomic on POSIX file systems).
public enum AtomicFile {
    public static func write(_ contents: String, to path: String) throws(OutputError) {
        let temporary = path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "w") else { throw OutputError(path: path, reason: errnoText()) }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        let closed = fclose(file) == 0
        guard written == bytes.count, flushed, closed else {
            let reason = errnoText()
            unlink(temporary)
            throw OutputError(path: path, reason: reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw OutputError(path: path, reason: reason)
        }
    }

    /// Creates a folder (and its parents) if missing.
    public static func makeDirectory(_ path: String) throws(OutputError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: path, reason: "cannot create folder")
        }
    }
}

/// Rows streamed to a file or standard output, buffered, and flushed at least once a second so
/// a crash loses at most the last second.
public final class RowStream {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    public let path: String
    private var lastFlush = Monotonic.now()

    public init(path: String?) throws(OutputError) {
        if let path {
            guard let f = fopen(path, "w") else { throw OutputError(path: path, reason: errnoText()) }
            file = f
            ownsFile = true
            self.path = path
        } else {
            guard let f = fdopen(STDOUT_FILENO, "w") else { throw OutputError(path: "standard output", reason: errnoText()) }
            file = f
            ownsFile = false
            self.path = "standard output"
        }
    }

    public func write(_ text: String) throws(OutputError) {
        var t = text
        let ok = t.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) == $0.count }
        guard ok else { throw OutputError(path: path, reason: errnoText()) }
    }

    /// Flushes if a second has passed since the last flush.
    public func flushIfDue() throws(OutputError) {
        let now = Monotonic.now()
        if now - lastFlush >= 1.0 { try flush() }
    }

    public func flush() throws(OutputError) {
        lastFlush = Monotonic.now()
        guard fflush(file) == 0 else { throw OutputError(path: path, reason: errnoText()) }
    }

    public func close() throws(OutputError) {
        try flush()
        if ownsFile { fclose(file) }
    }
}
