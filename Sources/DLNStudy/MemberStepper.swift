import DLNEngine
import DLNOutput
import Foundation

/// One member stepped a piece at a time, on the schedule of `dlntui run` (a row at step 0, every
/// `every` steps, the last step, the step where `--until-energy` is met). `MemberRun` drives one to
/// its end on one thread; the live ensemble view drives many in rounds, so both see the same rows,
/// the same final W and the same summary values bit for bit.
public final class MemberStepper: @unchecked Sendable {
    public let index: Int
    public let parameters: Parameters
    let untilConverged: Double?
    let rows: ((String) -> Void)?
    let contract: RowContract
    /// The saved times (quantiles.csv's), and for a step-counted schedule its steps.
    let saved: [Double]
    let savedStepList: [Int]?
    private var schedule: SaveAt
    let q: Int
    public private(set) var simulation: Simulation?
    public private(set) var result: MemberResult
    public private(set) var finished = false
    /// The last observation (a saved step, or the step a stopping rule was met at).
    public private(set) var latest: Observation?
    /// The stopping rule (`--until-energy`, `--until-converged`) was met.
    public private(set) var met = false
    private var rankTimes: [Double?] = []
    private var slot = 0
    private var filled = -1
    private var lastRowStep = -1
    private var failed: MemberStatus? = nil
    private var criterion = false
    private var previous = Matrix.zeros(1)
    private var previousTime = 0.0
    private var started = false
    private var wall = 0.0
    /// The first `watched` members of each point watch their fixed step as `dlntui run` does
    /// (`result.warning`): about 4% of a watched member's time, so not every member pays it.
    private let watch: StepDoublingWatch?
    public static let watched = 10

    /// Member g of the study (global number); `rows` receives each row as `dlntui run` writes it.
    public init(_ study: Study, member g: Int, rows: ((String) -> Void)? = nil) {
        index = g
        parameters = study.memberParameters(g)
        untilConverged = study.untilConverged
        self.rows = rows
        contract = RowContract.of(size: parameters.size)
        saved = Study.savedTimes(parameters) ?? []
        schedule = SaveAt(parameters)
        savedStepList = schedule.savedSteps
        q = contract.quantities.count
        watch = g % study.members < Self.watched ? StepDoublingWatch() : nil
        result = MemberResult(index: g, status: .ok, steps: 0, time: 0, lastRow: "", w: [], rankTimes: [],
                              wallSeconds: 0, trace: [Double](repeating: .nan, count: saved.count * q))
    }

    /// The steps whose values the trace keeps (a step-counted schedule; nil for rows in time),
    /// and the quantities it keeps at each.
    public var savedSteps: [Int]? { savedStepList }
    public var savedTimes: [Double] { saved }
    public var quantityNames: [String] { contract.quantities.map { contract.names[$0] } }
    /// Trace slots written so far (held values of a finished member included).
    public var slotsFilled: Int { finished && failed == nil ? saved.count : filled + 1 }

    private func begin() {
        started = true
        let sim: Simulation
        do { sim = try Simulation(parameters: parameters) } catch {
            // Points are set up once before any member; what fails here is the member's own start.
            result.status = .svdFailed
            result.rankTimes = [Double?](repeating: nil, count: parameters.size)
            finished = true
            return
        }
        simulation = sim
        rankTimes = [Double?](repeating: nil, count: sim.problem.size)
        if !observe(saving: true) { failed = .svdFailed }
        slot = 1
        criterion = parameters.untilEnergy != nil || untilConverged != nil
        previous = untilConverged == nil ? Matrix.zeros(1) : sim.endToEnd
        previousTime = sim.time
    }

    /// Observes now: the row (for the member's rows and its summary) and, at a saved step, the trace.
    /// The values come from the observation itself; the row's text is written only for `rows` and
    /// for the last row (formatting and reading back every saved row was 70% of a 2 x 2 dopri5 member).
    private func observe(saving: Bool) -> Bool {
        guard let sim = simulation, let o = try? sim.observe() else { return false }
        latest = o
        if let rows { rows(RowContract.line(o) + "\n") }
        lastRowStep = sim.stepCount
        let values = Rows.observables(o)
        let d = rankTimes.count
        if let r = contract.numericalRank, let rank = values[r].map({ Int($0) }) {
            for k in 0..<min(rank, d) where rankTimes[k] == nil { rankTimes[k] = sim.time }
        }
        if saving {
            for (j, index) in contract.quantities.enumerated() {
                result.trace[slot * q + j] = values[index] ?? .nan
            }
            filled = slot
        }
        return true
    }

