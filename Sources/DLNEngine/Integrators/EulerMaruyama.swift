import Foundation

/// Explicit Euler for the drift and Euler-Maruyama for the noise:
/// x_{n+1} = retract(x_n + dt drift(x_n) + diffusion(x_n) dB), dB ~ N(0, dt) entrywise.
/// It steps any `Flow`. A step whose result is not finite is refused and the state left as it was.
public final class EulerMaruyama {
    /// The Frobenius norm of a state part beyond which a step counts as diverged.
    public static let divergenceBound = 1e100
    /// The growth of a part's norm in one step beyond which the step counts as diverged.
    public static let jumpFactor = 1e3

    /// The step's buffers, taken out of the object once per step and worked on as a local: class
    /// properties passed `inout` in the loops cost a dynamic exclusivity check per access.
    private struct Workspace {
        var velocity = FlowState(parts: [])
        var noise = FlowState(parts: [])
        var increment = FlowState(parts: [])
        var candidate = FlowState(parts: [])
        var product = Matrix.zeros(0)

        mutating func fit(to x: FlowState) {
            // Not `parts.first`: unspecialised (debug) code reads it through a heap-allocated coroutine.
            let n = x.parts.count
            guard velocity.parts.count != n || (n > 0 && velocity.parts[0].rows != x.parts[0].rows) else { return }
            velocity = FlowState(zerosLike: x)
            noise = FlowState(zerosLike: x)
            increment = FlowState(zerosLike: x)
            candidate = FlowState(zerosLike: x)
        }
    }
    private var workspace = Workspace()

    public init() {}

    public func step(_ flow: any Flow, _ x: inout FlowState, dt: Double, rng: inout Xoshiro256) throws(StepError) {
        var w = Workspace()
        swap(&w, &workspace)
        defer { swap(&w, &workspace) }
        try Self.step(flow, &x, dt: dt, rng: &rng, &w)
    }

    private static func step(
        _ flow: any Flow, _ x: inout FlowState, dt: Double, rng: inout Xoshiro256, _ w: inout Workspace
    ) throws(StepError) {
        w.fit(to: x)
        try flow.prepare(at: x)
        if flow.hasDiffusion {
            let s = dt.squareRoot()
            for p in 0..<w.increment.parts.count {
                rng.fillGaussian(&w.increment.parts[p], scale: s)
            }
            flow.increment(at: x, dt: dt, noise: w.increment, into: &w.velocity, scratch: &w.noise)
            for p in 0..<x.parts.count { w.candidate.parts[p].setSum(x.parts[p], w.velocity.parts[p], scaledBy: 1) }
        } else {
            flow.drift(at: x, into: &w.velocity)
            for p in 0..<x.parts.count {
                // One pass (x + dt v), not a copy then an add: the copy was 4% of an upstairs step at d = 64.
                w.candidate.parts[p].setSum(x.parts[p], w.velocity.parts[p], scaledBy: dt)
            }
        }
        try flow.retract(&w.candidate)
        // One pass over each part of the result: a NaN or infinite entry makes its sum of squares
        // non-finite; past `divergenceBound` the energy or sigma^2 would overflow in the observables.
        // Parts are checked one by one: a product bound over N factors would refuse deep (N = 200)
        // products that are in fact small.
        var logBound = 0.0
        for p in 0..<w.candidate.parts.count {
            let squares = w.candidate.parts[p].sumOfSquares
            guard squares.isFinite else { throw .nonFinite(quantity: Self.name(ofPart: p, flow)) }
            guard squares <= Self.divergenceBound * Self.divergenceBound else {
                throw .diverged(quantity: Self.name(ofPart: p, flow))
            }
            // A part whose norm jumps by more than `jumpFactor` in one step (beyond the scale
            // sqrt(d) of an orthogonal matrix) is an unstable step, not dynamics: refused while the
            // state is still a good one, so that lowering dt can resume from it.
            let scale = max(x.parts[p].sumOfSquares, Double(x.parts[p].rows))
            guard squares <= Self.jumpFactor * Self.jumpFactor * scale else {
                throw .diverged(quantity: Self.name(ofPart: p, flow))
            }
            logBound += 0.5 * log(squares)
        }
        // The product of the factors' norms bounds ||W||_F. Only when that bound is passed is the
        // product formed (deep or large factors), so that W itself cannot overflow unnoticed.
        if w.candidate.parts.count > 1 && logBound > log(Self.divergenceBound) {
            if w.product.rows != w.candidate.parts[0].rows { w.product = .zeros(w.candidate.parts[0].rows) }
            flow.endToEnd(w.candidate, into: &w.product)
            let norm = w.product.frobeniusNorm
            guard norm.isFinite else { throw .nonFinite(quantity: "end-to-end W") }
            guard norm <= Self.divergenceBound else { throw .diverged(quantity: "end-to-end W") }
        }
        swap(&x, &w.candidate)
    }

    /// Built only when a step fails: string interpolation on every step cost 6% at d = 4.
    private static func name(ofPart p: Int, _ flow: any Flow) -> String {
        flow.isUpstairs ? "factor W_\(p + 1)" : "W"
    }
}
