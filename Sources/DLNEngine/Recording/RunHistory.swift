/// Something recorded at a step of a run.
public protocol StepStamped: Sendable {
    var step: Int { get }
}

extension Observation: StepStamped {}

/// The observation history of a whole run (the interface's charts and snapshots).
public typealias RunHistory = ThinnedHistory<Observation>

/// The whole run in bounded memory: samples at a uniform stride of steps which doubles each
/// time the buffer fills (every other sample is dropped), so the first step is always kept and an
/// hour-long run costs no more than a minute-long one. The one thinning of the project: the
/// observations (`RunHistory`) and the interface's per-layer trace use it alike.
public struct ThinnedHistory<Sample: StepStamped>: Sendable {
    public let capacity: Int
    /// Only steps that are multiples of `stride` are kept; a power of two.
    public private(set) var stride = 1
    public private(set) var samples: [Sample] = []

    /// `capacity` is rounded up to an even number >= 2.
    public init(capacity: Int) {
        self.capacity = max(2, capacity + capacity % 2)
        samples.reserveCapacity(self.capacity)
    }

    public func wants(step: Int) -> Bool {
        guard step % stride == 0 else { return false }
        return samples.last.map { step > $0.step } ?? true
    }

    /// Appends `o` if its step is wanted; returns whether it was kept.
    @discardableResult
    public mutating func record(_ o: Sample) -> Bool {
        guard wants(step: o.step) else { return false }
        samples.append(o)
        if samples.count >= capacity { decimate() }
        return true
    }

    /// Forgets the samples after `step` (a rollback rewound the run to it); the stride stays, so
    /// the grid of kept steps is unchanged and the run records on from `step`.
    public mutating func truncate(after step: Int) {
        samples.removeAll { $0.step > step }
    }

    /// Keeps the samples whose step is a multiple of twice the stride. Samples whose steps are
    /// multiples of the stride, starting at step 0, leave about half.
    private mutating func decimate() {
        stride *= 2
        let s = stride
        samples.removeAll { $0.step % s != 0 }
        // A run that started off the stride's grid (a restart keeps its step count) can leave
        // everything on odd multiples; dropping every other sample bounds memory regardless.
        if samples.count >= capacity {
            samples = samples.enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil }
        }
    }

}

extension ThinnedHistory where Sample == Observation {
    /// The capacity that keeps a history's numbers (about 10 + d per sample) near `budget` doubles.
    public static func capacity(size d: Int, budget: Int = 1 << 20) -> Int {
        min(4096, max(256, budget / (10 + d)))
    }
}

/// The recent past at a resolution of its own: a ring of the last `capacity` observations taken
/// every `stride` steps, the stride chosen by the recorder's owner (for the interface: about ten
/// seconds of wall time at the current speed).
public struct RecentHistory: Sendable {
    public let capacity: Int
    public var stride: Int {
        didSet { stride = max(1, stride) }
    }
    private var ring: [Observation] = []
    private var head = 0

    public init(capacity: Int, stride: Int = 1) {
        self.capacity = max(1, capacity)
        self.stride = max(1, stride)
    }

    public func wants(step: Int) -> Bool {
        guard step % stride == 0 else { return false }
        return last.map { step > $0.step } ?? true
    }

    public var last: Observation? {
        ring.isEmpty ? nil : ring[(head + ring.count - 1) % ring.count]
    }

    public var count: Int { ring.count }

    @discardableResult
    public mutating func record(_ o: Observation) -> Bool {
        guard wants(step: o.step) else { return false }
        if ring.count < capacity {
            ring.append(o)
        } else {
            ring[head] = o
            head = (head + 1) % capacity
        }
        return true
    }

    /// Forgets the samples after `step`, keeping the rest oldest first.
    public mutating func truncate(after step: Int) {
        let kept = samples.filter { $0.step <= step }
        ring = kept
        head = 0
    }

    /// Oldest first.
    public var samples: [Observation] {
        Array(ring[head...]) + Array(ring[..<head])
    }
}

/// What a run records of itself, shared by the interface and its snapshots: the whole run,
/// downsampled, and the recent window at finer resolution.
public struct RunRecorder: Sendable {
    public private(set) var whole: RunHistory
    public var recent: RecentHistory

    public init(size d: Int, recentCapacity: Int = 512) {
        whole = RunHistory(capacity: RunHistory.capacity(size: d))
        recent = RecentHistory(capacity: recentCapacity)
    }

    /// Whether an observation at `step` would be kept by either history: the caller observes
    /// (an SVD) only then.
    public func wants(step: Int) -> Bool { whole.wants(step: step) || recent.wants(step: step) }

    public mutating func record(_ o: Observation) {
        whole.record(o)
        recent.record(o)
    }

    /// Rewinds both histories to `step` (see `Simulation.restore`).
    public mutating func truncate(after step: Int) {
        whole.truncate(after: step)
        recent.truncate(after: step)
    }

    /// The smallest power of two >= x, at least 1: recent strides stay on the whole history's grid.
    public static func powerOfTwo(atLeast x: Double) -> Int {
        guard x.isFinite, x > 1 else { return 1 }
        var s = 1
        while Double(s) < x && s < (1 << 40) { s *= 2 }
        return s
    }
}
