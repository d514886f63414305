import CNcurses
import DLNEngine
import DLNOutput
import Foundation
import Synchronization

/// The integration thread: owns the simulation (nobody else touches it), steps it at the
/// requested speed, applies commands between steps, records the history and publishes frames
/// at most `fps` times a second. A slow step never blocks the keys; a slow terminal never slows it.
public final class Worker: @unchecked Sendable {
    public let output = Latest<WorkerFrame>()

    private let thread = WorkerThread<Command>()

    // Owned by the worker thread once started (internal, not private, only so that the commands
    // in Worker+Commands.swift can reach them: nothing else touches them).
    /// The runs stepped together: one, or 2 to 4 configurations compared (`--compare`, the key c;
    /// versus mode is the comparison of rle-upstairs with langevin). The first is the one the
    /// panel, the charts' main series and a snapshot describe.
    var runs: [Run]
    var checkpoints: Checkpoints
    var pacer: Pacer
    var paused = false
    var rejected = false
    private var notice: Notice?
    private var noticeSerial = 0
    private var generation = 0
    private let frameInterval: Double
    var dirty = true
    private var lastPublish = -Double.infinity

    var primary: Run { runs[0] }
    var simulation: Simulation { runs[0].simulation }
    /// The second run, if any (versus mode's langevin).
    var companion: Simulation? { runs.count > 1 ? runs[1].simulation : nil }
    var speed: Double? {
        get { pacer.speed }
        set { pacer.speed = newValue }
    }

    /// The recent window spans about this much wall time.
    static let recentSeconds = 10.0

    public convenience init(simulation: Simulation, fps: Int) {
        self.init(simulations: [simulation], fps: fps)
    }

    /// `simulations`: 1 to `Comparison.maxRuns` runs of one problem and start, stepped in lockstep.
    public init(simulations: [Simulation], fps: Int) {
        precondition(!simulations.isEmpty)
        runs = simulations.map { Run($0) }
        checkpoints = Checkpoints(for: simulations[0])
        pacer = Pacer(speed: simulations[0].parameters.speed, inTime: simulations[0].parameters.pacesTime)
        frameInterval = 1 / Double(max(1, min(240, fps)))
        updateRecentStride()
        if runs.count > 1 { say(comparisonText()) }
    }

    // MARK: the other threads' side

    public func send(_ commands: [Command]) { thread.send(commands) }

    public func start() { thread.start(name: "dlntui worker") { [self] in run() } }

    /// Asks the worker to stop and waits (at most `timeout` seconds) for its current step to end.
    @discardableResult
    public func stop(timeout: Double = 2) -> Bool { thread.stop(timeout: timeout) }

    // MARK: the worker thread

    private func run() {
        let start = Monotonic.now()
        anchor(at: start)
        pacer.resetRate(at: start)
        recordIfWanted()
        takeCheckpoint()
        publish(now: start)
        while true {
            let (commands, stop) = thread.take()
            if stop { return }
            for c in commands { apply(c) }
            if !commands.isEmpty { syncPacing() }

            var now = Monotonic.now()
            if !paused { runBurst(now: now) }
            now = Monotonic.now()
            if pacer.measure(now: now, paused: paused) {
                dirty = true
                if !paused { updateRecentStride() }
            }
            if dirty && now - lastPublish >= frameInterval { publish(now: now) }

            // Sleep until the next step is due, the next frame is due, or a command arrives.
            var wake = Double.infinity
            if !paused { wake = pacer.nextStepTime(after: pacedPosition, now: now) }
            if dirty { wake = min(wake, lastPublish + frameInterval) }
            if !paused { wake = min(wake, pacer.nextMeasurement) }
            if wake > now { thread.sleep(wake - now) }
        }
    }

    /// Steps until the due count is reached, a frame is due, or a command is waiting.
    private func runBurst(now: Double) {
        let due = pacer.due(now: now, position: pacedPosition)
        let burstEnd = now + frameInterval
        var count = 0
        while pacer.allows(position: pacedPosition, due: due) {
            guard step() else { return }
            count += 1
            if count % 4 == 0 || speed != nil {
                if thread.pending.load(ordering: .acquiring) || Monotonic.now() >= burstEnd { return }
            }
        }
    }

