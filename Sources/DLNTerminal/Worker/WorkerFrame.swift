import DLNEngine
import DLNOutput

/// A note for the message line; `serial` tells a new message from the one already shown.
public struct Notice: Equatable, Sendable {
    public var serial: Int
    public var text: String
    public var warning: Bool

    public init(serial: Int, text: String, warning: Bool = false) {
        self.serial = serial
        self.text = text
        self.warning = warning
    }
}

/// Everything the renderer needs from the worker, copied out under a lock: the latest snapshot,
/// the recorded history and the run's state.
public struct WorkerFrame: Sendable {
    /// Increments with every publication: the renderer redraws only when it changes.
    public var generation: Int
    public var snapshot: Snapshot
    public var whole: [Observation]
    /// Steps between the whole-run samples (doubles as the run grows).
    public var wholeStride: Int
    public var recent: [Observation]
    public var paused: Bool
    /// The run is paused because a step went non-finite.
    public var rejected: Bool
    /// Steps per second asked for (simulated time per second when `speedInTime`); nil is unlimited.
    public var speed: Double?
    /// Whether the speed counts simulated time per second (an adaptive method steps the run).
    public var speedInTime = false
    /// Simulated time per second over the last half second.
    public var timePerSecond = 0.0
    public var problem: Problem
    public var edits: [LiveEdit]
    public var notice: Notice?
    /// Per-layer balance and gauge, and W's off-diagonal point, over the whole run.
    public var trace: [TraceSample]
    /// The other runs of a comparison (`--compare`, the keys c and v), in order; empty for one run.
    public var others: [CompanionFrame] = []
    /// The second run, if any (versus mode's langevin).
    public var companion: CompanionFrame? {
        get { others.first }
        set { others = newValue.map { [$0] } ?? [] }
    }
    /// Every run's parameters, the first's first (what the labels are made from).
    public var runParameters: [Parameters] { [snapshot.parameters] + others.map(\.snapshot.parameters) }
    /// Every run named by what differs ('N=2'); empty for one run.
    public var runLabels: [String] { others.isEmpty ? [] : Comparison.labels(runParameters) }
    /// The parameters the run started from (nil: take the current ones) and the data files it read.
    public var start: Parameters?
    public var inputs: [InputFile]
    /// Read back from rows (`dlntui replay`): W and the per-layer trace were not recorded.
    public var recorded = false

    public init(generation: Int, snapshot: Snapshot, whole: [Observation], wholeStride: Int, recent: [Observation],
                paused: Bool, rejected: Bool, speed: Double?, problem: Problem, edits: [LiveEdit], notice: Notice?,
                trace: [TraceSample] = [], companion: CompanionFrame? = nil, others: [CompanionFrame] = [], start: Parameters? = nil,
                inputs: [InputFile] = []) {
        self.start = start
        self.inputs = inputs
        self.trace = trace
        self.others = others.isEmpty ? (companion.map { [$0] } ?? []) : others
        self.generation = generation
        self.snapshot = snapshot
        self.whole = whole
        self.wholeStride = wholeStride
        self.recent = recent
        self.paused = paused
        self.rejected = rejected
        self.speed = speed
        self.problem = problem
        self.edits = edits
        self.notice = notice
    }

    /// The samples to chart: the whole run or the recent window, ending with the current state.
    public func series(recent useRecent: Bool) -> [Observation] {
        WorkerFrame.ending(useRecent ? recent : whole, with: snapshot.observation)
    }

    /// The trace ending with the current state.
    public var traceNow: [TraceSample] {
        var samples = trace
        let now = TraceSample(snapshot)
        if samples.last.map({ $0.step < now.step }) ?? true { samples.append(now) }
        return samples
    }

    static func ending(_ samples: [Observation], with now: Observation) -> [Observation] {
        var samples = samples
        if samples.last.map({ $0.step < now.step }) ?? true { samples.append(now) }
        return samples
    }
}

/// Another run shown with the first, stepped in lockstep with it.
public struct CompanionFrame: Sendable {
    public var snapshot: Snapshot
    public var whole: [Observation]
    public var recent: [Observation]
    /// The parameters it started from (nil: take the current ones).
    public var start: Parameters?

    public init(snapshot: Snapshot, whole: [Observation], recent: [Observation], start: Parameters? = nil) {
        self.snapshot = snapshot
        self.whole = whole
        self.recent = recent
        self.start = start
    }

    public func series(recent useRecent: Bool) -> [Observation] {
        WorkerFrame.ending(useRecent ? recent : whole, with: snapshot.observation)
    }
}
