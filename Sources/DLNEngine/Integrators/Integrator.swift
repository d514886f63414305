import Foundation

/// The stepping schemes (`--integrator`): adding one is a file in this folder and a case here.
public enum IntegratorKind: String, CaseIterable, Sendable {
    /// Explicit Euler, Euler-Maruyama with noise: order 1 (order 1/2 strong with noise).
    case euler
    /// Heun's method, the explicit trapezoidal rule: order 2.
    case heun
    /// The classical Runge-Kutta method: order 4.
    case rk4
    /// The Dormand-Prince 5(4) pair with FSAL and a PI step-size controller: adaptive.
    case dopri5

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Whether the method chooses its own step sizes (`--rtol`, `--atol`); `--dt` is then its first step.
    public var isAdaptive: Bool { self == .dopri5 }

    /// Only Euler-Maruyama is implemented (and tested) for a flow with a diffusion.
    public var handlesDiffusion: Bool { self == .euler }

    public func make(tolerances: Tolerances = Tolerances(), initialStep: Double = 0.05) -> any Integrator {
        switch self {
        case .euler: return EulerMaruyama()
        case .heun: return Heun()
        case .rk4: return RungeKutta4()
        case .dopri5: return DormandPrince5(tolerances: tolerances, initialStep: initialStep)
        }
    }
}

/// An adaptive method's tolerances: a step is accepted when its error estimate, entry by entry of
/// every part of the state, is within atol + rtol max(|x_i|, |x_i'|) in root mean square.
public struct Tolerances: Equatable, Sendable {
    public var relative: Double
    public var absolute: Double
    public init(relative: Double = 1e-6, absolute: Double = 1e-9) {
        self.relative = relative
        self.absolute = absolute
    }
}

/// A scheme that advances a `Flow`'s state (Diffrax's solvers): it evaluates the flow where it needs
/// to, combines the evaluations, retracts the result onto the flow's manifold, and refuses a step
/// whose result is not finite (`StepCheck`), leaving the state as it was. Owns its buffers, so a
/// step allocates nothing; one thread at a time.
public protocol Integrator: AnyObject {
    var kind: IntegratorKind { get }
    /// One accepted step from x at time t, and its size. A fixed-step method steps by exactly `size`;
    /// an adaptive one by its own choice, never more than `size` (pass `.infinity` for no limit), after
    /// as many rejected attempts as it needs.
    func step(_ flow: any Flow, _ x: inout FlowState, time t: Double, size: Double,
              rng: inout Xoshiro256) throws(StepError) -> Double
    /// Attempts rejected by the error control since the start (0 for a fixed-step method).
    var rejectedSteps: Int { get }
    /// Evaluations of the flow since the start.
    var evaluations: Int { get }
}

/// The checks every integrator makes on a step's result before accepting it.
public struct StepCheck {
    /// The Frobenius norm of a state part beyond which a step counts as diverged.
    public static let divergenceBound = 1e100
    /// The growth of a part's norm in one step beyond which the step counts as diverged.
    public static let jumpFactor = 1e3

    private var product = Matrix.zeros(0)

    public init() {}

    /// Throws unless every part of `candidate` is finite, within `divergenceBound`, and no part grew
    /// more than `jumpFactor`-fold from x.
    public mutating func check(_ candidate: FlowState, from x: FlowState, _ flow: any Flow) throws(StepError) {
        // One pass over each part of the result: a NaN or infinite entry makes its sum of squares
        // non-finite; past `divergenceBound` the energy or sigma^2 would overflow in the observables.
        // Parts are checked one by one: a product bound over N factors would refuse deep (N = 200)
        // products that are in fact small.
        // log of the product of the norms, kept as a product of squares folded into the log only when
        // it leaves [2^-600, 2^600]: a log per part per step was 10% of a 2 x 2 step (callgrind).
        var logBound = 0.0, squaresProduct = 1.0, folded = false
        for p in 0..<candidate.parts.count {
            let squares = candidate.parts[p].sumOfSquares
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
            squaresProduct *= squares
            if !(squaresProduct >= 0x1p-600 && squaresProduct <= 0x1p600) {
                logBound += 0.5 * log(squaresProduct)
                squaresProduct = 1
                folded = true
            }
        }
        // The product of the factors' norms bounds ||W||_F. Only when that bound is passed is the
        // product formed (deep or large factors), so that W itself cannot overflow unnoticed.
        let passed = folded
            ? logBound + 0.5 * log(squaresProduct) > log(Self.divergenceBound)
            : squaresProduct > Self.divergenceBound * Self.divergenceBound
        if candidate.parts.count > 1 && passed {
            if product.rows != candidate.parts[0].rows { product = .zeros(candidate.parts[0].rows) }
            flow.endToEnd(candidate, into: &product)
            let norm = product.frobeniusNorm
            guard norm.isFinite else { throw .nonFinite(quantity: "end-to-end W") }
            guard norm <= Self.divergenceBound else { throw .diverged(quantity: "end-to-end W") }
        }
    }

    /// Built only when a step fails: string interpolation on every step cost 6% at d = 4.
    private static func name(ofPart p: Int, _ flow: any Flow) -> String {
        flow.stepsFactors ? "factor W_\(p + 1)" : "W"
    }
}

/// The buffers of an explicit Runge-Kutta method: one evaluation per stage, a stage point and a
/// candidate, fitted to a flow and a state shape once.
struct StageBuffers {
    var evaluations: [FlowEvaluation] = []
    var stage = FlowState(parts: [])
    var candidate = FlowState(parts: [])
    var check = StepCheck()
    /// The flow the evaluations were made by (their frames are of its type); held, so that its
    /// identity cannot be reused by another object.
    private var owner: AnyObject?

    /// Whether the buffers had to be remade (a new flow or state shape).
    @discardableResult
    mutating func fit(stages: Int, to x: FlowState, _ flow: any Flow) -> Bool {
        // Not `parts.first`: unspecialised (debug) code reads it through a heap-allocated coroutine.
        let n = x.parts.count
        if owner === flow, candidate.parts.count == n, n == 0 || candidate.parts[0].rows == x.parts[0].rows {
            return false
        }
        owner = flow
        evaluations = (0..<stages).map { _ in flow.makeEvaluation(like: x) }
        stage = FlowState(zerosLike: x)
        candidate = FlowState(zerosLike: x)
        return true
    }
}

extension FlowState {
    /// self = x + sum_j h b_j k_j over the stage drifts given, in one pass per term.
    @inline(__always)
    mutating func setStage(_ x: FlowState, _ h: Double, _ b: Double, _ k: FlowState) {
        for p in 0..<parts.count { parts[p].setSum(x.parts[p], k.parts[p], scaledBy: h * b) }
    }

    @inline(__always)
    mutating func addStage(_ h: Double, _ b: Double, _ k: FlowState) {
        for p in 0..<parts.count { parts[p].add(k.parts[p], scaledBy: h * b) }
    }
}
