import CNcurses
import DLNEngine
import DLNOutput
import DLNStudy
import Foundation
import Synchronization

/// What the ensemble view draws, copied out of the ensemble worker.
public struct EnsembleWorkerFrame: Sendable {
    public var generation: Int
    public var ensemble: EnsembleFrame
    public var paused: Bool
    /// Why the members stopped before their horizon (`--until-ci`); nil otherwise.
    public var stopped: String?
    public var speed: Double?
    /// Member-steps per second, measured.
    public var rate: Double
    public var jobs: Int
    public var problem: Problem
    public var notice: Notice?
    public var untilCI: Double?
    public var untilConverged: Double?

    public init(generation: Int, ensemble: EnsembleFrame, paused: Bool, stopped: String?, speed: Double?, rate: Double,
                jobs: Int, problem: Problem, notice: Notice?, untilCI: Double? = nil, untilConverged: Double? = nil) {
        self.generation = generation
        self.ensemble = ensemble
        self.paused = paused
        self.stopped = stopped
        self.speed = speed
        self.rate = rate
        self.jobs = jobs
        self.problem = problem
        self.notice = notice
        self.untilCI = untilCI
        self.untilConverged = untilConverged
    }

    /// Every member has finished, or the stop rule ended them.
    public var done: Bool { stopped != nil || ensemble.running == 0 }
}

/// The ensemble view's integration thread: owns a `LiveEnsemble`, steps its members in rounds on
/// every core at the speed asked for (steps of each member per second), applies commands between
/// rounds and publishes frames at most `fps` times a second. The keys never wait for a round's end
/// longer than one round, and the rounds never wait for the terminal.
public final class EnsembleWorker: @unchecked Sendable {
    public let output = Latest<EnsembleWorkerFrame>()
    /// A key's command, or a snapshot's request for the contents (answered between rounds: the
    /// ensemble belongs to the worker thread).
    private enum Message {
        case command(Command)
        case snapshot((EnsembleSnapshot.Contents) -> Void)
    }
    private let thread = WorkerThread<Message>()

    // Owned by the worker thread once started.
    var ensemble: LiveEnsemble
    var paused = false
    var stopped: String? = nil
    var speed: Double?
    let untilCI: Double?
    let untilConverged: Double?
    private var anchorTime = 0.0
    private var anchorStep = 0
    private var notice: Notice?
    private var noticeSerial = 0
    private var generation = 0
    private let frameInterval: Double
    private var lastPublish = -Double.infinity
    private var dirty = true
    private var rateWindow: (time: Double, steps: Int) = (0, 0)
    private var rate = 0.0

    public init(ensemble: LiveEnsemble, speed: Double?, fps: Int, untilCI: Double? = nil, untilConverged: Double? = nil) {
        self.ensemble = ensemble
        self.speed = speed
        self.untilCI = untilCI
        self.untilConverged = untilConverged
        frameInterval = 1 / Double(max(1, min(240, fps)))
    }

    public func send(_ commands: [Command]) { thread.send(commands.map(Message.command)) }

    public func start() { thread.start(name: "dlntui ensemble") { [self] in run() } }

    @discardableResult
    public func stop(timeout: Double = 5) -> Bool { thread.stop(timeout: timeout) }

    /// The step the members should be at now: the speed's clock since the last anchor.
    private func due(now: Double) -> Int {
        guard let speed else { return Int.max / 2 }
        return anchorStep + Int(((now - anchorTime) * speed).rounded(.down))
    }

    func anchor(at now: Double) {
        anchorTime = now
        anchorStep = ensemble.step
    }

    private var running: Bool { !paused && stopped == nil && !ensemble.finished }

