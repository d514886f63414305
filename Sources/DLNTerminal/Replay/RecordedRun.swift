import DLNEngine
import DLNFigures
import DLNOutput
import Foundation

/// A recorded run as a frame source: the rows of a row file (CSV or JSONL, read by `dlntui plot`'s
/// reader) and its sidecar, played by a `ReplayPlayer`. Read-only: nothing is integrated, W and
/// the per-layer trace are not in the rows, so the frames say they were not recorded.
public final class RecordedRun: FrameSource {
    public let path: String
    public private(set) var rows: [Observation] = []
    public private(set) var player = ReplayPlayer(count: 0)
    /// The run's start (from the sidecar; defaults with the rows' d without one) and its problem.
    public let parameters: Parameters
    let problem: Problem
    /// The sidecar's edits and rollbacks, by step.
    public let edits: [LiveEdit]
    /// Warnings about the sidecar (unreadable, or its problem's files gone).
    public private(set) var warnings: [String] = []
    private var size: Int
    private var fileBytes = -1
    private var generation = 0
    private var lastShown = -1

    /// Reads the complete rows (a last line without its newline waits for `reload`); throws the
    /// reader's error (file, line, column) for a file that is not dlntui rows, or one with no row.
    public init(path: String) throws(DataFileError) {
        self.path = path
        guard let table = try RowTable.readComplete(path: path) else {
            throw DataFileError(path: path, line: 2, message: "no complete row after the header")
        }
        size = table.size
        var warnings: [String] = []
        var start = Parameters()
        var edits: [LiveEdit] = []
        let sidecars = [path + ".json", (path as NSString).deletingPathExtension + ".json"]
        if let sidecar = sidecars.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            do {
                let session = try RecordedSession(path: sidecar)
                start = session.start
                edits = session.edits
            } catch {
                warnings.append("\(error); replayed with default parameters")
            }
        }
        start.size = table.size
        var problem: Problem
        do { problem = try Problem.make(start) } catch {
            warnings.append("\(error.description): the targets are not shown")
            var plain = Parameters()
            plain.size = table.size
            problem = (try? Problem.make(plain)) ?? (try! Problem.make(Parameters()))
        }
        self.parameters = start
        self.problem = problem
        self.edits = edits
        self.warnings = warnings
        rows = Self.observations(table)
        player = ReplayPlayer(count: rows.count)
        fileBytes = Self.bytes(path)
    }

    /// `--follow`: reads the rows again when the file grew; returns how many rows came.
    @discardableResult
    public func reload() throws(DataFileError) -> Int {
        let now = Self.bytes(path)
        guard now != fileBytes else { return 0 }
        fileBytes = now
        guard let table = try RowTable.readComplete(path: path), table.size == size else { return 0 }
        let fresh = Self.observations(table)
        let added = max(0, fresh.count - rows.count)
        if fresh.count > rows.count {
            rows = fresh
            player.grow(to: rows.count)
        }
        return added
    }

    /// The player's keys and time act on it here (the session owns no replay state of its own).
    public func update(_ change: (inout ReplayPlayer) -> Void) { change(&player) }

    /// The current row.
    public var current: Observation? { rows.isEmpty ? nil : rows[min(player.position, rows.count - 1)] }

    /// The edits between two steps (after `from`, up to and with `to`): the ones the replay just passed.
    public func edits(after from: Int, through to: Int) -> [LiveEdit] {
        edits.filter { $0.step > from && $0.step <= to }
    }

    /// Samples for a chart kept to about this many (thinned evenly, the current row always last).
    static let chartSamples = 2048

    func latestFrame() -> WorkerFrame? {
        guard let now = current else { return nil }
        if player.position != lastShown { generation += 1; lastShown = player.position }
        let upTo = min(player.position, rows.count - 1)
        let stride = max(1, (upTo + 1 + Self.chartSamples - 1) / Self.chartSamples)
        let whole = Swift.stride(from: 0, through: upTo, by: stride).map { rows[$0] }
        let recent = Array(rows[max(0, upTo - 255)...upTo])
        var p = parameters
        for entry in edits where entry.step <= now.step { if let e = entry.edit { p = e.written(into: p) } }
        // The scheme that stepped the rows: Euler-Maruyama for a flow with noise, whatever was asked.
        let snapshot = Snapshot(observation: now, endToEnd: Matrix(rows: size, cols: size), parameters: p,
                                balanceDefects: [], stepsPerSecond: player.paused ? 0 : player.rowsPerSecond,
                                stepping: p.stepping)
        var frame = WorkerFrame(generation: generation, snapshot: snapshot, whole: whole, wholeStride: stride, recent: recent,
                                paused: player.paused, rejected: false, speed: player.rowsPerSecond, problem: problem,
                                edits: edits.filter { $0.step <= now.step }, notice: nil, start: parameters)
        frame.recorded = true
        return frame
    }

    static func observations(_ t: RowTable) -> [Observation] {
        let n = t.count
        func col(_ name: String) -> [Double] { t.column(name) ?? [Double](repeating: .nan, count: n) }
        let step = col("step"), time = col("time"), energy = col("energy"), entropy = col("entropy")
        let free = col("free_energy"), eff = col("effective_rank"), num = col("numerical_rank"), stable = col("stable_rank")
        let balance = col("balance_defect"), error = t.column("error"), unobserved = t.column("error_unobserved")
        let sigma = t.sigma
        return (0..<n).map { i in
            Observation.recorded(step: Int(step[i]), time: time[i], energy: energy[i], entropy: entropy[i], freeEnergy: free[i],
                                 effectiveRank: eff[i], numericalRank: num[i].isFinite ? Int(num[i]) : 0, stableRank: stable[i],
                                 balanceDefect: balance[i].isNaN ? nil : balance[i], sigma: sigma.map { $0[i] },
                                 error: error.flatMap { $0[i].isNaN ? nil : $0[i] },
                                 errorUnobserved: unobserved.flatMap { $0[i].isNaN ? nil : $0[i] })
        }
    }

    static func bytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
    }
}
