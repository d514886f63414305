import DLNEngine

/// What the charts need beyond an `Observation`: the factors' balance and gauge per layer and,
/// for the two-by-two problem, W's off-diagonal point. Kept beside the observation history
/// rather than in it, so the engine's recording stays as it is.
public struct TraceSample: Equatable, Sendable {
    public var step: Int
    public var time: Double
    /// ||G_p||_F, p = 1 ... N-1 (4.2); empty downstairs.
    public var balanceDefects: [Double]
    /// ||Q_p - Q_p(start)||_F, p = 1 ... N-1 (rle-upstairs only; empty otherwise).
    public var gaugeDistances: [Double]
    /// (W_12, W_21) when d = 2 (the hyperbola picture of 14.3); nil otherwise.
    public var offDiagonal: (w12: Double, w21: Double)?

    public init(step: Int, time: Double, balanceDefects: [Double], gaugeDistances: [Double], offDiagonal: (w12: Double, w21: Double)?) {
        self.step = step
        self.time = time
        self.balanceDefects = balanceDefects
        self.gaugeDistances = gaugeDistances
        self.offDiagonal = offDiagonal
    }

    public static func == (a: TraceSample, b: TraceSample) -> Bool {
        a.step == b.step && a.time == b.time && a.balanceDefects == b.balanceDefects && a.gaugeDistances == b.gaugeDistances
            && a.offDiagonal?.w12 == b.offDiagonal?.w12 && a.offDiagonal?.w21 == b.offDiagonal?.w21
    }

    /// The sample of a snapshot's state.
    public init(_ s: Snapshot) {
        let w = s.endToEnd
        self.init(step: s.observation.step, time: s.observation.time, balanceDefects: s.balanceDefects,
                  gaugeDistances: s.gaugeDistances,
                  offDiagonal: w.rows == 2 && w.cols == 2 ? (w[0, 1], w[1, 0]) : nil)
    }
}

extension TraceSample: StepStamped {}

/// The whole run's trace in bounded memory, thinned as the observations are (the same
/// `ThinnedHistory`): the stride of kept steps doubles whenever the buffer fills, so step 0 stays.
public typealias StateTrace = ThinnedHistory<TraceSample>

extension ThinnedHistory where Sample == TraceSample {
    public init() { self.init(capacity: 1024) }
}

extension TraceSample {
    /// The sample of a simulation's current state (W is formed only when d = 2).
    public static func of(_ sim: Simulation) -> TraceSample {
        var point: (w12: Double, w21: Double)?
        if sim.problem.size == 2 {
            let w = sim.endToEnd
            point = (w[0, 1], w[1, 0])
        }
        return TraceSample(step: sim.stepCount, time: sim.time, balanceDefects: sim.balanceDefects(),
                           gaugeDistances: (sim.flow as? RLEUpstairsFlow)?.gaugeDistances() ?? [], offDiagonal: point)
    }
}
