/// Heun's method (the explicit trapezoidal rule), order 2:
/// k1 = f(x), k2 = f(x + h k1), x' = x + (h/2)(k1 + k2). Deterministic flows only.
public final class Heun: Integrator {
    public let kind = IntegratorKind.heun
    public private(set) var evaluations = 0
    public var rejectedSteps: Int { 0 }
    private var buffers = StageBuffers()

    public init() {}

    public func step(_ flow: any Flow, _ x: inout FlowState, time t: Double, size h: Double,
                     rng: inout Xoshiro256) throws(StepError) -> Double {
        var b = StageBuffers()
        swap(&b, &buffers)
        defer { swap(&b, &buffers) }
        b.fit(stages: 2, to: x, flow)
        evaluations += 2
        try flow.evaluate(at: x, into: &b.evaluations[0])
        b.stage.setStage(x, h, 1, b.evaluations[0].drift)
        try flow.evaluate(at: b.stage, into: &b.evaluations[1])
        b.candidate.setStage(x, h, 0.5, b.evaluations[0].drift)
        b.candidate.addStage(h, 0.5, b.evaluations[1].drift)
        try flow.retract(&b.candidate, from: b.evaluations[0])
        try b.check.check(b.candidate, from: x, flow)
        swap(&x, &b.candidate)
        return h
    }
}
