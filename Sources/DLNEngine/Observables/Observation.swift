import Foundation

/// What a run records of its state at one step. Every value is a function of the end-to-end W
/// except the balance defect, which needs the factors.
public struct Observation: Equatable, Sendable {
    public var step: Int
    public var time: Double
    public var energy: Double
    /// S without the additive constant (N-1) log c_d; -inf when two singular values vanish.
    public var entropy: Double
    public var freeEnergy: Double
    public var effectiveRank: Double
    public var numericalRank: Int
    public var stableRank: Double
    /// sum_p ||G_p||_F (4.2); nil downstairs, where it does not apply.
    public var balanceDefect: Double?
    /// Singular values of W, descending.
    public var sigma: [Double]
    /// ||W - A||_F / ||A||_F against the clean target (`GroundTruth`); nil where there is none.
    public var error: Double? = nil
    /// ||P(W - A)||_F / ||P A||_F over the unobserved entries (completion); nil elsewhere.
    public var errorUnobserved: Double? = nil
}

/// Reads observables off a state. Owns an SVD workspace, so it belongs to one thread.
public final class Observer {
    private let svd: SVD
    private var g: Matrix
    private var h: Matrix

    public init(size d: Int) {
        svd = SVD(size: d)
        g = .zeros(d)
        h = .zeros(d)
    }

    public func observe(
        endToEnd w: Matrix, factors: [Matrix]?, energy: any Energy, depth: Depth, beta: Double,
        scale: Double, rankTolerance: Double, step: Int, time: Double
    ) throws(LinearAlgebraError) -> Observation {
        try svd.decompose(w)
        let sigma = svd.sigma
        let e = energy.value(w)
        let s = Lemma1.entropy(sigma, depth: depth)
        return Observation(
            step: step, time: time, energy: e, entropy: s,
            freeEnergy: Observables.freeEnergy(energy: e, entropy: s, beta: beta),
            effectiveRank: Observables.effectiveRank(sigma),
            numericalRank: Observables.numericalRank(sigma, tolerance: rankTolerance * scale),
            stableRank: Observables.stableRank(sigma),
            balanceDefect: factors.map { balanceDefect($0) },
            sigma: sigma)
    }

    /// sum_{p=1}^{N-1} ||W_{p+1}^T W_{p+1} - W_p W_p^T||_F (4.2).
    public func balanceDefect(_ factors: [Matrix]) -> Double {
        Observables.balanceDefects(factors, g: &g, h: &h).reduce(0, +)
    }
}

/// The observables as pure functions of the singular values (and factors).
public enum Observables {
    /// F_beta = E - S/beta (6.7); at beta = inf it is E, also where S = -inf.
    public static func freeEnergy(energy: Double, entropy: Double, beta: Double) -> Double {
        beta.isInfinite ? energy : energy - entropy / beta
    }

    /// Roy-Vetterli: exp(-sum p_k log p_k), p_k = sigma_k / sum sigma; 0 at W = 0.
    public static func effectiveRank(_ sigma: [Double]) -> Double {
        let total = sigma.reduce(0, +)
        guard total > 0 else { return 0 }
        var h = 0.0
        for s in sigma where s > 0 {
            let p = s / total
            h -= p * log(p)
        }
        return exp(h)
    }

    /// #{sigma_k > tolerance}.
    public static func numericalRank(_ sigma: [Double], tolerance: Double) -> Int {
        sigma.reduce(0) { $0 + ($1 > tolerance ? 1 : 0) }
    }

    /// sum sigma^2 / sigma_1^2; 0 at W = 0.
    public static func stableRank(_ sigma: [Double]) -> Double {
        guard let top = sigma.first, top > 0 else { return 0 }
        return sigma.reduce(0) { $0 + ($1 / top) * ($1 / top) }
    }

    /// ||G_p||_F for p = 1 ... N-1, G_p = W_{p+1}^T W_{p+1} - W_p W_p^T (4.2, 4.8).
    public static func balanceDefects(_ factors: [Matrix], g: inout Matrix, h: inout Matrix) -> [Double] {
        guard factors.count > 1 else { return [] }
        return (0..<(factors.count - 1)).map { p in
            BLAS.gemm(factors[p + 1], transposeA: true, factors[p + 1], into: &g)
            BLAS.gemm(factors[p], factors[p], transposeB: true, into: &h)
            g.add(h, scaledBy: -1)
            return g.frobeniusNorm
        }
    }
}