    /// One step of every run, and their recording; false when a step was refused (the run is then
    /// paused). The runs move in lockstep in time: the first takes one step, the others follow it
    /// to its time (`follow`); if one's step is refused, the steps the runs before it took are
    /// undone, so all stay together (and a retry or a rollback treats them alike).
    @discardableResult
    func step() -> Bool {
        let before = runs.count > 1 ? runs.map { $0.simulation.checkpoint() } : []
        let timeBefore = simulation.time
        // A time horizon ahead: the step that would pass it lands on it (as `run --until-time` does),
        // so the run pauses at t = T exactly, not at the adaptive step's end past it.
        let landing = simulation.parameters.untilTime.flatMap { timeBefore < $0 ? $0 : nil }
        for (i, run) in runs.enumerated() {
            do {
                if i == 0 { try run.simulation.advance(landingAt: landing) } else { try follow(run.simulation, to: simulation.time) }
            } catch {
                // A following run may have taken some of its steps before the refused one: it goes
                // back too, with the runs before it.
                if i > 0 { for j in 0...i { _ = runs[j].simulation.restore(before[j]) } }
                // Logged: the refused step drew its noise, so a replay must draw it too.
                run.simulation.logRefusedStep(error)
                refuse(step: simulation.stepCount + 1, error, in: runs.count > 1 ? Comparison.labels(runs.map(\.simulation.parameters))[i] : nil)
                return false
            }
        }
        pacer.stepped(by: simulation.lastStepSize)
        dirty = true
        if let warning = runs[0].errorWatch.check(simulation, hint: "press i for dopri5") { say(warning, warning: true) }
        recordIfWanted()
        if checkpoints.isDue(step: simulation.stepCount) { takeCheckpoint() }
        // The run's horizon (the preset's time or steps, --until-time or --steps): pause there once,
        // at the first step that reaches it; space continues.
        let p = simulation.parameters
        let reached = p.untilTime.map { timeBefore < $0 && simulation.time >= $0 } ?? (simulation.stepCount == p.steps)
        if reached && !paused {
            paused = true
            say("reached step \(simulation.stepCount) (t = \(NumberText.compact(simulation.time))), the run's horizon: paused; space continues")
            return false
        }
        return true
    }

    /// Pauses after a refused step. A failed SVD leaves a good state: the same step can be retried.
    /// A state that blew up is rolled back to the last checkpoint from before the blow-up, if the
    /// blow-up had begun before the refusal (`Checkpoints.target`).
    private func refuse(step: Int, _ error: StepError, in run: String? = nil) {
        paused = true
        rejected = true
        // Side by side, the message names the run that refused.
        let step = run.map { "\(step) (run \($0))" } ?? "\(step)"
        let dt = NumberText.compact(simulation.parameters.dt, digits: 4)
        if case .linearAlgebra = error {
            say("step \(step) rejected: \(error) at dt = \(dt); state unchanged, paused: space retries (if LAPACK fails again, r restarts)",
                warning: true)
            return
        }
        // A steady growth with E fitted is an unbounded F, not a too-large dt (GrowthWatch).
        let unbounded = GrowthWatch.verdict(primary.recorder.whole.samples.suffix(GrowthWatch.capacity).map {
            GrowthWatch.Sample(step: $0.step, norm: $0.sigma.reduce(0) { $0 + $1 * $1 }.squareRoot(), energy: $0.energy)
        }, scale: simulation.problem.target.frobeniusNorm)
        let back = rollBack()
        if let unbounded {
            say("step \(step) rejected at dt = \(dt)\(back.isEmpty ? "" : ", " + back): " + GrowthWatch.advice(unbounded), warning: true)
            return
        }
        // The message line is one line: what to do comes before the error's own (long) text.
        say(back.isEmpty ? "step \(step) rejected: \(error) at dt = \(dt); paused: lower dt with - and resume with space"
                : "step \(step) rejected at dt = \(dt), \(back): lower dt with - and resume with space; \(error)",
            warning: true)
    }

    /// Rolls the runs back to the checkpoint from before a blow-up: the state, step and time are
    /// restored and the histories cut after that step, so the charts show the trajectory that is
    /// resumed (not the garbage of the blow-up, whose scale would flatten them) and step numbers
    /// keep meaning what they mean in headless runs: t = step x dt. Returns the text for the
    /// message, empty when nothing was rolled back.
    private func rollBack() -> String {
        let from = simulation.stepCount
        let norm = runNorm()
        guard let c = checkpoints.target(currentStep: from, currentNorm: norm), simulation.restore(c.main) else { return "" }
        for i in (1..<runs.count).reversed() where !(i < c.states.count && runs[i].simulation.restore(c.states[i])) {
            runs.remove(at: i)  // a run whose state does not fit any more leaves the comparison
        }
        checkpoints.drop(after: c.step)
        // Each run's own step at the checkpoint: runs that follow in time count steps of their own.
        for (i, run) in runs.enumerated() { run.truncate(after: c.states[i].step) }
        anchor(at: Monotonic.now())
        dirty = true
        recordIfWanted()
        let was = norm.isFinite ? NumberText.compact(norm, digits: 3) : "not finite"
        return "rolled back to step \(c.step) (||W|| \(NumberText.compact(c.norm, digits: 3)), was \(was) at step \(from))"
    }

