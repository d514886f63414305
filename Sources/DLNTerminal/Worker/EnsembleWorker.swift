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
    /// A compared ensemble (`--compare` with `--members`): the frames of the second to fourth
    /// configurations, member i of each with member i's seed (paired), and every configuration's
    /// label (what differs: 'N=2'); both empty for one configuration.
    public var others: [EnsembleFrame] = []
    public var labels: [String] = []

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
    public var done: Bool { stopped != nil || all.allSatisfy { $0.running == 0 } }

    /// Every configuration's frame, the first first.
    public var all: [EnsembleFrame] { [ensemble] + others }
}

/// The ensemble view's integration thread: owns a `LiveEnsemble` (or, compared, one per
/// configuration, members paired by seed, all at one step), steps its members in rounds on
/// every core at the speed asked for (steps of each member per second), applies commands between
/// rounds and publishes frames at most `fps` times a second. The keys never wait for a round's end
/// longer than one round, and the rounds never wait for the terminal.
public final class EnsembleWorker: @unchecked Sendable {
    public let output = Latest<EnsembleWorkerFrame>()
    /// A key's command, or a snapshot's request for the contents (answered between rounds: the
    /// ensemble belongs to the worker thread).
    private enum Message {
        case command(Command)
        case snapshot(([EnsembleSnapshot.Contents]) -> Void)
    }
    private let thread = WorkerThread<Message>()

    // Owned by the worker thread once started.
    /// One ensemble per configuration (one without --compare); the first is `ensemble`.
    var ensembles: [LiveEnsemble]
    var ensemble: LiveEnsemble {
        get { ensembles[0] }
        set { ensembles[0] = newValue }
    }
    var paused = false
    var stopped: String? = nil
    var speed: Double?
    let untilCI: Double?
    let untilConverged: Double?
    private var anchorTime = 0.0
    private var anchorStep = 0
    private(set) var notice: Notice?
    private var noticeSerial = 0
    /// The step warning was said (EnsembleWorker+StepWarning.swift); a restart clears it.
    var stepWarned = false
    /// When the last notice was said (the step warning joins a fresh one instead of replacing it).
    private(set) var noticeTime = -Double.infinity
    private var generation = 0
    private let frameInterval: Double
    private var lastPublish = -Double.infinity
    private var dirty = true
    private var rateWindow: (time: Double, steps: Int) = (0, 0)
    private var rate = 0.0

    public convenience init(ensemble: LiveEnsemble, speed: Double?, fps: Int, untilCI: Double? = nil, untilConverged: Double? = nil) {
        self.init(ensembles: [ensemble], speed: speed, fps: fps, untilCI: untilCI, untilConverged: untilConverged)
    }

    /// Compared ensembles: one per configuration, each of the same members (the same member seeds).
    public init(ensembles: [LiveEnsemble], speed: Double?, fps: Int, untilCI: Double? = nil, untilConverged: Double? = nil) {
        precondition(!ensembles.isEmpty)
        self.ensembles = ensembles
        self.speed = speed
        self.untilCI = untilCI
        self.untilConverged = untilConverged
        frameInterval = 1 / Double(max(1, min(240, fps)))
    }

    /// The view's worker for 1 to 4 configurations (points): one `LiveEnsemble` each of the same
    /// members, so member i of every configuration is member i of `dlntui ensemble` with that
    /// configuration's flags, with member i's seed (paired: the same start and noise).
    public static func make(_ points: [Parameters], options: EnsembleOptions, fps: Int) throws(SetupError) -> EnsembleWorker {
        var ensembles: [LiveEnsemble] = []
        for p in points {
            ensembles.append(try LiveEnsemble(point: p, members: options.members ?? EnsembleOptions.defaultMembers,
                                              untilConverged: options.untilConverged, jobs: options.jobs))
        }
        return EnsembleWorker(ensembles: ensembles, speed: points[0].speed, fps: fps, untilCI: options.untilCI,
                              untilConverged: options.untilConverged)
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
        anchorStep = step
    }

    private var running: Bool { !paused && stopped == nil && !finished }

    /// Every member of every configuration has finished.
    var finished: Bool { ensembles.allSatisfy(\.finished) }
    /// The step the running configurations are at (the last one's once all have finished).
    var step: Int { ensembles.filter { !$0.finished }.map(\.step).min() ?? ensembles.map(\.step).max() ?? 0 }
    var memberSteps: Int { ensembles.reduce(0) { $0 + $1.memberSteps } }

    /// Every configuration's running members to the next stop at or before `target` (they share the
    /// schedule in steps, so they stay at one step), one configuration after another.
    func round(due target: Int) {
        for e in ensembles where !e.finished { e.round(toStep: e.nextStop(due: target)) }
    }

    /// The configurations' labels (what differs), empty for one.
    var labels: [String] { ensembles.count > 1 ? Comparison.labels(ensembles.map(\.parameters)) : [] }

