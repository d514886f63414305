import Foundation

/// The eigenvalue process downstairs (11.1, 11.8) as an interacting particle system:
///     dx_i = -E'(x_i) dt + a^2 sum_{j != i} dt / (x_i - x_j) + b dW_i,
/// a^2 = 2/beta, b = sqrt(2 kappa / beta) for (11.8); a = 1, b = sqrt(2/beta) for (11.1). It is the
/// reference the Hermitian lift is tested against.
public struct DysonParticles: Sendable {
    public enum Scheme: String, Sendable, CaseIterable {
        /// x_{n+1} = x_n + dt drift(x_n) + b dW. Its law is wrong at beta <= 2 however small dt is:
        /// a pair that comes within ~ sqrt(dt) of each other is thrown apart by dt / gap, which gives
        /// the positions heavy tails (measured over 1e5 paths at d = 3, T = 0.2, beta = 1: variance of the
        /// extreme eigenvalue 92 at dt = 1e-2 and 139 at dt = 1e-3, against 0.31 for the exact law).
        case eulerMaruyama
        /// Drift-implicit Euler: x_{n+1} = x_n + dt drift(x_{n+1}) + b dW, solved in the Weyl chamber
        /// of x_n. It is the minimiser of the strictly convex
        ///     Phi(y) = |y - z|^2 / 2 + dt E(y) - a^2 dt log van(y),   z = x_n + b dW,
        /// which -log van keeps off the chamber's walls, so the order is preserved and no step blows
        /// up; damped Newton solves it.
        case driftImplicit
    }

    /// Positions; ascending for `driftImplicit` (Euler-Maruyama may reorder them).
    public private(set) var positions: [Double]
    public var amplitudes: DysonAmplitudes
    public var loss: EigenvalueLoss
    public var scheme: Scheme
    /// Newton iterations of the last implicit step.
    public private(set) var lastIterations = 0

    // Workspaces, so a step allocates nothing.
    private var next: [Double]
    private var shifted: [Double]
    private var trial: [Double]
    private var gradient: [Double]
    private var direction: [Double]
    private var hessian: [Double]
    private var cholesky: [Double]

    public init(positions x: [Double], amplitudes: DysonAmplitudes, loss: EigenvalueLoss = .none,
                scheme: Scheme = .driftImplicit) {
        let sorted = x.sorted()
        precondition(!x.isEmpty && zip(sorted, sorted.dropFirst()).allSatisfy { $0 < $1 },
                     "distinct starting positions")
        positions = sorted
        self.amplitudes = amplitudes
        self.loss = loss
        self.scheme = scheme
        let n = x.count
        next = sorted; shifted = sorted; trial = sorted; gradient = sorted; direction = sorted
        hessian = [Double](repeating: 0, count: n * n)
        cholesky = hessian
    }

    /// One step of length dt. On error the positions are unchanged.
    public mutating func step(dt: Double, rng: inout Xoshiro256) throws(StepError) {
        let n = positions.count
        let s = amplitudes.normal * dt.squareRoot()
        for i in 0..<n { shifted[i] = positions[i] + s * rng.gaussian() }
        // The explicit prediction: the Euler-Maruyama step, and Newton's start for the implicit one.
        let a2 = amplitudes.repulsion
        for i in 0..<n {
            var r = 0.0
            for j in 0..<n where j != i { r += 1 / (positions[i] - positions[j]) }
            next[i] = shifted[i] + dt * (a2 * r - loss.derivative(at: positions[i]))
        }
        if scheme == .driftImplicit { try solveImplicit(dt: dt) }
        for i in 0..<n where !next[i].isFinite { throw .nonFinite(quantity: "eigenvalues") }
        swap(&positions, &next)
    }

    /// Phi(y) = |y - z|^2 / 2 + dt E(y) - a^2 dt log van(y), z = `shifted`.
    private func phi(_ y: [Double], _ dt: Double) -> Double {
        var q = 0.0
        for i in 0..<y.count { q += 0.5 * (y[i] - shifted[i]) * (y[i] - shifted[i]) }
        return q + dt * loss.value(y) - amplitudes.repulsion * dt * 0.5 * OrbitEntropy.value(y)
    }

