import CNcurses
import DLNEngine
import DLNHeadless
import Foundation
import Synchronization

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// The integration thread: owns the simulation (nobody else touches it), steps it at the
/// requested speed, applies commands between steps, records the history and publishes frames
/// at most `fps` times a second. A slow step never blocks the keys; a slow terminal never slows it.
public final class Worker: @unchecked Sendable {
    public let output = Latest<WorkerFrame>()

    private let condition = NSCondition()
    private var inbox: [Command] = []
    private var stopping = false
    private let pending = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    // Owned by the worker thread once started (internal, not private, only so that the commands
    // in Worker+Commands.swift can reach them: nothing else touches them).
    var simulation: Simulation
    /// The data files the simulation read, hashed when it read them (for the snapshot's sidecar).
    var inputs: [InputFile]
    var recorder: RunRecorder
    var trace = StateTrace()
    var checkpoints: Checkpoints
    /// The langevin run beside an rle-upstairs one (the `v` key), stepped in lockstep with it.
    var companion: Simulation?
    var companionRecorder: RunRecorder?
    var companionGood: Snapshot?
    var paused = false
    var rejected = false
    var speed: Double?
    private var notice: Notice?
    private var noticeSerial = 0
    private var generation = 0
    private let frameInterval: Double
    var anchorTime = 0.0
    private var anchorStep = 0
    var rateStart = 0.0
    var rateSteps = 0
    var measuredRate = 0.0
    var dirty = true
    private var lastPublish = -Double.infinity
    var lastGood: Snapshot?

    /// The recent window spans about this much wall time.
    static let recentSeconds = 10.0

    public init(simulation: Simulation, fps: Int) {
        self.simulation = simulation
        inputs = InputFile.of(simulation.start)
        recorder = RunRecorder(size: simulation.problem.size)
        checkpoints = Checkpoints(for: simulation)
        speed = simulation.parameters.speed
        frameInterval = 1 / Double(max(1, min(240, fps)))
        updateRecentStride()
    }

    // MARK: the other threads' side

    public func send(_ commands: [Command]) {
        guard !commands.isEmpty else { return }
        condition.lock()
        inbox += commands
        pending.store(true, ordering: .releasing)
        condition.signal()
        condition.unlock()
    }