    private func run() {
        let start = Monotonic.now()
        anchor(at: start)
        rateWindow = (start, 0)
        publish(now: start)
        while true {
            let (messages, stop) = thread.take()
            if stop { return }
            var requests: [([EnsembleSnapshot.Contents]) -> Void] = []
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
                if target > step {
                    round(due: target)
                    dirty = true
                    checkStopRule()
                    if finished {
                        let each = ensembles.count > 1 ? " of each of \(ensembles.count) configurations" : ""
                        say("all \(ensemble.members) members\(each) finished at step \(step): s saves summary.csv and quantiles.csv")
                    }
                    sayStepWarning()
                }
            }
            now = Monotonic.now()
            if now - rateWindow.time >= 0.5 {
                rate = Double(memberSteps - rateWindow.steps) / (now - rateWindow.time)
                rateWindow = (now, memberSteps)
                dirty = true
            }
            if dirty && now - lastPublish >= frameInterval { publish(now: now) }
            var wake = lastPublish + frameInterval
            if running, let speed { wake = min(wake, anchorTime + Double(step + 1 - anchorStep) / speed) }
            if running && speed == nil { continue }
            if !dirty && !running { wake = now + 0.25 }
            if wake > now { thread.sleep(wake - now) }
        }
    }

    /// The snapshot's contents, one per configuration, formed on this thread; nil if the worker
    /// does not answer in `timeout` s.
    public func snapshot(timeout: Double = 5) -> [EnsembleSnapshot.Contents]? {
        let done = DispatchSemaphore(value: 0)
        let box = Mutex<[EnsembleSnapshot.Contents]?>(nil)
        thread.send([.snapshot { c in box.withLock { $0 = c }; done.signal() }])
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return box.withLock { $0 }
    }

    func snapshotContents() -> [EnsembleSnapshot.Contents] {
        let labels = labels
        return ensembles.enumerated().map { i, e in
            let (summary, quantiles) = e.files()
            let first = e.steppers.first { $0.simulation != nil }?.simulation
            return EnsembleSnapshot.Contents(summary: summary, quantiles: quantiles, frame: e.frame(), point: e.point,
                                             edits: first?.edits ?? [], problem: first?.problem, members: e.members,
                                             jobs: e.jobs, untilCI: untilCI, untilConverged: untilConverged, stopped: stopped,
                                             label: labels.isEmpty ? nil : labels[i])
        }
    }

    /// `--until-ci W`: the members stop once the rank-one fraction's 95% interval over the first k
    /// members, members 0 ..< k all finished (`EnsembleFrame.finishedPrefix`), is narrower than W
    /// (compared: every configuration's). Not over whichever members finished: those that
    /// converge first are not a random sample of the members. A rule met as the last members
    /// finish stopped nothing: they all finished. `given`: the configurations' frames in place of
    /// the ensembles' own (tests pin the rule on members finished in an order of their choosing).
    func checkStopRule(_ given: [EnsembleFrame]? = nil) {
        guard let w = untilCI, stopped == nil, !finished else { return }
        let frames = given ?? ensembles.map { $0.frame() }
        guard let widest = Self.untilCIWidth(frames), widest < w else { return }
        let firsts = frames.map { "\($0.finishedPrefix)" }
        let first = Set(firsts).count == 1 ? firsts[0] : firsts.joined(separator: "|")
        let width = NumberText.compact(widest, digits: 3)
        stopped = "--until-ci \(NumberText.compact(w)): the interval over the first \(first) members is \(width) wide"
        let over = frames.count > 1 ? "every configuration's" : "the"
        say("stopped by --until-ci \(NumberText.compact(w)): \(over) rank-one fraction's 95% CI (Wilson) over the first \(first) members (all finished) is \(width) wide")
    }

    /// The interval's width `--until-ci` compares with W: the widest of the configurations'
    /// intervals, each over its first finished members; nil until every one has some.
    static func untilCIWidth(_ frames: [EnsembleFrame]) -> Double? {
        let fractions = frames.map(\.firstRankOne)
        guard !fractions.isEmpty, fractions.allSatisfy({ $0.total > 0 }) else { return nil }
        return fractions.map(\.width).max()
    }

    func say(_ text: String, warning: Bool = false) {
        noticeTime = Monotonic.now()
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
        var frame = EnsembleWorkerFrame(
            generation: generation, ensemble: ensemble.frame(), paused: paused, stopped: stopped, speed: speed, rate: rate,
            jobs: ensemble.jobs, problem: problem, notice: notice, untilCI: untilCI, untilConverged: untilConverged)
        frame.others = ensembles.dropFirst().map { $0.frame() }
        frame.labels = labels
        output.publish(frame)
        lastPublish = now
        dirty = false
    }
}
