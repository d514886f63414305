/// The Dormand-Prince 5(4) pair (Hairer, Norsett, Wanner, Solving ODEs I, II.5, table 5.2): seven
/// stages, the fifth-order solution propagated, the embedded fourth-order one giving the error;
/// first same as last (the last stage is f at the new state, the next step's first), and a PI
/// step-size controller (`StepSizeController`). The scaled error runs over every entry of every
/// part of the state: sqrt(mean((err_i / (atol + rtol max(|x_i|, |x_i'|)))^2)). A rejected attempt
/// is retried smaller; a size below `StepSizeController.floor` throws `.stepSizeCollapsed`.
/// Deterministic flows only.
public final class DormandPrince5: Integrator {
    public let kind = IntegratorKind.dopri5
    public var tolerances: Tolerances
    /// The size the next attempt will have, before any clipping to a landing time.
    public private(set) var proposedStep: Double
    public private(set) var evaluations = 0
    public private(set) var rejectedSteps = 0
    private var controller = StepSizeController(errorOrder: 5)

    private struct Workspace {
        var buffers = StageBuffers()
        var error = FlowState(parts: [])
        /// The state, flow knobs and flow the FSAL stage was evaluated at: reused only if all still hold.
        var lastState = FlowState(parts: [])
        var lastKnobs: FlowKnobs?
        var lastFlow: AnyObject?
    }
    private var workspace = Workspace()

    // The tableau (c_i = sum_j a_ij).
    static let a21 = 1.0 / 5
    static let a31 = 3.0 / 40, a32 = 9.0 / 40
    static let a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9
    static let a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729
    static let a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176, a65 = -5103.0 / 18656
    // The fifth-order weights b_i, also the last stage's row (a_7i = b_i, b_2 = 0).
    static let b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84
    // b_i - b*_i, the error weights (e_2 = 0).
    static let e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200, e6 = 22.0 / 525, e7 = -1.0 / 40

    public init(tolerances: Tolerances, initialStep: Double) {
        self.tolerances = tolerances
        proposedStep = initialStep
    }

    /// Sets the size of the next attempt (e.g. `--dt`, or after a live edit).
    public func propose(_ h: Double) { proposedStep = h }

    public func step(_ flow: any Flow, _ x: inout FlowState, time t: Double, size limit: Double,
                     rng: inout Xoshiro256) throws(StepError) -> Double {
        var w = Workspace()
        swap(&w, &workspace)
        defer { swap(&w, &workspace) }
        if w.buffers.fit(stages: 7, to: x, flow) {
            w.error = FlowState(zerosLike: x)
            w.lastState = FlowState(zerosLike: x)
            w.lastFlow = nil
        }
        // FSAL: k1 is the last step's k7 if that was evaluated at this very state, flow and knobs.
        if !(w.lastFlow === flow && w.lastKnobs == flow.knobs && w.lastState == x) {
            try flow.evaluate(at: x, into: &w.buffers.evaluations[0])
            evaluations += 1
        }
        w.lastFlow = nil
        while true {
            // Clipped to land exactly on the limit; a proposal within 1e-9 of it lands there too.
            let landing = proposedStep >= limit * (1 - 1e-9)
            let h = landing ? limit : proposedStep
            // The controller's size, not the clipped one: a short step that lands on a requested
            // time (--every-time, --until-time) is not a collapse.
            guard proposedStep >= StepSizeController.floor(at: t) else { throw .stepSizeCollapsed(time: t, size: proposedStep) }
            let error = attempt(flow, x, h, &w)
            if error <= 1 {
                do { try w.buffers.check.check(w.buffers.candidate, from: x, flow) } catch {
                    rejectedSteps += 1
                    proposedStep = controller.rejected(size: h, error: .infinity)
                    continue
                }
                let next = controller.accepted(size: h, error: error)
                // A step shortened to land keeps the proposal it interrupted, unless the error asks for less.
                proposedStep = landing && h < proposedStep ? max(next, proposedStep) : next
                swap(&x, &w.buffers.candidate)
                w.buffers.evaluations.withUnsafeMutableBufferPointer { $0.swapAt(0, 6) }
                w.lastState.copyParts(from: x)
                w.lastKnobs = flow.knobs
                w.lastFlow = flow
                return h
            }
            rejectedSteps += 1
            proposedStep = controller.rejected(size: h, error: error)
        }
    }