    /// ||W||_F of the largest run: any one blowing up is a blow-up of them all. NaN when a W is
    /// not finite.
    func runNorm() -> Double {
        var largest = 0.0
        for run in runs {
            let n = run.simulation.endToEnd.frobeniusNorm
            guard n.isFinite else { return .nan }
            largest = Swift.max(largest, n)
        }
        return largest
    }

    func takeCheckpoint() {
        checkpoints.add(Checkpoints.Entry(states: runs.map { $0.simulation.checkpoint() }, norm: runNorm()))
    }

    func recordIfWanted() {
        for run in runs { run.recordIfWanted() }
    }

    func anchor(at now: Double) {
        pacer.anchor(at: now, position: pacedPosition)
    }

    /// What the speed paces: the step count, or the simulated time under an adaptive method.
    var pacedPosition: Double { pacer.inTime ? simulation.time : Double(simulation.stepCount) }

    /// After an edit that changes between a fixed and an adaptive step, the speed changes unit:
    /// the same simulated time per second at the fixed step dt, and the message says so.
    func syncPacing() {
        let inTime = simulation.parameters.pacesTime
        guard inTime != pacer.inTime else { return }
        speed = Parameters.convertSpeed(speed, toTime: inTime, step: simulation.parameters.dt)
        pacer.inTime = inTime
        anchor(at: Monotonic.now())
        updateRecentStride()
        let text = "speed \(Worker.speedText(speed, inTime: inTime))"
        if let n = notice { say(n.text + "; " + text, warning: n.warning) } else { say(text) }
    }

    /// The recent window covers about `recentSeconds` of wall time at the speed asked for (or
    /// measured, when unlimited).
    func updateRecentStride() {
        let rate = (pacer.inTime ? nil : speed) ?? max(pacer.measuredRate, 1)
        let stride = RunRecorder.powerOfTwo(atLeast: rate * Self.recentSeconds / Double(primary.recorder.recent.capacity))
        for run in runs { run.recorder.recent.stride = stride }
    }

    func say(_ text: String, warning: Bool = false) {
        noticeSerial += 1
        notice = Notice(serial: noticeSerial, text: text, warning: warning)
        dirty = true
    }

    private func publish(now: Double) {
        let rate = pacer.measuredRate
        var snapshot: Snapshot
        if let fresh = try? simulation.snapshot(stepsPerSecond: rate) {
            snapshot = fresh
            primary.lastGood = fresh
        } else if let good = primary.lastGood {
            // W overflowed although the factors are finite (or the SVD failed): show the last
            // state that could be observed, with the parameters in force now.
            snapshot = good
            snapshot.parameters = simulation.parameters
            snapshot.stepsPerSecond = rate
            if !rejected {
                paused = true
                rejected = true
                let dt = NumberText.compact(simulation.parameters.dt, digits: 4)
                let at = simulation.stepCount
                let back = rollBack()
                say(back.isEmpty ? "step \(at): W is not finite (no observables) at dt = \(dt); paused: lower dt with -, restart with r"
                        : "step \(at): W is not finite at dt = \(dt), \(back): lower dt with - and resume with space",
                    warning: true)
                if !back.isEmpty, let fresh = try? simulation.snapshot(stepsPerSecond: 0) {
                    snapshot = fresh
                    primary.lastGood = fresh
                }
            }
        } else {
            return
        }
        let others = runs.dropFirst().compactMap { $0.frame(stepsPerSecond: rate) }
        generation += 1
        var frame = WorkerFrame(
            generation: generation, snapshot: snapshot, whole: primary.recorder.whole.samples, wholeStride: primary.recorder.whole.stride,
            recent: primary.recorder.recent.samples, paused: paused, rejected: rejected, speed: speed,
            problem: simulation.problem, edits: simulation.edits, notice: notice,
            trace: primary.trace.samples, others: others, start: simulation.start, inputs: primary.inputs)
        frame.speedInTime = pacer.inTime
        frame.timePerSecond = pacer.measuredTimeRate
        output.publish(frame)
        lastPublish = now
        dirty = false
    }
}
