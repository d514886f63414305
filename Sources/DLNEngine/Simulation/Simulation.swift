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

/// One run of the DLN: problem, energy, flow, integrator, state and the noise stream, wired
/// together (Diffrax's `diffeqsolve`). Not thread-safe: one thread owns it; a renderer on
/// another thread reads `Snapshot`s that the owner publishes.
public final class Simulation: @unchecked Sendable {
    /// The parameters in force. Every write re-derives the flow's knobs (`Parameters.knobs`): they
    /// are never set on their own, so the flow integrates what the panel and the sidecar show.
    @exclusivity(unchecked) public internal(set) var parameters: Parameters { didSet { flow.knobs = parameters.knobs } }
    /// The parameters the run started from (preset and flags, with d fixed by a target file and
    /// the time scale in force).
    public let start: Parameters
    public let problem: Problem
    public let energy: any Energy
    /// What the errors are measured against; nil where the problem has no clean target.
    public let groundTruth: GroundTruth?
    public internal(set) var flow: any Flow
    // The hot properties of `advance` skip the dynamic exclusivity check (@exclusivity(unchecked)):
    // one thread owns a simulation, and the checks were 7 a step, ~560 instructions at d = 2
    // (callgrind), more than the 2 x 2 step's arithmetic.
    @exclusivity(unchecked) public internal(set) var state: FlowState
    @exclusivity(unchecked) public private(set) var stepCount = 0
    /// t = segmentTime + (stepCount - segmentStep) dt while every step is dt: exact multiples of dt
    /// rather than a running sum, restarted whenever dt changes and after every step of another size
    /// (an adaptive step, a step shortened to land on a time), which then advances t by its size.
    public var time: Double { segmentTime + Double(stepCount - segmentStep) * parameters.dt }
    var segmentTime = 0.0
    var segmentStep = 0
    /// The session's log: every edit, forced change, rollback and refused step, in order.
    public internal(set) var edits: [LiveEdit] = []
    /// The N last asked for (at the start or by an N edit): a flow that needs another N gets it,
    /// and the next flow change goes back to this one where that flow allows it.
    var requestedDepth: Depth
    /// The W a flow change replaced (the flow could not keep it) and the step it happened at: the
    /// next flow change puts it back if no step was taken in between; `by`: the flow that replaced it.
    var replacedW: (step: Int, w: Matrix, by: FlowKind)?
    @exclusivity(unchecked) private var noise: Xoshiro256
    /// The scheme in force (`parameters.integrator`).
    public internal(set) var integrator: any Integrator { didSet { euler = integrator as? EulerMaruyama } }
    /// The size of the last step taken (dt before the first).
    @exclusivity(unchecked) public private(set) var lastStepSize: Double
    /// `integrator` when it is Euler's, for the plain step's fast path.
    @exclusivity(unchecked) private var euler: EulerMaruyama?
    /// Steps a flow with a diffusion when the scheme in force cannot (a live edit made the flow noisy).
    private lazy var noisyIntegrator = EulerMaruyama()
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
        self.start = params
        self.requestedDepth = params.depth
        self.problem = problem
        self.energy = problem.makeEnergy()
        self.groundTruth = GroundTruth(problem: problem)
        self.flow = params.flow.make(energy: energy, knobs: params.knobs, lifted: params.stepsBalancedFactors)
        if params.flow == .upstairs {
            state = FlowState(parts: factors)
        } else {
            // Every other flow starts from the same end-to-end W, in its own coordinates.
            do { state = try flow.state(for: Initialization.product(factors)) } catch {
                if case .linearAlgebra(let e) = error { throw .linearAlgebra(e) }
                throw .linearAlgebra(.nonFiniteInput)
            }
        }
        noise = Xoshiro256(seed: RandomStreams.noise(params.startSeed))
        integrator = params.integrator.make(tolerances: params.tolerances, initialStep: params.dt)
        euler = integrator as? EulerMaruyama
        lastStepSize = params.dt
        observer = Observer(size: problem.size)
        endToEndBuffer = .zeros(problem.size)
        balanceG = .zeros(problem.size)
        balanceH = .zeros(problem.size)
    }

    /// The integrator that takes the next step: the one in force, or Euler-Maruyama when the flow
    /// has a diffusion that scheme does not handle (or its scheme is part of its definition).
    public var steppingIntegrator: any Integrator {
        integrator.kind.handlesDiffusion || !(flow.hasDiffusion || flow.kind.isEulerOnly) ? integrator : noisyIntegrator
    }

    /// `n` steps of the fixed step dt, as `n` calls of `advance()` would take them (the same
    /// states, counts and noise), with the flow and the scheme held for the whole run of steps: a
    /// study member's steps between two rows (at d = 2 the per-step calls and schedule checks
    /// around a 250 ns step were a fifth of it). A refused step throws with the steps before it taken.
    public func advance(steps n: Int) throws(StepError) {
        guard n > 0 else { return }
        guard let euler else {
            for _ in 0..<n { _ = try advance() }
            return
        }
        let flow = self.flow, dt = parameters.dt
        for _ in 0..<n {
            try euler.step(flow, &state, dt: dt, rng: &noise)
            lastStepSize = dt
            stepCount += 1
        }
    }

    /// One accepted step (dt, or the adaptive method's choice), shortened to land exactly on
    /// `landing` when it would pass it; true when it landed there (time is then exactly `landing`).
    /// On error the state, step count and time are unchanged.
    @discardableResult
    public func advance(landingAt landing: Double? = nil) throws(StepError) -> Bool {
        // The plain Euler step, as it always was: dt, and time a multiple of dt.
        if landing == nil, let euler {
            try euler.step(flow, &state, dt: parameters.dt, rng: &noise)
            lastStepSize = parameters.dt
            stepCount += 1
            return false
        }
        let t = time
        let stepper = steppingIntegrator
        let dt = parameters.dt
        var limit = Double.infinity
        if let landing, landing > t { limit = landing - t }
        let h: Double
        if stepper.kind.isAdaptive {
            h = try stepper.step(flow, &state, time: t, size: limit, rng: &noise)
        } else {
            // A step within 1e-9 dt of the landing lands there too (no sliver of a step after it).
            h = try stepper.step(flow, &state, time: t, size: limit < dt * (1 + 1e-9) ? limit : dt, rng: &noise)
        }
        stepCount += 1
        lastStepSize = h
        let landed = h == limit
        if landed || h != dt || stepper.kind.isAdaptive {
            segmentTime = landed && landing != nil ? landing! : t + h
            segmentStep = stepCount
        }
        return landed
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
        var o = try observer.observe(
            endToEnd: endToEndBuffer, factors: flow.stepsFactors ? state.parts : nil, energy: energy,
            depth: parameters.depth, beta: parameters.beta, scale: problem.scale,
            rankTolerance: parameters.rankTol, step: stepCount, time: time)
        // The dyson flow returned above: its eigenvalues have no target to be compared with.
        if let truth = groundTruth {
            o.error = truth.error(endToEndBuffer)
            o.errorUnobserved = truth.unobservedError(endToEndBuffer)
        }
        return o
    }

    /// ||G_p||_F per layer, p = 1 ... N-1 (empty downstairs; for the riemannian flow stepped in balanced
    /// factors, theirs: zero up to rounding and the integrator's error, which it watches).
    public func balanceDefects() -> [Double] {
        flow.stepsFactors ? Observables.balanceDefects(state.parts, g: &balanceG, h: &balanceH) : []
    }

    /// A point of the trajectory to come back to (`restore`).
    public func checkpoint() -> SimulationCheckpoint {
        SimulationCheckpoint(state: state, step: stepCount, time: time, flow: flow.kind, depth: parameters.depth)
    }

    /// Puts the trajectory back at `c`: state, step and time; the parameters in force now stay
    /// (the flow's own caches are rebuilt from the state at the next step). The rollback is logged
    /// at the step it happened, with the step it went back to, so a replay can redo it. Refused
    /// (false) when the flow or N changed since `c`: its state would not fit.
    @discardableResult
    public func restore(_ c: SimulationCheckpoint) -> Bool {
        guard c.flow == flow.kind, c.depth == parameters.depth,
              c.state.parts.count == state.parts.count else { return false }
        edits.append(LiveEdit(step: stepCount, parameter: LiveEdit.rollback, value: .integer(c.step)))
        state = c.state
        stepCount = c.step
        segmentStep = c.step
        segmentTime = c.time
        replacedW = nil
        return true
    }
}

/// A saved state of a `Simulation` with its step and time, and the flow and depth it belongs to.
public struct SimulationCheckpoint: Sendable {
    public let state: FlowState
    public let step: Int
    public let time: Double
    public let flow: FlowKind
    public let depth: Depth
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
    /// The scheme that takes the steps (Euler-Maruyama for a flow with noise, whatever is asked),
    /// the last step's size and the attempts its error control rejected (dopri5).
    public var stepping: IntegratorKind
    public var stepSize: Double
    public var rejectedSteps: Int

    public init(observation: Observation, endToEnd: Matrix, parameters: Parameters,
                balanceDefects: [Double], stepsPerSecond: Double, gaugeDistances: [Double] = [],
                stepping: IntegratorKind? = nil, stepSize: Double? = nil, rejectedSteps: Int = 0) {
        self.stepping = stepping ?? parameters.integrator
        self.stepSize = stepSize ?? parameters.dt
        self.rejectedSteps = rejectedSteps
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
                        gaugeDistances: (flow as? RLEUpstairsFlow)?.gaugeDistances() ?? [],
                        stepping: steppingIntegrator.kind, stepSize: lastStepSize,
                        rejectedSteps: steppingIntegrator.rejectedSteps)
    }
}
