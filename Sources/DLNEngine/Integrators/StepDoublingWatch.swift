import Foundation

/// The honest warning for a forced fixed step (euler, heun, rk4): every `stride` accepted steps
/// (every `earlyStride` over the first `stride`: a small start's escape can be over by step 100,
/// as the 2 x 2 problem's is at dt 0.05, where euler's 9% on the riemannian flow went unseen),
/// step doubling on a copy of the state (one step of 2h against two of h, Richardson: the local
/// error of the two h steps is about their difference / (2^p - 1)) estimates the error one step
/// makes in each singular value; that per-step error times the steps since the last check is
/// added up over the run. Once some sigma_k's accumulated error, relative to
/// max(sigma_k, the rank tolerance x the problem's scale), passes `threshold`, `check` returns the
/// warning, once. The run's own state, step count, time and noise are never touched, so its rows
/// are what they would be without the watch. Three extra steps and two SVDs per check.
public final class StepDoublingWatch {
    public static let stride = 100
    public static let earlyStride = 10
    public static let threshold = 0.01

    public private(set) var warned = false
    /// The accumulated relative error per sigma_k, and the largest seen (for tests and messages).
    public private(set) var accumulated: [Double] = []
    private var lastCheck = 0
    private var single = FlowState(parts: [])
    private var double = FlowState(parts: [])
    private var product = Matrix.zeros(0)
    private var svd: SVD?
    private var stepper: (any Integrator)?
    /// A flow of its own: a flow may keep caches from its last evaluation (a tracked SVD frame),
    /// which evaluations at the copy must not disturb.
    private var flow: (any Flow)?
    private var rng = Xoshiro256(seed: 0)

    public init() {}

    /// Whether the watch applies: a fixed-step method on a flow without noise.
    public static func applies(to sim: Simulation) -> Bool {
        let kind = sim.steppingIntegrator.kind
        return !kind.isAdaptive && !sim.flow.hasDiffusion && !sim.flow.kind.isEulerOnly
    }

    /// Called after every accepted step; the warning text the first time the estimate passes 1%.
    public func check(_ sim: Simulation, hint: String = "try --integrator dopri5") -> String? {
        let due = sim.stepCount <= Self.stride ? Self.earlyStride : Self.stride
        guard !warned, sim.stepCount - lastCheck >= due || sim.stepCount < lastCheck else { return nil }
        let span = max(1, sim.stepCount - lastCheck)
        lastCheck = sim.stepCount
        guard Self.applies(to: sim) else { return nil }
        let kind = sim.steppingIntegrator.kind
        let h = sim.parameters.dt
        guard let (coarse, fine) = try? sigmas(sim, kind: kind, h: h) else { return nil }
        let order = Double(Self.order(kind))
        let floor = sim.parameters.rankTol * sim.problem.scale
        if accumulated.count != fine.count { accumulated = Array(repeating: 0, count: fine.count) }
        for k in 0..<fine.count {
            // Two h steps' error ~ (fine - coarse) / (2^p - 1); one step's about half of it.
            let perStep = abs(fine[k] - coarse[k]) / (pow(2, order) - 1) / 2
            accumulated[k] += perStep * Double(span) / max(fine[k], floor)
        }
        guard let worst = accumulated.indices.max(by: { accumulated[$0] < accumulated[$1] }),
              accumulated[worst] > Self.threshold else { return nil }
        warned = true
        let percent = accumulated[worst] * 100
        let shown = percent >= 10 ? String(format: "%.0f", percent) : String(format: "%.1f", percent)
        return "dt = \(NumberFormat.short(h)) is too large for this flow here: estimated error \(shown)% in sigma_\(worst + 1) "
            + "by t = \(NumberFormat.brief(sim.time)) (step doubling every \(due) steps); \(hint)"
    }

    /// The singular values after one step of 2h and after two of h, both from the current state.
    private func sigmas(_ sim: Simulation, kind: IntegratorKind, h: Double) throws -> ([Double], [Double]) {
        if stepper?.kind != kind { stepper = kind.make() }
        let lifted = sim.flow is BalancedRiemannianFlow
        if flow == nil || flow!.kind != sim.flow.kind || flow!.knobs != sim.flow.knobs || (flow! is BalancedRiemannianFlow) != lifted {
            flow = sim.flow.kind.make(energy: sim.energy, knobs: sim.flow.knobs, lifted: lifted)
        }
        let flow = flow!
        let d = sim.problem.size
        if svd == nil || product.rows != d { svd = SVD(size: d); product = .zeros(d) }
        single = sim.state
        double = sim.state
        _ = try stepper!.step(flow, &single, time: sim.time, size: 2 * h, rng: &rng)
        _ = try stepper!.step(flow, &double, time: sim.time, size: h, rng: &rng)
        _ = try stepper!.step(flow, &double, time: sim.time + h, size: h, rng: &rng)
        flow.endToEnd(single, into: &product)
        try svd!.decompose(product)
        let coarse = svd!.sigma
        flow.endToEnd(double, into: &product)
        try svd!.decompose(product)
        return (coarse, svd!.sigma)
    }

    static func order(_ kind: IntegratorKind) -> Int {
        switch kind {
        case .euler: return 1
        case .heun: return 2
        case .rk4: return 4
        case .dopri5: return 5
        }
    }
}