    /// Stages 2-7 from k1 (in evaluations[0]) at step size h; the candidate in `buffers.candidate`;
    /// returns the scaled error (infinity when a stage could not be evaluated or is not finite).
    private func attempt(_ flow: any Flow, _ x: FlowState, _ h: Double, _ w: inout Workspace) -> Double {
        let k = Self.self
        do {
            w.buffers.stage.setStage(x, h, k.a21, w.buffers.evaluations[0].drift)
            try flow.evaluate(at: w.buffers.stage, into: &w.buffers.evaluations[1])
            w.buffers.stage.setStage(x, h, k.a31, w.buffers.evaluations[0].drift)
            w.buffers.stage.addStage(h, k.a32, w.buffers.evaluations[1].drift)
            try flow.evaluate(at: w.buffers.stage, into: &w.buffers.evaluations[2])
            w.buffers.stage.setStage(x, h, k.a41, w.buffers.evaluations[0].drift)
            w.buffers.stage.addStage(h, k.a42, w.buffers.evaluations[1].drift)
            w.buffers.stage.addStage(h, k.a43, w.buffers.evaluations[2].drift)
            try flow.evaluate(at: w.buffers.stage, into: &w.buffers.evaluations[3])
            w.buffers.stage.setStage(x, h, k.a51, w.buffers.evaluations[0].drift)
            w.buffers.stage.addStage(h, k.a52, w.buffers.evaluations[1].drift)
            w.buffers.stage.addStage(h, k.a53, w.buffers.evaluations[2].drift)
            w.buffers.stage.addStage(h, k.a54, w.buffers.evaluations[3].drift)
            try flow.evaluate(at: w.buffers.stage, into: &w.buffers.evaluations[4])
            w.buffers.stage.setStage(x, h, k.a61, w.buffers.evaluations[0].drift)
            w.buffers.stage.addStage(h, k.a62, w.buffers.evaluations[1].drift)
            w.buffers.stage.addStage(h, k.a63, w.buffers.evaluations[2].drift)
            w.buffers.stage.addStage(h, k.a64, w.buffers.evaluations[3].drift)
            w.buffers.stage.addStage(h, k.a65, w.buffers.evaluations[4].drift)
            try flow.evaluate(at: w.buffers.stage, into: &w.buffers.evaluations[5])
            w.buffers.candidate.setStage(x, h, k.b1, w.buffers.evaluations[0].drift)
            w.buffers.candidate.addStage(h, k.b3, w.buffers.evaluations[2].drift)
            w.buffers.candidate.addStage(h, k.b4, w.buffers.evaluations[3].drift)
            w.buffers.candidate.addStage(h, k.b5, w.buffers.evaluations[4].drift)
            w.buffers.candidate.addStage(h, k.b6, w.buffers.evaluations[5].drift)
            evaluations += 5
            try flow.evaluate(at: w.buffers.candidate, into: &w.buffers.evaluations[6])
            evaluations += 1
        } catch {
            return .infinity
        }
        // err = h sum_i e_i k_i, scaled entry by entry.
        var sum = 0.0, count = 0
        let atol = tolerances.absolute, rtol = tolerances.relative
        for p in 0..<x.parts.count {
            w.error.parts[p].setSum(w.buffers.evaluations[0].drift.parts[p], w.buffers.evaluations[2].drift.parts[p], scaledBy: k.e3 / k.e1)
            w.error.parts[p].add(w.buffers.evaluations[3].drift.parts[p], scaledBy: k.e4 / k.e1)
            w.error.parts[p].add(w.buffers.evaluations[4].drift.parts[p], scaledBy: k.e5 / k.e1)
            w.error.parts[p].add(w.buffers.evaluations[5].drift.parts[p], scaledBy: k.e6 / k.e1)
            w.error.parts[p].add(w.buffers.evaluations[6].drift.parts[p], scaledBy: k.e7 / k.e1)
            let scale = h * k.e1
            x.parts[p].storage.withUnsafeBufferPointer { x0 in
                w.buffers.candidate.parts[p].storage.withUnsafeBufferPointer { x1 in
                    w.error.parts[p].storage.withUnsafeBufferPointer { e in
                        for i in 0..<e.count {
                            let r = scale * e[i] / (atol + rtol * max(abs(x0[i]), abs(x1[i])))
                            sum += r * r
                        }
                    }
                }
            }
            count += x.parts[p].count
        }
        let norm = (sum / Double(max(count, 1))).squareRoot()
        return norm.isNaN ? .infinity : norm
    }
}

extension FlowState {
    /// Copies every part's entries (shapes must match).
    mutating func copyParts(from other: FlowState) {
        for p in 0..<parts.count { parts[p].copy(from: other.parts[p]) }
    }
}
