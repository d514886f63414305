/// When a run records a row and when it ends (after Diffrax's `SaveAt`): the first step, then every
/// M accepted steps (`--every`) or every multiple of a time H (`--every-time`, steps shortened to
/// land on it), and the last step; the run ends after `--steps` accepted steps or at
/// `--until-time`, steps shortened to land on it too. The one schedule of the headless writer and
/// the study members; the interface's history keeps its own grid of steps (`ThinnedHistory`),
/// because it thins what it recorded as a run grows, which a row written to a file cannot be.
public struct SaveAt: Sendable, Equatable {
    public let every: Int
    public let everyTime: Double?
    public let steps: Int
    public let untilTime: Double?
    /// The index k of the next row time k H (unused without `everyTime`).
    public private(set) var nextRow = 0

    /// The schedule of `p`, for a run whose clock reads `time` now (0 at the start; a rerun from a
    /// restored state starts at its time).
    public init(_ p: Parameters, time: Double = 0) {
        every = max(1, p.every)
        everyTime = p.everyTime
        steps = p.steps
        untilTime = p.untilTime
        resume(at: time)
    }

    /// The clock moved (a start, a rollback): the next row time is the first multiple of H after it.
    public mutating func resume(at time: Double) {
        guard let h = everyTime else { return }
        var k = Int((time / h).rounded(.down)) + 1
        while Double(k) * h <= time { k += 1 }
        while k > 1 && Double(k - 1) * h > time { k -= 1 }
        nextRow = k
    }

    /// Whether the run has reached its end.
    public func isFinished(step: Int, time: Double) -> Bool {
        untilTime.map { time >= $0 } ?? (step >= steps)
    }

    /// The time the next step must land on exactly (a row time or the end time), nil if none.
    public var landing: Double? {
        var t = everyTime.map { Double(nextRow) * $0 }
        if let end = untilTime { t = min(t ?? end, end) }
        return t
    }

    /// After a step to (`step`, `time`), which `landed` on the landing time or not: whether a row
    /// is due by the schedule (the end is due as well: ask `isFinished`). Moves on to the next row time.
    public mutating func rowDue(step: Int, time: Double, landed: Bool) -> Bool {
        guard let h = everyTime else { return step % every == 0 }
        guard landed && time == Double(nextRow) * h else { return false }
        nextRow += 1
        return true
    }

    /// From `step`, how many steps of a step-counted schedule can be taken with no row due and the
    /// end not reached by any of them (the step after them is the next row or the end); nil for a
    /// schedule in time, whose steps land on times.
    public func freeSteps(after step: Int) -> Int? {
        guard everyTime == nil && untilTime == nil else { return nil }
        let nextRow = (step / every + 1) * every
        return max(0, min(nextRow, steps) - step - 1)
    }

    /// The steps a step-counted schedule saves: 0, M, 2M, ... and the last step. Nil for a schedule
    /// in time or a horizon in time, whose steps are not known before the run.
    public var savedSteps: [Int]? {
        guard everyTime == nil && untilTime == nil else { return nil }
        var saved = Array(Swift.stride(from: 0, through: steps, by: every))
        if saved.last != steps { saved.append(steps) }
        return saved
    }
}
