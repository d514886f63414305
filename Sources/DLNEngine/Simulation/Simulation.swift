/// Why a simulation could not be set up.
public enum SetupError: Error, Equatable, Sendable, CustomStringConvertible {
    case parameter(ParameterError)
    case dataFile(DataFileError)
    case linearAlgebra(LinearAlgebraError)

    public var description: String {
        switch self {
        case .parameter(let e): return e.description
        case .dataFile(let e): return e.description
        case .linearAlgebra(let e): return e.description
        }
    }
}

/// A change made to a running simulation, and the step at which it was made.
public struct LiveEdit: Equatable, Sendable {
    public let step: Int
    public let parameter: String
    public let value: String
}

/// One run of the DLN: problem, energy, flow, integrator, state and the noise stream, wired
/// together (Diffrax's `diffeqsolve`). Not thread-safe: one thread owns it; a renderer on
/// another thread reads `Snapshot`s that the owner publishes.
public final class Simulation: @unchecked Sendable {
    public private(set) var parameters: Parameters
    public let problem: Problem
    public let energy: any Energy
    public private(set) var flow: any Flow
    public private(set) var state: FlowState
    public private(set) var stepCount = 0
    /// t = segmentTime + (stepCount - segmentStep) dt: exact multiples of dt rather than a running
    /// sum, restarted whenever dt changes.
    public var time: Double { segmentTime + Double(stepCount - segmentStep) * parameters.dt }
    private var segmentTime = 0.0
    private var segmentStep = 0
    public private(set) var edits: [LiveEdit] = []
    private var noise: Xoshiro256
    private let integrator = EulerMaruyama()
    private let observer: Observer
    private var endToEndBuffer: Matrix
    private var balanceG: Matrix
    private var balanceH: Matrix

    public init(parameters p: Parameters) throws(SetupError) {
        BLAS.defaultThreads
        do { try p.validate() } catch { throw .parameter(error) }
        let problem: Problem
        do { problem = try Problem.make(p) } catch { throw .dataFile(error) }
        var params = p
        params.size = problem.size  // a target file fixes d
        if params.targetRank > params.size { params.targetRank = params.size }
        params.timeScale = params.effectiveTimeScale
        let factors: [Matrix]
        do { factors = try Initialization.factors(params, size: problem.size) } catch { throw .dataFile(error) }
        self.parameters = params
        self.problem = problem
        self.energy = problem.makeEnergy()
        let knobs = FlowKnobs(depth: params.depth, beta: params.beta, kappa: params.kappa, timeScale: params.timeScale)
        self.flow = params.flow.make(energy: energy, knobs: knobs)
        if params.flow == .upstairs {
            state = FlowState(parts: factors)
        } else {
            // Every other flow starts from the same end-to-end W, in its own coordinates.
            do { state = try flow.state(for: Initialization.product(factors)) } catch {
                if case .linearAlgebra(let e) = error { throw .linearAlgebra(e) }
                throw .linearAlgebra(.nonFiniteInput)
            }
        }
        noise = Xoshiro256(seed: RandomStreams.noise(params.seed))
        observer = Observer(size: problem.size)
        endToEndBuffer = .zeros(problem.size)
        balanceG = .zeros(problem.size)
        balanceH = .zeros(problem.size)
    }

    /// One integrator step. On error the state, step count and time are unchanged.
    public func advance() throws(StepError) {
        try integrator.step(flow, &state, dt: parameters.dt, rng: &noise)
        stepCount += 1
    }

    /// The end-to-end matrix W = W_N ... W_1 of the current state.
    public var endToEnd: Matrix {
        flow.endToEnd(state, into: &endToEndBuffer)
        return endToEndBuffer
    }

    public func observe() throws(LinearAlgebraError) -> Observation {
        flow.endToEnd(state, into: &endToEndBuffer)
        if let own = try flow.observation(of: state, rankTolerance: parameters.rankTol, step: stepCount, time: time) {
            return own
        }
        return try observer.observe(
            endToEnd: endToEndBuffer, factors: flow.isUpstairs ? state.parts : nil, energy: energy,
            depth: parameters.depth, beta: parameters.beta, scale: problem.scale,
            rankTolerance: parameters.rankTol, step: stepCount, time: time)
    }

    /// ||G_p||_F per layer, p = 1 ... N-1 (empty downstairs).
    public func balanceDefects() -> [Double] {
        flow.isUpstairs ? Observables.balanceDefects(state.parts, g: &balanceG, h: &balanceH) : []
    }

    private func record(_ name: String, _ value: String) {
        edits.append(LiveEdit(step: stepCount, parameter: name, value: value))
    }

    // MARK: live edits: each applies to the running trajectory at once.

    public func setBeta(_ beta: Double) {
        parameters.beta = beta
        flow.knobs.beta = beta
        record("beta", NumberFormat.g17(beta))
    }

