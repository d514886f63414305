import DLNEngine
import DLNOutput
import Foundation
import Synchronization

/// M members of one point stepped together in rounds, on J threads (the live ensemble view).
/// Member i is `MemberStepper` of the study {point, M}, so it is member i of `dlntui ensemble`
/// with the same flags, bit for bit. Between rounds the caller reads a frame, applies edits to
/// every member, or restarts them all from the same member seeds at new parameters.
public final class LiveEnsemble: @unchecked Sendable {
    public private(set) var study: Study
    public private(set) var steppers: [MemberStepper]
    public let jobs: Int
    /// The step every running member has reached.
    public private(set) var step = 0
    /// Member-steps taken since the start (members that stopped count their own steps).
    public private(set) var memberSteps = 0
    public private(set) var restarts: [String] = []
    private var times: [Double] = []
    private var bands: [EnsembleBand] = []

    /// The live view steps members in rounds of steps: a schedule in steps (no --every-time or
    /// --until-time, a fixed dt) is required, as `dlntui ensemble` requires shared saved times.
    public static func accepts(_ p: Parameters) -> Bool {
        SaveAt(p).savedSteps != nil && Study.savedTimes(p) != nil
    }

    public init(point: Parameters, members: Int, untilConverged: Double? = nil, jobs: Int) throws(SetupError) {
        guard Self.accepts(point) else {
            throw SetupError.parameter(ParameterError(flag: "--members", accepted: "a schedule in steps with a fixed step size (not dopri5, --every-time or --until-time)", given: point.integrator.rawValue))
        }
        // The point is set up once before any member, so a bad parameter stops it here.
        _ = try Simulation(parameters: MemberSeed.parameters(point, member: 0, varyProblem: false))
        study = Study(points: [StudyPoint(index: 0, parameters: point, grid: [])], members: max(1, members),
                      untilConverged: untilConverged)
        self.jobs = max(1, jobs)
        steppers = []
        reset()
    }

    public var point: Parameters { study.points[0].parameters }
    public var members: Int { study.members }
    public var finished: Bool { steppers.allSatisfy(\.finished) }
    /// The parameters in force (the point's with the live edits).
    public var parameters: Parameters { steppers.first { $0.simulation != nil }?.simulation?.parameters ?? point }

    private func reset() {
        steppers = (0..<study.members).map { MemberStepper(study, member: $0) }
        step = 0
        memberSteps = 0
        times = []
        bands = steppers[0].quantityNames.map { EnsembleBand(name: $0) }
    }

    /// The next step a round stops at: the next saved step (so the bands gain a time each round it
    /// reaches one), or `due` if that comes first.
    public func nextStop(due: Int) -> Int {
        let saved = steppers[0].savedSteps ?? []
        let next = saved.first { $0 > step } ?? point.steps
        return min(max(due, step + 1), next)
    }

    /// Every running member to step `target`, members spread over the threads in chunks.
    public func round(toStep target: Int) {
        let before = steppers.reduce(0) { $0 + ($1.simulation?.stepCount ?? 0) }
        let next = Atomic<Int>(0)
        let chunk = max(1, min(16, steppers.count / (4 * jobs)))
        let all = steppers
        DispatchQueue.concurrentPerform(iterations: min(jobs, all.count)) { _ in
            while true {
                let start = next.add(chunk, ordering: .relaxed).oldValue
                if start >= all.count { return }
                for i in start..<min(start + chunk, all.count) { all[i].advance(toStep: target) }
            }
        }
        step = max(step, min(target, point.steps))
        memberSteps += steppers.reduce(0) { $0 + ($1.simulation?.stepCount ?? 0) } - before
        updateBands()
    }

    /// The bands gain every saved time all members have passed (finished ones hold their values).
    private func updateBands() {
        let saved = steppers[0].savedSteps ?? []
        let savedTimes = steppers[0].savedTimes
        let q = bands.count
        let ready = steppers.filter { $0.result.status.isFailure == false || !$0.finished }.map(\.slotsFilled).min() ?? saved.count
        guard ready > times.count else { return }
        for k in times.count..<min(ready, saved.count, savedTimes.count) {
            // The time of the slot: a member at that step says it (after a live dt edit it is not
            // step x dt); otherwise the schedule's.
            let at = steppers.first { $0.simulation?.stepCount == saved[k] && !$0.finished }?.simulation?.time
            times.append(at ?? savedTimes[k])
            for j in 0..<q {
                let values = steppers.map { $0.result.trace[k * q + j] }
                bands[j].append(Quantiles.summary(values)?.quantiles)
            }
        }
    }

    /// A live edit, applied to every member (finished members keep their ends). Returns the first
    /// refusal, if any.
    @discardableResult
    public func apply(_ edit: Edit) -> EditError? {
        var refusal: EditError? = nil
        for s in steppers {
            do { try s.apply(edit) } catch { if refusal == nil { refusal = error } }
        }
        return refusal
    }

    /// All members again from their start at `parameters`, with the same member seeds (a paired
    /// comparison); `reason` goes to the restart log.
    public func restart(_ parameters: Parameters, reason: String) throws(SetupError) {
        guard Self.accepts(parameters) else {
            throw SetupError.parameter(ParameterError(flag: "--members", accepted: "a schedule in steps with a fixed step size", given: parameters.integrator.rawValue))
        }
        _ = try Simulation(parameters: MemberSeed.parameters(parameters, member: 0, varyProblem: false))
        study.points = [StudyPoint(index: 0, parameters: parameters, grid: [])]
        restarts.append("step \(step): \(reason)")
        reset()
    }

    /// What the view draws now.
    public func frame() -> EnsembleFrame {
        let d = point.size
        let members = steppers.map { s -> MemberNow in
            let o = s.latest
            let sigma = o?.sigma ?? []
            var now = MemberNow(
                status: s.finished ? s.result.status : nil, effectiveRank: o?.effectiveRank ?? .nan,
                numericalRank: o?.numericalRank ?? -1,
                sigmaRatio: sigma.count >= 2 ? (sigma[0] > 0 ? sigma[1] / sigma[0] : .nan) : (sigma.isEmpty ? .nan : 0),
                error: o?.error ?? .nan, rankTimes: s.rankTimesSoFar)
            if d == 2, let w = s.simulation?.endToEnd, w.rows == 2 {
                now.w12 = w[0, 1]
                now.w21 = w[1, 0]
            }
            return now
        }
        let time = steppers.first { !$0.finished }?.simulation?.time ?? steppers.compactMap { $0.simulation?.time }.max() ?? 0
        return EnsembleFrame(parameters: parameters, size: d, step: step, time: time, times: times, bands: bands,
                             members: members, restarts: restarts)
    }

    /// summary.csv (the finished members) and quantiles.csv (every member's values so far, `n`
    /// counting those that have them), in the formats of `dlntui ensemble`.
    public func files() -> (summary: String, quantiles: String) {
        var finished: [Int: MemberResult] = [:], all: [Int: MemberResult] = [:]
        for s in steppers {
            let r = s.resultSoFar
            all[s.index] = r
            if s.finished { finished[s.index] = r }
        }
        return (SummaryFiles.summary(study, finished), SummaryFiles.quantiles(study, all))
    }
}
