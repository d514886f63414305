import Foundation

/// The worker's pacing, apart from what is stepped: the speed asked for, when the next step is
/// due, and the rates measured over the last half second. The speed counts steps per second for a
/// fixed step, and simulated time per second when `inTime` (an adaptive method chooses its steps,
/// so a step count per second would run the flow fast on its plateaus and slowly at its jumps).
/// The position paced is the step count, or the simulated time when `inTime`.
struct Pacer {
    /// Steps, or units of simulated time, per second asked for; nil is unlimited.
    var speed: Double?
    /// Whether `speed` counts simulated time (see `Parameters.pacesTime`).
    var inTime = false
    private(set) var anchorTime = 0.0
    private(set) var anchorPosition = 0.0
    private(set) var rateStart = 0.0
    private(set) var rateSteps = 0
    private(set) var rateTime = 0.0
    private(set) var measuredRate = 0.0
    /// Simulated time per second over the last half second.
    private(set) var measuredTimeRate = 0.0

    init(speed: Double?, inTime: Bool = false) {
        self.speed = speed
        self.inTime = inTime
    }

    /// Counts time from `now` at this position (after a pause, a speed change, a rollback).
    mutating func anchor(at now: Double, position: Double) {
        anchorTime = now
        anchorPosition = position
    }

    /// Restarts the rate measurement (a new run).
    mutating func resetRate(at now: Double) {
        measuredRate = 0
        measuredTimeRate = 0
        rateStart = now
        rateSteps = 0
        rateTime = 0
    }

    /// One step of size h was taken.
    mutating func stepped(by h: Double = 0) {
        rateSteps += 1
        rateTime += h
    }

    /// The position the speed asks for by `now`, +inf when unlimited. Behind by more than a
    /// quarter second, the speed is more than the machine can do: the backlog is forgotten rather
    /// than sprinted through (one more step is allowed).
    mutating func due(now: Double, position: Double) -> Double {
        guard let s = speed else { return .infinity }
        var due = anchorPosition + (now - anchorTime) * s
        if !inTime { due = due.rounded(.down) }
        let ahead = inTime ? due - position : due - (position + 1)
        if ahead > (inTime ? s * 0.25 : max(1, s * 0.25)) {
            anchor(at: now, position: position)
            return inTime ? position.nextUp : position + 1
        }
        return due
    }

    /// Whether a step from `position` may be taken when `due` is due: a whole step in steps; in
    /// time, while the simulated time is behind (a step may pass `due` by its size).
    func allows(position: Double, due: Double) -> Bool {
        inTime ? position < due : position + 1 <= due
    }

    /// When the step after `position` is due (now when unlimited).
    func nextStepTime(after position: Double, now: Double) -> Double {
        guard let s = speed else { return now }
        return anchorTime + (position + (inTime ? 0 : 1) - anchorPosition) / s
    }

    var nextMeasurement: Double { rateStart + 0.5 }

    /// Updates the measured rates every half second; returns whether they changed.
    mutating func measure(now: Double, paused: Bool) -> Bool {
        let elapsed = now - rateStart
        if paused {
            let changed = measuredRate != 0
            resetRate(at: now)
            return changed
        }
        guard elapsed >= 0.5 else { return false }
        measuredRate = Double(rateSteps) / elapsed
        measuredTimeRate = rateTime / elapsed
        rateStart = now
        rateSteps = 0
        rateTime = 0
        return true
    }
}