    public func setKappa(_ kappa: Double) {
        parameters.kappa = kappa
        flow.knobs.kappa = kappa
        record("kappa", NumberFormat.g17(kappa))
    }

    public func setDt(_ dt: Double) {
        segmentTime = time
        segmentStep = stepCount
        parameters.dt = dt
        record("dt", NumberFormat.g17(dt))
    }

    /// Changes N keeping the end-to-end W: downstairs nothing moves; upstairs W is refactored into
    /// N balanced factors (5.16).
    public func setDepth(_ requested: Int) throws(StepError) {
        // N = inf has no factors: the factor flows stop at the largest finite depth.
        let depth = requested == Lemma1.infiniteDepth && flow.kind.needsFiniteDepth ? Parameters.maxDepth : requested
        let w = endToEnd
        flow.knobs.depth = depth
        if depth == Lemma1.infiniteDepth { flow.knobs.timeScale = .depth; parameters.timeScale = .depth }
        if flow.isUpstairs { state = try flow.state(for: w) }
        parameters.depth = depth
        record("N", parameters.depthText)
    }

    /// Divides the generator by N (or not) from now on; N = inf stays depth-normalised.
    public func setTimeScale(_ scale: TimeScale) {
        let effective = parameters.isInfiniteDepth ? .depth : scale
        parameters.timeScale = effective
        flow.knobs.timeScale = effective
        record("time-scale", effective.rawValue)
    }

    /// A point of the trajectory to come back to (`restore`).
    public func checkpoint() -> SimulationCheckpoint {
        SimulationCheckpoint(state: state, step: stepCount, time: time, flow: flow.kind, depth: flow.knobs.depth)
    }

    /// Puts the trajectory back at `c`: state, step and time; the parameters in force now stay.
    /// The edits made after `c` are re-dated to its step, since their values now hold from there,
    /// and the rollback itself is logged. Refused (false) when the flow or N changed since `c`:
    /// its state would not fit.
    @discardableResult
    public func restore(_ c: SimulationCheckpoint) -> Bool {
        guard c.flow == flow.kind, c.depth == flow.knobs.depth,
              c.state.parts.count == state.parts.count else { return false }
        let from = stepCount
        state = c.state
        stepCount = c.step
        segmentStep = c.step
        segmentTime = c.time
        edits = edits.map { $0.step > c.step ? LiveEdit(step: c.step, parameter: $0.parameter, value: $0.value) : $0 }
        record("rollback", "from step \(from)")
        return true
    }

    /// Switches flow keeping the end-to-end W (factored in balance when going upstairs).
    public func setFlow(_ kind: FlowKind) throws(StepError) {
        let w = endToEnd
        var knobs = flow.knobs
        if kind == .buresWasserstein { knobs.depth = 2 }
        if knobs.isInfiniteDepth && kind.needsFiniteDepth { knobs.depth = Parameters.maxDepth }
        let next = kind.make(energy: energy, knobs: knobs)
        state = try next.state(for: w)
        flow = next
        parameters.flow = kind
        parameters.depth = knobs.depth
        record("flow", kind.rawValue)
    }
}

/// A saved state of a `Simulation` with its step and time, and the flow and depth it belongs to.
public struct SimulationCheckpoint: Sendable {
    public let state: FlowState
    public let step: Int
    public let time: Double
    public let flow: FlowKind
    public let depth: Int
}

/// What a renderer needs of a running simulation, copied out so it can cross threads.
public struct Snapshot: Sendable {
    public var observation: Observation
    public var endToEnd: Matrix
    public var parameters: Parameters
    /// ||G_p||_F per layer for the upstairs flows.
    public var balanceDefects: [Double]
    /// Measured by the worker over the last second.
    public var stepsPerSecond: Double
    /// ||Q_p - Q_p(start)||_F per layer for rle-upstairs (the gauge's motion); empty otherwise.
    public var gaugeDistances: [Double]

    public init(observation: Observation, endToEnd: Matrix, parameters: Parameters,
                balanceDefects: [Double], stepsPerSecond: Double, gaugeDistances: [Double] = []) {
        self.observation = observation
        self.endToEnd = endToEnd
        self.parameters = parameters
        self.balanceDefects = balanceDefects
        self.stepsPerSecond = stepsPerSecond
        self.gaugeDistances = gaugeDistances
    }
}

extension Simulation {
    public func snapshot(stepsPerSecond: Double = 0) throws(LinearAlgebraError) -> Snapshot {
        let o = try observe()
        return Snapshot(observation: o, endToEnd: endToEndBuffer, parameters: parameters,
                        balanceDefects: balanceDefects(), stepsPerSecond: stepsPerSecond,
                        gaugeDistances: (flow as? RLEUpstairsFlow)?.gaugeDistances() ?? [])
    }
}