    static func status(_ error: StepError) -> MemberStatus {
        switch error {
        case .nonFinite: return .nonFinite
        case .diverged: return .diverged
        case .linearAlgebra: return .svdFailed
        case .stepSizeCollapsed: return .stepSizeCollapsed
        }
    }

    static let hint = "try --integrator dopri5 (integrator = \"dopri5\" in a spec)"

    /// Steps until step `target` (or the member's end: its horizon, its stopping rule, a failure).
    /// The schedule is `dlntui run`'s (`SaveAt`): rows every M steps or at multiples of a time H.
    public func advance(toStep target: Int) {
        guard !finished else { return }
        let clock = Monotonic.now()
        defer { wall += Monotonic.now() - clock }
        if !started { begin() }
        guard let sim = simulation, !finished else { return }
        let p = parameters
        // Between rows nothing is looked at (no watch, no energy rule): those steps go in one call.
        let batched = watch == nil && p.untilEnergy == nil
        while failed == nil && !met && sim.stepCount < target && !schedule.isFinished(step: sim.stepCount, time: sim.time) {
            if batched, let free = schedule.freeSteps(after: sim.stepCount) {
                let n = min(free, target - sim.stepCount - 1)
                if n > 0 {
                    do { try sim.advance(steps: n) } catch {
                        failed = Self.status(error)
                        break
                    }
                }
            }
            let landed: Bool
            do {
                landed = try sim.advance(landingAt: schedule.landing)
            } catch {
                failed = Self.status(error)
                break
            }
            if let watch, result.warning == nil, let text = watch.check(sim, hint: Self.hint) { result.warning = text }
            let reachedEnergy = p.untilEnergy.map { sim.energy.value(sim.endToEnd) < $0 } ?? false
            let scheduled = schedule.rowDue(step: sim.stepCount, time: sim.time, landed: landed)
                || schedule.isFinished(step: sim.stepCount, time: sim.time)
            if scheduled || reachedEnergy {
                if !observe(saving: scheduled) { failed = .svdFailed; break }
                if scheduled { slot += 1 }
                if reachedEnergy { met = true; break }
                if scheduled, let tol = untilConverged {
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
        if failed != nil || met || schedule.isFinished(step: sim.stepCount, time: sim.time) { finish(sim) }
    }

    private func finish(_ sim: Simulation) {
        finished = true
        // A refused step leaves the state as it was: its last row is the last good step's, as in `run`.
        if failed != nil && lastRowStep != sim.stepCount { _ = observe(saving: false) }
        result.lastRow = latest.map(RowContract.line) ?? ""
        result.status = failed ?? (criterion && !met ? .notConverged : .ok)
        // Members stopped early hold their last values over the saved times left; failed ones have none.
        if failed == nil && filled >= 0 {
            for k in (filled + 1)..<max(filled + 1, saved.count) {
                for j in 0..<q { result.trace[k * q + j] = result.trace[filled * q + j] }
            }
        }
        result.steps = sim.stepCount
        result.time = sim.time
        if sim.problem.size <= MemberRun.maxMatrixSize {
            let w = sim.endToEnd
            let d = sim.problem.size
            result.w = (0..<d).flatMap { i in (0..<d).map { j in w[i, j] } }
        }
        result.rankTimes = rankTimes
        result.wallSeconds = wall
    }

    /// The member's result so far: final once `finished`; while running, its trace up to now (NaN
    /// after), its steps and time, and its rank times so far.
    public var resultSoFar: MemberResult {
        if finished { var r = result; r.wallSeconds = wall; return r }
        var r = result
        r.steps = simulation?.stepCount ?? 0
        r.time = simulation?.time ?? 0
        r.rankTimes = rankTimes
        r.wallSeconds = wall
        r.lastRow = latest.map(RowContract.line) ?? ""
        return r
    }

    /// The times of the numerical rank first reaching r = 1 ... d, so far.
    public var rankTimesSoFar: [Double?] { finished ? result.rankTimes : rankTimes }

    /// A live edit, applied to this member between steps (a finished member keeps its end).
    public func apply(_ edit: Edit) throws(EditError) {
        guard !finished, let sim = simulation else { return }
        _ = try sim.apply(edit)
    }
}
