import Foundation

/// The PI step-size controller of Hairer, Norsett and Wanner (Solving ODEs II, IV.2, after
/// Gustafsson; Diffrax's `PIDController` with pcoeff 0.4, icoeff 0.3): after an accepted step with
/// scaled error e_n <= 1 the next size is h fac e_n^(-0.7/k) e_{n-1}^(0.4/k), k = 5 for a 5(4) pair,
/// the factor kept in [0.2, 10] (at most 1 right after a rejection); a rejected step (e_n > 1) is
/// retried at h max(0.2, fac e_n^(-1/k)).
public struct StepSizeController: Sendable {
    public static let safety = 0.9
    public static let minFactor = 0.2
    public static let maxFactor = 10.0
    /// k: the order of the error estimate plus one.
    public let errorOrder: Double
    private var previousError = 1e-4
    private var justRejected = false

    public init(errorOrder: Double) { self.errorOrder = errorOrder }

    /// The smallest step size allowed at time t; below it the step size has collapsed.
    public static func floor(at t: Double) -> Double { 1e-12 * max(1, abs(t)) }

    /// The next step size after a step of size h with scaled error `error` was accepted.
    public mutating func accepted(size h: Double, error: Double) -> Double {
        let e = max(error, 1e-10)
        var factor = Self.safety * pow(e, -0.7 / errorOrder) * pow(previousError, 0.4 / errorOrder)
        factor = min(justRejected ? 1 : Self.maxFactor, max(Self.minFactor, factor))
        previousError = e
        justRejected = false
        return h * factor
    }

    /// The size to retry with after a step of size h was rejected (error > 1, or not finite).
    public mutating func rejected(size h: Double, error: Double) -> Double {
        justRejected = true
        guard error.isFinite else { return h * Self.minFactor }
        return h * max(Self.minFactor, Self.safety * pow(error, -1 / errorOrder))
    }
}
