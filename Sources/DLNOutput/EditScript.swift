import DLNEngine

/// A recorded edit log that does not fit a rerun (exit status 2).
public struct ReplayError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A session's edit log played back on a fresh `Simulation` of the same start: at each step the
/// entries logged at that step are applied in their order, through the same `Simulation.apply`
/// (edits), `restore` (rollbacks) and `reenactRefusedStep` (refused steps, whose noise was drawn)
/// the live run used. Forced entries (a flow change's N or W) are not applied but checked: the
/// replay must log exactly what the session logged, else the log does not fit the run.
public struct EditScript {
    public let entries: [LiveEdit]
    private var next = 0
    /// The states at the steps a later rollback goes back to: the latest state seen at that step.
    private var saved: [Int: SimulationCheckpoint] = [:]
    private let targets: Set<Int>

    public static let parameters = ["beta", "kappa", "N", "dt", "flow", "time-scale", "integrator", "rtol", "atol", LiveEdit.rollback, LiveEdit.refused, "W"]

    /// Checks the log's shape: known parameters, values of the right kind, steps in order (never
    /// below the step count, which a rollback sets back to its target).
    public init(_ entries: [LiveEdit]) throws(ReplayError) {
        var step = 0
        for (i, e) in entries.enumerated() {
            let at = "edit \(i + 1) (step \(e.step), \(e.parameter))"
            guard Self.parameters.contains(e.parameter) else {
                throw ReplayError("\(at): unknown parameter '\(e.parameter)'; expected one of \(Self.parameters.joined(separator: ", "))")
            }
            guard e.step >= step else {
                throw ReplayError("\(at): steps out of order (the previous entry left the run at step \(step))")
            }
            step = e.step
            switch e.parameter {
            case LiveEdit.rollback:
                guard case .integer(let target) = e.value, target >= 0, target <= e.step else {
                    throw ReplayError("\(at): a rollback's value is the step it went back to, an integer in 0...\(e.step); got \(e.value)")
                }
                step = target
            case LiveEdit.refused, "W":
                break
            default:
                guard e.edit != nil else { throw ReplayError("\(at): '\(e.value)' is not a value for \(e.parameter)") }
            }
            if e.cause == nil && e.parameter == "W" { throw ReplayError("\(at): W changes only as forced by a flow change") }
        }
        self.entries = entries
        targets = Set(entries.compactMap { e -> Int? in
            guard e.parameter == LiveEdit.rollback, case .integer(let t) = e.value else { return nil }
            return t
        })
    }

    /// Whether entries remain.
    public var isDone: Bool { next >= entries.count }

    /// The lowest step a rollback still to come goes back to (Int.max if none): rows above it
    /// may yet be cut, rows at or below it are final.
    public var lowestPendingTarget: Int {
        var low = Int.max
        for e in entries[next...] where e.parameter == LiveEdit.rollback {
            if case .integer(let t) = e.value { low = min(low, t) }
        }
        return low
    }

    /// Plays every entry logged at the simulation's current step. Returns the target of each
    /// rollback played (the caller cuts its rows after it).
    public mutating func play(on sim: Simulation) throws(ReplayError) -> [Int] {
        var rolledBack: [Int] = []
        save(sim)
        while next < entries.count && entries[next].step == sim.stepCount {
            let e = entries[next]
            let logBefore = sim.edits.count
            if e.cause != nil {
                throw ReplayError("step \(e.step): the log has a forced \(e.parameter) change (\(e.value)) that the replay did not make")
            }
            switch e.parameter {
            case LiveEdit.rollback:
                guard case .integer(let target) = e.value, let c = saved[target], sim.restore(c) else {
                    throw ReplayError("step \(e.step): cannot roll back to step \(e.value): the flow or N changed since")
                }
                rolledBack.append(target)
            case LiveEdit.refused:
                sim.reenactRefusedStep()
            default:
                do { try sim.apply(e.edit!) } catch {
                    throw ReplayError("step \(e.step): the edit \(e.parameter) = \(e.value) was not applied: \(error)")
                }
            }
            // What the replay logged must be this entry and the forced ones after it.
            let logged = Array(sim.edits[logBefore...])
            let expected = Array(entries[next..<min(entries.count, next + max(1, logged.count))])
            guard logged == expected else {
                throw ReplayError("step \(e.step): the log does not fit the run: it says \(Self.describe(expected)), the replay did \(Self.describe(logged))")
            }
            next += logged.count
            save(sim)
        }
        return rolledBack
    }

    private mutating func save(_ sim: Simulation) {
        if targets.contains(sim.stepCount) { saved[sim.stepCount] = sim.checkpoint() }
    }

    static func describe(_ entries: [LiveEdit]) -> String {
        entries.isEmpty ? "nothing" : entries.map { "\($0.parameter) = \($0.value)" }.joined(separator: ", ")
    }
}
