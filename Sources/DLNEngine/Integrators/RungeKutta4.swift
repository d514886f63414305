/// The classical Runge-Kutta method, order 4:
/// k1 = f(x), k2 = f(x + h k1/2), k3 = f(x + h k2/2), k4 = f(x + h k3),
/// x' = x + (h/6)(k1 + 2 k2 + 2 k3 + k4). Deterministic flows only.
public final class RungeKutta4: Integrator {
    public let kind = IntegratorKind.rk4
    public private(set) var evaluations = 0
    public var rejectedSteps: Int { 0 }
    private var buffers = StageBuffers()

    public init() {}

    public func step(_ flow: any Flow, _ x: inout FlowState, time t: Double, size h: Double,
                     rng: inout Xoshiro256) throws(StepError) -> Double {
        var b = StageBuffers()
        swap(&b, &buffers)
        defer { swap(&b, &buffers) }
        b.fit(stages: 4, to: x, flow)
        evaluations += 4
        try flow.evaluate(at: x, into: &b.evaluations[0])
        b.stage.setStage(x, h, 0.5, b.evaluations[0].drift)
        try flow.evaluate(at: b.stage, into: &b.evaluations[1])
        b.stage.setStage(x, h, 0.5, b.evaluations[1].drift)
        try flow.evaluate(at: b.stage, into: &b.evaluations[2])
        b.stage.setStage(x, h, 1, b.evaluations[2].drift)
        try flow.evaluate(at: b.stage, into: &b.evaluations[3])
        b.candidate.setStage(x, h, 1.0 / 6, b.evaluations[0].drift)
        b.candidate.addStage(h, 1.0 / 3, b.evaluations[1].drift)
        b.candidate.addStage(h, 1.0 / 3, b.evaluations[2].drift)
        b.candidate.addStage(h, 1.0 / 6, b.evaluations[3].drift)
        try flow.retract(&b.candidate, from: b.evaluations[0])
        try b.check.check(b.candidate, from: x, flow)
        swap(&x, &b.candidate)
        return h
    }
}
