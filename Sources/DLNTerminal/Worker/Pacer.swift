import Foundation

/// The worker's pacing, apart from what is stepped: the speed asked for, when the next step is
/// due, and the rate measured over the last half second.
struct Pacer {
    /// Steps per second asked for; nil is unlimited.
    var speed: Double?
    private(set) var anchorTime = 0.0
    private(set) var anchorStep = 0
    private(set) var rateStart = 0.0
    private(set) var rateSteps = 0
    private(set) var measuredRate = 0.0

    init(speed: Double?) { self.speed = speed }

    /// Counts time from `now` at step `step` (after a pause, a speed change, a rollback).
    mutating func anchor(at now: Double, step: Int) {
        anchorTime = now
        anchorStep = step
    }

    /// Restarts the rate measurement (a new run).
    mutating func resetRate(at now: Double) {
        measuredRate = 0
        rateStart = now
        rateSteps = 0
    }

    mutating func stepped() { rateSteps += 1 }

    /// The step count the speed asks for by `now`, Int.max when unlimited. Behind by more than a
    /// quarter second, the speed is more than the machine can do: the backlog is forgotten rather
    /// than sprinted through.
    mutating func due(now: Double, step: Int) -> Int {
        guard let s = speed else { return Int.max }
        let due = anchorStep + Int(((now - anchorTime) * s).rounded(.down))
        if Double(due - step) > max(1, s * 0.25) {
            anchor(at: now, step: step)
            return step + 1
        }
        return due
    }

    /// When the step after `step` is due (now when unlimited).
    func nextStepTime(after step: Int, now: Double) -> Double {
        guard let s = speed else { return now }
        return anchorTime + Double(step + 1 - anchorStep) / s
    }

    var nextMeasurement: Double { rateStart + 0.5 }

    /// Updates the measured rate every half second; returns whether it changed.
    mutating func measure(now: Double, paused: Bool) -> Bool {
        let elapsed = now - rateStart
        if paused {
            let changed = measuredRate != 0
            measuredRate = 0
            rateStart = now
            rateSteps = 0
            return changed
        }
        guard elapsed >= 0.5 else { return false }
        measuredRate = Double(rateSteps) / elapsed
        rateStart = now
        rateSteps = 0
        return true
    }
}