    public func start() {
        let thread = Thread { [self] in
            // Resize, job-control and quit signals belong to the thread that runs curses.
            dln_block_async_signals()
            run()
            finished.signal()
        }
        thread.name = "dlntui worker"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Asks the worker to stop and waits (at most `timeout` seconds) for its current step to end.
    @discardableResult
    public func stop(timeout: Double = 2) -> Bool {
        condition.lock()
        stopping = true
        pending.store(true, ordering: .releasing)
        condition.signal()
        condition.unlock()
        return finished.wait(timeout: .now() + timeout) == .success
    }

    // MARK: the worker thread

    private func run() {
        let start = monotonicSeconds()
        anchor(at: start)
        rateStart = start
        recordIfWanted()
        takeCheckpoint()
        publish(now: start)
        while true {
            condition.lock()
            let commands = inbox
            inbox.removeAll()
            pending.store(false, ordering: .releasing)
            let stop = stopping
            condition.unlock()
            if stop { return }
            for c in commands { apply(c) }

            var now = monotonicSeconds()
            if !paused { runBurst(now: now) }
            now = monotonicSeconds()
            measureRate(now: now)
            if dirty && now - lastPublish >= frameInterval { publish(now: now) }

            // Sleep until the next step is due, the next frame is due, or a command arrives.
            var wake = Double.infinity
            if !paused {
                if let s = speed { wake = anchorTime + Double(simulation.stepCount + 1 - anchorStep) / s } else { wake = now }
            }
            if dirty { wake = min(wake, lastPublish + frameInterval) }
            if !paused { wake = min(wake, rateStart + 0.5) }
            if wake > now {
                condition.lock()
                if inbox.isEmpty && !stopping {
                    if wake.isFinite {
                        _ = condition.wait(until: Date(timeIntervalSinceNow: wake - now))
                    } else {
                        condition.wait()
                    }
                }
                condition.unlock()
            }
        }
    }

    /// Steps until the due count is reached, a frame is due, or a command is waiting.
    private func runBurst(now: Double) {
        var due = Int.max
        if let s = speed {
            due = anchorStep + Int(((now - anchorTime) * s).rounded(.down))
            // Behind by more than a quarter second: the speed is more than the machine can do;
            // forget the backlog rather than sprint to catch up.
            if Double(due - simulation.stepCount) > max(1, s * 0.25) {
                anchor(at: now)
                due = simulation.stepCount + 1
            }
        }
        let burstEnd = now + frameInterval
        var count = 0
        while simulation.stepCount < due {
            guard step() else { return }
            count += 1
            if count % 4 == 0 || speed != nil {
                if pending.load(ordering: .acquiring) || monotonicSeconds() >= burstEnd { return }
            }
        }
    }

    /// One step and its recording; false when the step was refused (the run is then paused).
    @discardableResult
    func step() -> Bool {
        // In versus mode the two runs move in lockstep: if the companion's step is refused, the
        // main run's step is undone too, so both stay at the same step (and a retry or a rollback
        // treats them alike).
        let before = companion == nil ? nil : simulation.checkpoint()
        do {
            try simulation.advance()
        } catch {
            // Logged: the refused step drew its noise, so a replay must draw it too.
            simulation.logRefusedStep(error)
            refuse(step: simulation.stepCount + 1, error)
            return false
        }
        if let companion {
            do {
                try companion.advance()
            } catch {
                companion.logRefusedStep(error)
                if let before { _ = simulation.restore(before) }
                refuse(step: simulation.stepCount + 1, error)
                return false
            }
        }
        rateSteps += 1
        dirty = true
        recordIfWanted()
        if checkpoints.isDue(step: simulation.stepCount) { takeCheckpoint() }
        // The run's horizon (the preset's steps, or --steps): pause there once; space continues.
        if simulation.stepCount == simulation.parameters.steps && !paused {
            paused = true
            say("reached step \(simulation.stepCount) (t = \(NumberText.compact(simulation.time))), the run's horizon: paused; space continues")
            return false
        }
        return true
    }

    /// Pauses after a refused step. A failed SVD leaves a good state: the same step can be retried.
    /// A state that blew up is rolled back to the last checkpoint from before the blow-up, if the
    /// blow-up had begun before the refusal (`Checkpoints.target`).
    private func refuse(step: Int, _ error: StepError) {
        paused = true
        rejected = true
        let dt = NumberText.compact(simulation.parameters.dt, digits: 4)
        if case .linearAlgebra = error {
            say("step \(step) rejected: \(error) at dt = \(dt); state unchanged, paused: space retries (if LAPACK fails again, r restarts)",
                warning: true)
            return
        }
        // A steady growth with E fitted is an unbounded F, not a too-large dt (GrowthWatch).
        let unbounded = GrowthWatch.verdict(recorder.whole.samples.suffix(GrowthWatch.capacity).map {
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

    /// Rolls the run (and its companion) back to the checkpoint from before a blow-up: the state,
    /// step and time are restored and the histories cut after that step, so the charts show the
    /// trajectory that is resumed (not the garbage of the blow-up, whose scale would flatten them)
    /// and step numbers keep meaning what they mean in headless runs: t = step x dt. Returns the
    /// text for the message, empty when nothing was rolled back.
    private func rollBack() -> String {
        let from = simulation.stepCount
        let norm = runNorm()
        guard let c = checkpoints.target(currentStep: from, currentNorm: norm), simulation.restore(c.main) else { return "" }
        if let cc = c.companion, let comp = companion, !comp.restore(cc) { dropCompanion() }
        checkpoints.drop(after: c.step)
        recorder.truncate(after: c.step)
        companionRecorder?.truncate(after: c.step)
        trace.truncate(after: c.step)
        anchor(at: monotonicSeconds())
        lastGood = nil
        dirty = true
        recordIfWanted()
        let was = norm.isFinite ? NumberText.compact(norm, digits: 3) : "not finite"
        return "rolled back to step \(c.step) (||W|| \(NumberText.compact(c.norm, digits: 3)), was \(was) at step \(from))"
    }

    /// ||W||_F of the run, or of its versus companion if that is larger: either one blowing up is
    /// a blow-up of the pair. NaN when either W is not finite.
    func runNorm() -> Double {
        let a = simulation.endToEnd.frobeniusNorm
        guard let c = companion else { return a }
        let b = c.endToEnd.frobeniusNorm
        return a.isFinite && b.isFinite ? Swift.max(a, b) : .nan
    }

    func takeCheckpoint() {
        let norm = runNorm()
        checkpoints.add(Checkpoints.Entry(main: simulation.checkpoint(), companion: companion?.checkpoint(), norm: norm))
    }

    func recordIfWanted() {
        guard recorder.wants(step: simulation.stepCount) else { return }
        if let o = try? simulation.observe() { recorder.record(o) }
        trace.record(TraceSample.of(simulation))
        if let c = companion, let o = try? c.observe() { companionRecorder?.record(o) }
    }

    func anchor(at now: Double) {
        anchorTime = now
        anchorStep = simulation.stepCount
    }

    private func measureRate(now: Double) {
        let elapsed = now - rateStart
        if paused {
            if measuredRate != 0 { measuredRate = 0; dirty = true }
            rateStart = now
            rateSteps = 0
        } else if elapsed >= 0.5 {
            measuredRate = Double(rateSteps) / elapsed
            rateStart = now
            rateSteps = 0
            dirty = true
            updateRecentStride()
        }
    }

    /// The recent window covers about `recentSeconds` of wall time at the speed asked for (or
    /// measured, when unlimited).
    func updateRecentStride() {
        let rate = speed ?? max(measuredRate, 1)
        recorder.recent.stride = RunRecorder.powerOfTwo(atLeast: rate * Self.recentSeconds / Double(recorder.recent.capacity))
        companionRecorder?.recent.stride = recorder.recent.stride
    }

    func say(_ text: String, warning: Bool = false) {
        noticeSerial += 1
        notice = Notice(serial: noticeSerial, text: text, warning: warning)
        dirty = true
    }

    private func publish(now: Double) {
        var snapshot: Snapshot
        if let fresh = try? simulation.snapshot(stepsPerSecond: measuredRate) {
            snapshot = fresh
            lastGood = fresh
        } else if let good = lastGood {
            // W overflowed although the factors are finite (or the SVD failed): show the last
            // state that could be observed, with the parameters in force now.
            snapshot = good
            snapshot.parameters = simulation.parameters
            snapshot.stepsPerSecond = measuredRate
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
                    lastGood = fresh
                }
            }
        } else {
            return
        }
        var beside: CompanionFrame?
        if let c = companion, let r = companionRecorder {
            if let fresh = try? c.snapshot(stepsPerSecond: measuredRate) { companionGood = fresh }
            if let good = companionGood { beside = CompanionFrame(snapshot: good, whole: r.whole.samples, recent: r.recent.samples) }
        }
        generation += 1
        output.publish(WorkerFrame(
            generation: generation, snapshot: snapshot, whole: recorder.whole.samples, wholeStride: recorder.whole.stride,
            recent: recorder.recent.samples, paused: paused, rejected: rejected, speed: speed,
            problem: simulation.problem, edits: simulation.edits, notice: notice,
            trace: trace.samples, companion: beside, start: simulation.start, inputs: inputs))
        lastPublish = now
        dirty = false
    }
}
