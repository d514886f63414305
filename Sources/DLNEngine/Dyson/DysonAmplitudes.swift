import Foundation

/// The noise of the Hermitian lift, dM = -grad L(M) dt + a P_M dH + b P_M^perp dH, of which every
/// form in section 11.1 is an instance. By first- and second-order eigenvalue perturbation its
/// eigenvalues solve
///     dx_i = -dE/dx_i dt + a^2 sum_{j != i} dt / (x_i - x_j) + b dW_i,
/// since in the eigenframe the tangential part is the off-diagonal of U^* dH U (|entry|^2 = a^2 dt)
/// and the normal part its diagonal (variance b^2 dt).
public struct DysonAmplitudes: Equatable, Sendable {
    /// a: the amplitude along the isospectral orbit O_x (11.3).
    public var tangential: Double
    /// b: the amplitude normal to O_x, i.e. the noise the eigenvalues feel directly.
    public var normal: Double

    public init(tangential: Double, normal: Double) {
        precondition(tangential >= 0 && normal >= 0, "amplitudes are >= 0")
        self.tangential = tangential
        self.normal = normal
    }

    /// (11.4): dM = P_M dH + sqrt(2/beta) P_M^perp dH, whose eigenvalues are Dyson Brownian motion
    /// (11.1) at the random-matrix beta (Theorem 15). beta = inf leaves the tangential noise alone.
    public static func dyson(beta: Double) -> DysonAmplitudes {
        precondition(beta > 0, "beta > 0")
        return DysonAmplitudes(tangential: 1, normal: (2 / beta).squareRoot())
    }

    /// (11.7): dM = -grad L dt + sqrt(2/beta) (P_M dH + sqrt(kappa) P_M^perp dH), eigenvalues (11.8).
    /// It is (11.4) at beta = 2, kappa = 2/beta_RMT; beta = inf switches all noise off.
    public static func langevin(beta: Double, kappa: Double) -> DysonAmplitudes {
        precondition(beta > 0 && kappa >= 0, "beta > 0, kappa >= 0")
        let a = (2 / beta).squareRoot()
        return DysonAmplitudes(tangential: a, normal: a * kappa.squareRoot())
    }

    /// a^2: the strength of the eigenvalue repulsion.
    public var repulsion: Double { tangential * tangential }

    /// w in F = E - w S, the free energy whose gradient the eigenvalue drift is (S = 2 log van,
    /// grad S_i = 2 sum 1/(x_i - x_j)): w = a^2/2, i.e. 1/beta for (11.7) (11.9), 1/2 for (11.4).
    public var entropyWeight: Double { repulsion / 2 }
}

/// The standard Wiener process on (Her_d, Tr(M^* M)) (section 11.1): in the orthonormal basis
/// E_ii, (E_ij + E_ji)/sqrt 2, i (E_ij - E_ji)/sqrt 2 every coordinate is an independent N(0, dt),
/// so diagonal entries are N(0, dt) and the real and imaginary parts off the diagonal N(0, dt/2).
public enum HermitianWiener {
    public static func increment(into h: inout ComplexMatrix, dt: Double, rng: inout Xoshiro256) {
        let n = h.size
        let s = dt.squareRoot(), t = (dt / 2).squareRoot()
        h.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<n {
                p[2 * (i * n + i)] = s * rng.gaussian()
                p[2 * (i * n + i) + 1] = 0
                for j in (i + 1)..<n {
                    let re = t * rng.gaussian(), im = t * rng.gaussian()
                    p[2 * (i * n + j)] = re; p[2 * (i * n + j) + 1] = im
                    p[2 * (j * n + i)] = re; p[2 * (j * n + i) + 1] = -im
                }
            }
        }
    }
}

/// A loss on the eigenvalues, L(M) = E(eig(M)) (section 11.1). Both cases are sums of one function
/// of each eigenvalue, so grad L(M) = U diag(E'(x)) U^*.
public enum EigenvalueLoss: Equatable, Sendable {
    /// E = 0: the plain lift, whose eigenvalues spread like sqrt(t).
    case none
    /// E(x) = (c/2) |x|^2 = (c/2) Tr(M^2), gradient c M: a harmonic confinement that holds the
    /// eigenvalues at scale ~ sqrt(d) for ever.
    case confining(strength: Double)

    public func value(_ x: [Double]) -> Double {
        switch self {
        case .none: return 0
        case .confining(let c): return 0.5 * c * x.reduce(0) { $0 + $1 * $1 }
        }
    }

    /// dE/dx_i, which depends on x_i alone.
    @inline(__always)
    public func derivative(at xi: Double) -> Double {
        switch self {
        case .none: return 0
        case .confining(let c): return c * xi
        }
    }

    /// d^2 E / dx_i^2 (constant for both cases): the diagonal Hessian the implicit particle step needs.
    public var curvature: Double {
        switch self {
        case .none: return 0
        case .confining(let c): return c
        }
    }
}

/// S(x) = log vol(O_x) = 2 log van(x) + C_d (11.5), here without C_d.
public enum OrbitEntropy {
    /// 2 sum_{i<j} log |x_i - x_j|, summed as logs (a product over- or underflows at large d);
    /// -inf when two eigenvalues coincide.
    public static func value(_ x: [Double]) -> Double {
        var s = 0.0
        for i in 0..<x.count {
            for j in (i + 1)..<x.count { s += log(abs(x[i] - x[j])) }
        }
        return 2 * s
    }

    /// dS/dx_i = 2 sum_{j != i} 1/(x_i - x_j): twice the Dyson drift (11.6).
    public static func gradient(_ x: [Double]) -> [Double] {
        x.indices.map { i in
            var g = 0.0
            for j in x.indices where j != i { g += 1 / (x[i] - x[j]) }
            return 2 * g
        }
    }
}