    private static func ordered(_ y: [Double]) -> Bool {
        for i in 1..<max(y.count, 1) where !(y[i - 1] < y[i]) { return false }
        return true
    }

    /// Minimises Phi over the chamber of `positions` by damped Newton; the result goes to `next`,
    /// which holds the explicit prediction on entry.
    private mutating func solveImplicit(dt: Double) throws(StepError) {
        let n = positions.count
        let a2dt = amplitudes.repulsion * dt
        var value = phi(positions, dt)
        if Self.ordered(next), case let v = phi(next, dt), v < value {
            value = v
        } else {
            for i in 0..<n { next[i] = positions[i] }
        }
        for iteration in 1...100 {
            // Gradient and Hessian of Phi at y = next: (1 + dt E'') I + a^2 dt L, L the Laplacian with
            // weights 1/(y_i - y_j)^2 (the Hessian of -log van), positive definite.
            var scale = 1.0
            for i in 0..<n {
                scale = max(scale, abs(next[i]))
                var r = 0.0
                var diagonal = 1 + dt * loss.curvature
                for j in 0..<n where j != i {
                    let inv = 1 / (next[i] - next[j])
                    r += inv
                    diagonal += a2dt * inv * inv
                    hessian[i * n + j] = -a2dt * inv * inv
                }
                hessian[i * n + i] = diagonal
                gradient[i] = next[i] - shifted[i] + dt * loss.derivative(at: next[i]) - a2dt * r
            }
            choleskySolve(n)
            var decrement = 0.0
            for i in 0..<n { decrement += gradient[i] * direction[i] }
            // Newton's decrement: within the quadratic basin one more full step leaves an error of
            // order decrement, far below any discretisation error.
            if decrement <= 1e-20 * scale * scale {
                for i in 0..<n { trial[i] = next[i] - direction[i] }
                if Self.ordered(trial) { swap(&next, &trial) }
                lastIterations = iteration
                return
            }
            // Backtracking: stay inside the chamber, then ask for Armijo's decrease, except near the
            // solution, where the decrease is below Phi's round-off and the full step is right.
            let nearSolution = decrement < 1e-10 * scale * scale
            var t = 1.0
            var trialValue = Double.infinity
            for _ in 0..<60 {
                for i in 0..<n { trial[i] = next[i] - t * direction[i] }
                if Self.ordered(trial) {
                    trialValue = phi(trial, dt)
                    if nearSolution || trialValue <= value - 1e-4 * t * decrement { break }
                }
                t *= 0.5
            }
            guard trialValue.isFinite else { throw .nonFinite(quantity: "implicit eigenvalue step") }
            var moved = 0.0
            for i in 0..<n { moved = max(moved, abs(trial[i] - next[i])) }
            swap(&next, &trial)
            value = trialValue
            if moved <= 4 * Double.ulpOfOne * scale {
                lastIterations = iteration
                return
            }
        }
        throw .nonFinite(quantity: "implicit eigenvalue step (Newton did not settle)")
    }

    /// direction = hessian^{-1} gradient (the Newton step is -direction), by Cholesky: the Hessian is
    /// symmetric positive definite.
    private mutating func choleskySolve(_ n: Int) {
        for i in 0..<n {
            for j in 0...i {
                var s = hessian[i * n + j]
                for k in 0..<j { s -= cholesky[i * n + k] * cholesky[j * n + k] }
                cholesky[i * n + j] = i == j ? s.squareRoot() : s / cholesky[j * n + j]
            }
        }
        for i in 0..<n {
            var u = gradient[i]
            for k in 0..<i { u -= cholesky[i * n + k] * direction[k] }
            direction[i] = u / cholesky[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var u = direction[i]
            for k in (i + 1)..<n { u -= cholesky[k * n + i] * direction[k] }
            direction[i] = u / cholesky[i * n + i]
        }
    }
}
