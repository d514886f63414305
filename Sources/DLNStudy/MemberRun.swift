import DLNEngine
import DLNOutput
import Foundation

/// What a finished member leaves: one summary row's values and its values at the saved times.
public struct MemberResult: Sendable {
    /// Global member number: point * M + member.
    public var index: Int
    public var status: MemberStatus
    public var steps: Int
    public var time: Double
    /// The row of `dlntui run` at the member's last step (without the newline); empty if its
    /// observables could not be formed.
    public var lastRow: String
    /// The final end-to-end W, row by row (d <= 8 only; empty otherwise).
    public var w: [Double]
    /// The first saved time at which the numerical rank reached r = 1 ... d; nil if never.
    public var rankTimes: [Double?]
    public var wallSeconds: Double
    /// Saved time k, quantity q at k * Q + q (`RowContract.quantities`); NaN where the member has no
    /// value (after a failure). A member stopped early keeps its last values.
    public var trace: [Double]
}

/// Runs one member on the calling thread: the schedule of `dlntui run` (a row at step 0, every
/// `every` steps, the last step, the step where `--until-energy` is met), so its rows and final W
/// are those of `dlntui run --seed S --member i` bit for bit.
enum MemberRun {
    static let maxMatrixSize = 8

    /// nil when `stop()` became true before the member finished (its work is dropped).
    static func run(_ study: Study, member g: Int, rows: ((String) -> Void)? = nil,
                    stop: () -> Bool) -> MemberResult? {
        let start = Monotonic.now()
        let p = study.memberParameters(g)
        let contract = RowContract.of(size: p.size)
        let saved = Study.savedTimes(p) ?? []
        let q = contract.quantities.count
        var result = MemberResult(index: g, status: .ok, steps: 0, time: 0, lastRow: "", w: [],
                                  rankTimes: [], wallSeconds: 0,
                                  trace: [Double](repeating: .nan, count: saved.count * q))
        let sim: Simulation
        do { sim = try Simulation(parameters: p) } catch {
            // Points are set up once before any member; what fails here is the member's own start.
            result.status = .svdFailed
            result.rankTimes = [Double?](repeating: nil, count: p.size)
            result.wallSeconds = Monotonic.now() - start
            return result
        }
        let d = sim.problem.size
        var rankTimes = [Double?](repeating: nil, count: d)
        var slot = 0
        var filled = -1  // the last trace slot written
        var lastRowStep = -1

        /// Observes now: the row (for the member's rows and its summary) and, at a saved step, the trace.
        func observe(saving: Bool) -> Bool {
            guard let o = try? sim.observe() else { return false }
            let line = RowContract.line(o)
            rows?(line + "\n")
            result.lastRow = line
            lastRowStep = sim.stepCount
            let fields = RowContract.observables(ofLine: line[...])
            if let r = contract.numericalRank, let rank = Int(fields[r]) {
                for k in 0..<min(rank, d) where rankTimes[k] == nil { rankTimes[k] = sim.time }
            }
            if saving {
                for (j, index) in contract.quantities.enumerated() {
                    result.trace[slot * q + j] = RowContract.number(fields[index]) ?? .nan
                }
                filled = slot
            }
            return true
        }

        var failed: MemberStatus? = nil
        if !observe(saving: true) { failed = .svdFailed }
        slot = 1
        let criterion = p.untilEnergy != nil || study.untilConverged != nil
        var met = false
        var previous = study.untilConverged == nil ? Matrix.zeros(1) : sim.endToEnd
        var previousTime = sim.time
        var schedule = SaveAt(p)
        while failed == nil && !schedule.isFinished(step: sim.stepCount, time: sim.time) {
            if sim.stepCount & 63 == 0 && stop() { return nil }
            let landed: Bool
            do {
                landed = try sim.advance(landingAt: schedule.landing)
            } catch {
                switch error {
                case .nonFinite: failed = .nonFinite
                case .diverged: failed = .diverged
                case .linearAlgebra: failed = .svdFailed
                case .stepSizeCollapsed: failed = .stepSizeCollapsed
                }
                break
            }
            let reachedEnergy = p.untilEnergy.map { sim.energy.value(sim.endToEnd) < $0 } ?? false
            let scheduled = schedule.rowDue(step: sim.stepCount, time: sim.time, landed: landed)
                || schedule.isFinished(step: sim.stepCount, time: sim.time)
            if scheduled || reachedEnergy {
                if !observe(saving: scheduled) { failed = .svdFailed; break }
                if scheduled { slot += 1 }
                if reachedEnergy { met = true; break }
                if scheduled, let tol = study.untilConverged {
                    // The relative change of W per unit time over the last window.
                    let w = sim.endToEnd
                    var change = w
                    change.add(previous, scaledBy: -1)
                    let rate = change.frobeniusNorm / (max(w.frobeniusNorm, .leastNormalMagnitude) * (sim.time - previousTime))
                    previous = w
                    previousTime = sim.time
                    if rate < tol { met = true; break }
                }
            }
        }
        // A refused step leaves the state as it was: its last row is the last good step's, as in `run`.
        if failed != nil && lastRowStep != sim.stepCount { _ = observe(saving: false) }
        result.status = failed ?? (criterion && !met ? .notConverged : .ok)
        // Members stopped early hold their last values over the saved times left; failed ones have none.
        if failed == nil && filled >= 0 {
            for k in (filled + 1)..<max(filled + 1, saved.count) {
                for j in 0..<q { result.trace[k * q + j] = result.trace[filled * q + j] }
            }
        }
        result.steps = sim.stepCount
        result.time = sim.time
        if d <= maxMatrixSize {
            let w = sim.endToEnd
            result.w = (0..<d).flatMap { i in (0..<d).map { j in w[i, j] } }
        }
        result.rankTimes = rankTimes
        result.wallSeconds = Monotonic.now() - start
        return result
    }
}
