/// Explicit Euler for the drift and Euler-Maruyama for the noise:
/// x_{n+1} = retract(x_n + dt drift(x_n) + diffusion(x_n) dB), dB ~ N(0, dt) entrywise.
/// It steps any `Flow` (the only method here that steps one with a diffusion). A step whose result
/// is not finite is refused and the state left as it was.
public final class EulerMaruyama: Integrator {
    public let kind = IntegratorKind.euler
    @exclusivity(unchecked) public private(set) var evaluations = 0
    public var rejectedSteps: Int { 0 }

    /// The step's buffers, taken out of the object once per step and worked on as a local: class
    /// properties passed `inout` in the loops cost a dynamic exclusivity check per access.
    private struct Workspace {
        var evaluation = FlowEvaluation(drift: FlowState(parts: []), frame: nil)
        var candidate = FlowState(parts: [])
        var noise = FlowState(parts: [])
        var increment = FlowState(parts: [])
        var check = StepCheck()
        /// The flow the evaluation was made by (its frame is of that flow's type); held, so that its
        /// identity cannot pass to another object.
        var owner: AnyObject?
        /// The owner when it takes fused noiseless steps (cast once, at fit).
        var fused: FusedEulerStepping?

        /// Whether the buffers were made for this flow and states shaped like x.
        @inline(__always)
        func fits(_ x: FlowState, _ flow: any Flow) -> Bool {
            // Not `parts.first`: unspecialised (debug) code reads it through a heap-allocated coroutine.
            let n = x.parts.count
            return owner === flow && candidate.parts.count == n && (n == 0 || candidate.parts[0].rows == x.parts[0].rows)
        }

        mutating func fit(to x: FlowState, _ flow: any Flow) {
            if fits(x, flow) { return }
            owner = flow
            fused = flow as? FusedEulerStepping
            evaluation = flow.makeEvaluation(like: x)
            candidate = FlowState(zerosLike: x)
            noise = FlowState(zerosLike: x)
            increment = FlowState(zerosLike: x)
        }
    }
    @exclusivity(unchecked) private var workspace = Workspace()

    public init() {}

    public func step(_ flow: any Flow, _ x: inout FlowState, time t: Double, size dt: Double,
                     rng: inout Xoshiro256) throws(StepError) -> Double {
        try step(flow, &x, dt: dt, rng: &rng)
        return dt
    }

    public func step(_ flow: any Flow, _ x: inout FlowState, dt: Double, rng: inout Xoshiro256) throws(StepError) {
        // A fused step works on the workspace in place: taking it out and putting it back (below)
        // costs a release per buffer, as much as the whole 2 x 2 step's arithmetic.
        if let fused = workspace.fused, workspace.fits(x, flow),
           try fused.fusedEulerStep(x, dt: dt, into: &workspace.candidate) {
            evaluations += 1
            swap(&x, &workspace.candidate)
            return
        }
        var w = Workspace()
        swap(&w, &workspace)
        defer { swap(&w, &workspace) }
        evaluations += 1
        try Self.step(flow, &x, dt: dt, rng: &rng, &w)
    }

    private static func step(
        _ flow: any Flow, _ x: inout FlowState, dt: Double, rng: inout Xoshiro256, _ w: inout Workspace
    ) throws(StepError) {
        w.fit(to: x, flow)
        if let fused = w.fused, try fused.fusedEulerStep(x, dt: dt, into: &w.candidate) {
            swap(&x, &w.candidate)
            return
        }
        if flow.hasDiffusion {
            let s = dt.squareRoot()
            for p in 0..<w.noise.parts.count {
                rng.fillGaussian(&w.noise.parts[p], scale: s)
            }
            try flow.evaluate(at: x, dt: dt, noise: w.noise, into: &w.evaluation, increment: &w.increment)
            for p in 0..<x.parts.count { w.candidate.parts[p].setSum(x.parts[p], w.increment.parts[p], scaledBy: 1) }
        } else {
            try flow.evaluate(at: x, into: &w.evaluation)
            for p in 0..<x.parts.count {
                // One pass (x + dt v), not a copy then an add: the copy was 4% of an upstairs step at d = 64.
                w.candidate.parts[p].setSum(x.parts[p], w.evaluation.drift.parts[p], scaledBy: dt)
            }
        }
        try flow.retract(&w.candidate, from: w.evaluation)
        try w.check.check(w.candidate, from: x, flow)
        swap(&x, &w.candidate)
    }
}
