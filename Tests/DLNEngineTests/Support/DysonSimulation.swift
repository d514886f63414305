import Foundation
@testable import DLNEngine

/// Which equation of section 11.1 a `DysonSimulation` integrates.
public enum DysonForm: String, Sendable, CaseIterable {
    /// (11.4) dM = P_M dH + sqrt(2/beta) P_M^perp dH (plus -grad L dt): eigenvalues are Dyson Brownian
    /// motion (11.1) at the random-matrix beta (Theorem 15). kappa does not enter.
    case dyson
    /// (11.7) dM = -grad L dt + sqrt(2/beta) (P_M dH + sqrt(kappa) P_M^perp dH): eigenvalues follow
    /// (11.8), dx = -grad F_beta dt + sqrt(2 kappa / beta) dW.
    case langevin

    public func amplitudes(beta: Double, kappa: Double) -> DysonAmplitudes {
        switch self {
        case .dyson: return .dyson(beta: beta)
        case .langevin: return .langevin(beta: beta, kappa: kappa)
        }
    }

    /// The inverse temperature of the free energy F = E - S/beta (11.9) whose gradient the eigenvalue
    /// drift is: beta itself for (11.7); 2 for (11.4), which is (11.7) at beta = 2, kappa = 2/beta.
    public func freeEnergyBeta(beta: Double) -> Double {
        switch self {
        case .dyson: return 2
        case .langevin: return beta
        }
    }
}

/// A live run of the Hermitian lift of Dyson Brownian motion, driven like `Simulation`: the front end
/// calls `advance()` and reads `observe()`, whose singular-value slot carries the eigenvalues.
/// Not thread-safe: one thread owns it.
public final class DysonSimulation: @unchecked Sendable {
    public let size: Int
    public let form: DysonForm
    public let loss: EigenvalueLoss
    public private(set) var beta: Double
    public private(set) var kappa: Double
    public private(set) var dt: Double
    /// numericalRank counts |x_k| > rankTolerance * max_k |x_k| (there is no target to set a scale).
    public var rankTolerance = 1e-2
    public private(set) var stepCount = 0
    /// t = segmentTime + (stepCount - segmentStep) dt, restarted whenever dt changes (as in `Simulation`).
    public var time: Double { segmentTime + Double(stepCount - segmentStep) * dt }
    public private(set) var edits: [LiveEdit] = []
    private var segmentTime = 0.0
    private var segmentStep = 0
    private let lift: DysonLift
    private var noise: Xoshiro256

    /// Starts at M = diag(initialEigenvalues), by default d points evenly spaced on [-1, 1], under
    /// the confining loss E = |x|^2 / 2 unless another is given, integrating (11.4) unless `form`
    /// says (11.7). With the confinement (11.4) settles to the Gaussian beta-ensemble
    /// exp(-beta |x|^2 / 2) |van(x)|^beta; (11.7) to exp(-(beta/kappa) E) van(x)^(2/kappa). beta > 0 (inf allowed), kappa >= 0,
    /// dt > 0: the bounds `Parameters.validate()` checks.
    public init(size: Int, beta: Double, kappa: Double, dt: Double, seed: UInt64,
                form: DysonForm = .dyson, loss: EigenvalueLoss = .confining(strength: 1),
                initialEigenvalues: [Double]? = nil) {
        precondition(size >= 1 && beta > 0 && kappa >= 0 && kappa.isFinite && dt > 0 && dt.isFinite)
        let x0 = initialEigenvalues ?? Self.evenlySpaced(size)
        precondition(x0.count == size, "one starting eigenvalue per row")
        self.size = size
        self.form = form
        self.loss = loss
        self.beta = beta
        self.kappa = kappa
        self.dt = dt
        lift = DysonLift(eigenvalues: x0, amplitudes: form.amplitudes(beta: beta, kappa: kappa), loss: loss)
        noise = Xoshiro256(seed: RandomStreams.noise(seed))
    }

    private static func evenlySpaced(_ d: Int) -> [Double] {
        d == 1 ? [0] : (0..<d).map { -1 + 2 * Double($0) / Double(d - 1) }
    }

    /// One Euler-Maruyama step of the lift. On error the state, step count and time are unchanged.
    public func advance() throws(StepError) {
        try lift.step(dt: dt, rng: &noise)
        stepCount += 1
    }

    /// The current M (Hermitian) and its parts, for display.
    public var matrix: ComplexMatrix { lift.matrix }
    public var realPart: Matrix { lift.matrix.real }
    public var imaginaryPart: Matrix { lift.matrix.imaginary }
    /// Eigenvalues of M, descending (like singular values elsewhere).
    public var eigenvalues: [Double] { lift.eigenvalues.reversed() }
    public var amplitudes: DysonAmplitudes { lift.amplitudes }

    /// sigma = eigenvalues (descending, signed); entropy S = 2 log van(x) (11.5) without C_d, -inf at
    /// a collision; energy E(x); F = E - S/beta' with beta' from `DysonForm.freeEnergyBeta` (E at
    /// beta' = inf); the ranks read |x|; no balance defect.
    public func observe() -> Observation {
        let x = eigenvalues
        let e = loss.value(x)
        let s = OrbitEntropy.value(x)
        let magnitudes = x.map { abs($0) }.sorted(by: >)
        return Observation(
            step: stepCount, time: time, energy: e, entropy: s,
            freeEnergy: Observables.freeEnergy(energy: e, entropy: s, beta: form.freeEnergyBeta(beta: beta)),
            effectiveRank: Observables.effectiveRank(magnitudes),
            numericalRank: Observables.numericalRank(magnitudes, tolerance: rankTolerance * (magnitudes.first ?? 0)),
            stableRank: Observables.stableRank(magnitudes),
            balanceDefect: nil,
            sigma: x)
    }

    private func record(_ name: String, _ value: String) {
        edits.append(LiveEdit(step: stepCount, parameter: name, value: .text(value)))
    }

    // MARK: live edits: each applies to the running trajectory at once.

    public func setBeta(_ beta: Double) {
        precondition(beta > 0)
        self.beta = beta
        lift.amplitudes = form.amplitudes(beta: beta, kappa: kappa)
        record("beta", NumberFormat.g17(beta))
    }

    /// Changes the normal amplitude of (11.7); recorded but without effect under (11.4).
    public func setKappa(_ kappa: Double) {
        precondition(kappa >= 0 && kappa.isFinite)
        self.kappa = kappa
        lift.amplitudes = form.amplitudes(beta: beta, kappa: kappa)
        record("kappa", NumberFormat.g17(kappa))
    }

    public func setDt(_ dt: Double) {
        precondition(dt > 0 && dt.isFinite)
        segmentTime = time
        segmentStep = stepCount
        self.dt = dt
        record("dt", NumberFormat.g17(dt))
    }
}