    private func run() {
        let start = Monotonic.now()
        anchor(at: start)
        rateWindow = (start, 0)
        publish(now: start)
        while true {
            let (messages, stop) = thread.take()
            if stop { return }
            var requests: [(EnsembleSnapshot.Contents) -> Void] = []
            for m in messages {
                switch m {
                case .command(let c): apply(c)
                case .snapshot(let r): requests.append(r)
                }
            }
            if !requests.isEmpty {
                let contents = snapshotContents()
                for r in requests { r(contents) }
            }
            var now = Monotonic.now()
            if running {
                let target = due(now: now)
                if target > ensemble.step {
                    ensemble.round(toStep: ensemble.nextStop(due: target))
                    dirty = true
                    checkStopRule()
                    if ensemble.finished { say("all \(ensemble.members) members finished at step \(ensemble.step): s saves summary.csv and quantiles.csv") }
                }
            }
            now = Monotonic.now()
            if now - rateWindow.time >= 0.5 {
                rate = Double(ensemble.memberSteps - rateWindow.steps) / (now - rateWindow.time)
                rateWindow = (now, ensemble.memberSteps)
                dirty = true
            }
            if dirty && now - lastPublish >= frameInterval { publish(now: now) }
            var wake = lastPublish + frameInterval
            if running, let speed { wake = min(wake, anchorTime + Double(ensemble.step + 1 - anchorStep) / speed) }
            if running && speed == nil { continue }
            if !dirty && !running { wake = now + 0.25 }
            if wake > now { thread.sleep(wake - now) }
        }
    }

    /// The snapshot's contents, formed on this thread; nil if the worker does not answer in `timeout` s.
    public func snapshot(timeout: Double = 5) -> EnsembleSnapshot.Contents? {
        let done = DispatchSemaphore(value: 0)
        let box = Mutex<EnsembleSnapshot.Contents?>(nil)
        thread.send([.snapshot { c in box.withLock { $0 = c }; done.signal() }])
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return box.withLock { $0 }
    }

    private func snapshotContents() -> EnsembleSnapshot.Contents {
        let (summary, quantiles) = ensemble.files()
        let first = ensemble.steppers.first { $0.simulation != nil }?.simulation
        return EnsembleSnapshot.Contents(summary: summary, quantiles: quantiles, frame: ensemble.frame(), point: ensemble.point,
                                         edits: first?.edits ?? [], problem: first?.problem, members: ensemble.members,
                                         jobs: ensemble.jobs, untilCI: untilCI, untilConverged: untilConverged, stopped: stopped)
    }

    /// `--until-ci W`: the members stop once the rank-one fraction's 95% interval over the finished
    /// members is narrower than W.
    func checkStopRule() {
        guard let w = untilCI, stopped == nil else { return }
        let f = ensemble.frame()
        guard f.counted.finished else { return }
        let p = f.rankOne
        if p.width < w {
            stopped = "--until-ci \(NumberText.compact(w)): the interval is \(NumberText.compact(p.width, digits: 3)) wide"
            say("stopped: the rank-one fraction's 95% CI (Wilson) over \(p.total) finished members is narrower than \(NumberText.compact(w))")
        }
    }

    func say(_ text: String, warning: Bool = false) {
        noticeSerial += 1
        notice = Notice(serial: noticeSerial, text: text, warning: warning)
        dirty = true
    }

    private func publish(now: Double) {
        generation += 1
        let problem = ensemble.steppers.first { $0.simulation != nil }?.simulation?.problem
        guard let problem else {
            // No member has begun yet: take one step's worth of setup so there is a problem to show.
            if let s = ensemble.steppers.first { s.advance(toStep: 0) }
            if ensemble.steppers.first?.simulation == nil { return }
            return publish(now: now)
        }
        output.publish(EnsembleWorkerFrame(
            generation: generation, ensemble: ensemble.frame(), paused: paused, stopped: stopped, speed: speed, rate: rate,
            jobs: ensemble.jobs, problem: problem, notice: notice, untilCI: untilCI, untilConverged: untilConverged))
        lastPublish = now
        dirty = false
    }
}
