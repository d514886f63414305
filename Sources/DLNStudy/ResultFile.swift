import DLNEngine
import DLNOutput
import Foundation

/// Finished members on disk: each writer (a worker thread, a task) appends to a file of its own
/// under DIR/results/, one record per member, each in a single write(2), so a process killed at any
/// moment leaves whole records and at most a torn last one, which readers drop.
///
/// Record: "DLNR", payload length (UInt32), payload, FNV-1a-32 of the payload (UInt32), little
/// endian. Payload: member number g (UInt64), text length (UInt32), text, trace count (UInt32),
/// trace (Float64 each). Text, one field a line: status, steps, time, last row, W's entries, the
/// t_rank times (empty for never), wall seconds.
enum ResultFile {
    static let magic: [UInt8] = Array("DLNR".utf8)

    static func encode(_ r: MemberResult) -> [UInt8] {
        let text = [
            r.status.rawValue, "\(r.steps)", NumberFormat.g17(r.time), r.lastRow,
            r.w.map(NumberFormat.g17).joined(separator: ","),
            r.rankTimes.map { $0.map(NumberFormat.g17) ?? "" }.joined(separator: ","),
            NumberFormat.g17(r.wallSeconds),
        ].joined(separator: "\n")
        var payload: [UInt8] = []
        payload.reserveCapacity(24 + text.utf8.count + 8 * r.trace.count)
        append(UInt64(r.index), to: &payload)
        append(UInt32(text.utf8.count), to: &payload)
        payload += Array(text.utf8)
        append(UInt32(r.trace.count), to: &payload)
        for x in r.trace { append(x.bitPattern, to: &payload) }
        var record = magic
        append(UInt32(payload.count), to: &record)
        record += payload
        append(fnv32(payload), to: &record)
        return record
    }

    /// Every whole record of a file's bytes; a torn or corrupt tail ends the reading.
    static func decode(_ bytes: [UInt8]) -> [MemberResult] {
        var out: [MemberResult] = []
        var at = 0
        while at + 12 <= bytes.count, Array(bytes[at..<at + 4]) == magic {
            let length = Int(read(UInt32.self, bytes, at + 4))
            let end = at + 8 + length
            guard end + 4 <= bytes.count else { break }
            let payload = Array(bytes[(at + 8)..<end])
            guard read(UInt32.self, bytes, end) == fnv32(payload), let r = parse(payload) else { break }
            out.append(r)
            at = end + 4
        }
        return out
    }

    private static func parse(_ p: [UInt8]) -> MemberResult? {
        guard p.count >= 16 else { return nil }
        let g = Int(read(UInt64.self, p, 0))
        let textLength = Int(read(UInt32.self, p, 8))
        guard 12 + textLength + 4 <= p.count else { return nil }
        let text = String(decoding: p[12..<(12 + textLength)], as: UTF8.self)
        let count = Int(read(UInt32.self, p, 12 + textLength))
        let traceStart = 16 + textLength
        guard traceStart + 8 * count == p.count else { return nil }
        let trace = (0..<count).map { Double(bitPattern: read(UInt64.self, p, traceStart + 8 * $0)) }
        let fields = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard fields.count == 7, let status = MemberStatus(rawValue: String(fields[0])),
              let steps = Int(fields[1]), let time = Double(fields[2]), let wall = Double(fields[6]) else { return nil }
        let w = fields[4].isEmpty ? [] : fields[4].split(separator: ",").compactMap { Double($0) }
        let ranks = fields[5].isEmpty ? [] : fields[5].split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
        return MemberResult(index: g, status: status, steps: steps, time: time, lastRow: String(fields[3]),
                            w: w, rankTimes: ranks, wallSeconds: wall, trace: trace)
    }

    private static func append<T: FixedWidthInteger>(_ x: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: x.littleEndian) { bytes += $0 }
    }

    private static func read<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], _ at: Int) -> T {
        var x: T = 0
        for k in 0..<MemoryLayout<T>.size { x |= T(bytes[at + k]) << (8 * k) }
        return x
    }

    static func fnv32(_ bytes: [UInt8]) -> UInt32 {
        var h: UInt32 = 0x811c_9dc5
        for b in bytes { h ^= UInt32(b); h = h &* 0x0100_0193 }
        return h
    }

    /// Every member recorded under `folder` (all its .bin files), the first record of each member
    /// kept (a requeued task may have recorded one twice; both are the same but for wall_s).
    static func readAll(folder: String, prefix: String = "") -> [Int: MemberResult] {
        var found: [Int: MemberResult] = [:]
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".bin") && $0.hasPrefix(prefix) }.sorted()
        for name in names {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
            for r in decode(Array(data)) where found[r.index] == nil { found[r.index] = r }
        }
        return found
    }
}

/// An append-only result file of one writer.
final class ResultWriter {
    let path: String
    private var fd: Int32 = -1

    init(path: String) { self.path = path }

    func append(_ r: MemberResult) throws(StudyError) {
        if fd < 0 {
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            guard fd >= 0 else { throw StudyError.output(path: path, reason: String(cString: strerror(errno))) }
        }
        let bytes = ResultFile.encode(r)
        let written = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw StudyError.output(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Flushes to disk (a lost node keeps what was synced) and closes.
    func close() {
        if fd >= 0 { fsync(fd); Glibc.close(fd); fd = -1 }
    }

    deinit { close() }
}
