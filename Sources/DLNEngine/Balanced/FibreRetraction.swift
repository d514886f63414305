import Foundation

/// The retraction of the RLE scheme (MATH.md 2.5): a tuple Y near M goes to the point of M with the
/// same end-to-end matrix phi(Y) that is closest to Y. Legitimate because M's normal space lies in
/// the kernel of D phi; keeping phi(Y) exactly is what makes the end-to-end law right, and the
/// closest point of the fibre is what moves the gauge (the frames Q_1 ... Q_{N-1}) correctly and
/// continuously.
///
/// Everything happens in the body frame of the current point: Z_s = Q_s^T Y_s Q_{s-1}, so the new
/// frames are Q_s R_s with every R_s close to the identity. R_N, R_0 and Lambda' come from the SVD
/// of Z_N ... Z_1, with columns matched to the old ones (no sign flip, no relabelling);
/// R_1 ... R_{N-1} maximise sum_s <R_s^T Z_s R_{s-1}, Lambda'>, i.e. minimise
/// sum_s ||Z_s - R_s Lambda' R_{s-1}^T||^2. Newton steps solve it: with R_p -> R_p exp(Omega_p), the
/// gradient in the (k,l) plane is gamma_p = (K_p Lambda - Lambda K_{p+1})_{kl} - (...)_{lk},
/// K_s = R_s^T Z_s R_{s-1}, and the Hessian at the balanced point is Lemma 2's orbit block
/// (2 (lambda_k^2 + lambda_l^2) on the diagonal, -2 lambda_k lambda_l beside it), one tridiagonal
/// solve per pair. The residual Y - R(Y) is O(dt), so a handful of steps reach round-off. Should
/// they stall, alternating orthogonal Procrustes sweeps (R_p the polar factor of
/// Z_p R_{p-1} Lambda' + Z_{p+1}^T R_{p+1} Lambda') finish the job; they also polish a start
/// far from M (`polishMiddleFrames`).
public final class FibreRetraction {
    public let size: Int
    /// A Newton step or a sweep moving no R_p by more than this ends the polishing.
    public var tolerance = 1e-11
    public var maxNewtonSteps = 12
    public var maxSweeps = 500
    /// Procrustes sweeps done by the current call (bounded by `maxSweeps`).
    private var lastSweepCount = 0

    private let svd: SVD
    private let polar: PolarFactor
    private var product: Matrix
    private var temp: Matrix
    private var temp2: Matrix
    private var candidate: Matrix
    /// R_0 ... R_N.
    private var rotations: [Matrix] = []
    /// K_1 ... K_N.
    private var body: [Matrix] = []
    private var newLambda: [Double]
    private var assigned: [Int]
    private var taken: [Bool]
    private var rowDone: [Bool]
    /// Newton's right-hand sides and the tridiagonal solver's workspace, one entry per middle layer.
    private var rhs: [Double] = []
    private var upper: [Double] = []
    /// omega_p[k,l] for all pairs, laid out p-major.
    private var omega: [Double] = []

    public init(size d: Int) {
        size = d
        svd = SVD(size: d)
        polar = PolarFactor(size: d)
        product = .zeros(d)
        temp = .zeros(d)
        temp2 = .zeros(d)
        candidate = .zeros(d)
        newLambda = [Double](repeating: 0, count: d)
        assigned = [Int](repeating: 0, count: d)
        taken = [Bool](repeating: false, count: d)
        rowDone = taken
    }

    /// Moves `point` to the retraction of the tuple whose body coordinates at `point` are `body`
    /// (`body[s-1] = Z_s`).
    public func retract(_ point: inout BalancedCoordinates, body z: [Matrix]) throws(LinearAlgebraError) {
        let n = point.depth, d = size
        precondition(z.count == n)
        if rotations.count != n + 1 {
            rotations = (0...n).map { _ in .identity(d) }
            body = (0..<n).map { _ in .zeros(d) }
            rhs = [Double](repeating: 0, count: n)
            upper = rhs
            omega = [Double](repeating: 0, count: n * d * d)
        }
        // phi in body coordinates.
        product.copy(from: z[0])
        for s in 1..<n {
            BLAS.gemm(z[s], product, into: &temp)
            swap(&product, &temp)
        }
        try svd.decompose(product)
        matchColumns()
        let inv = 1 / Double(n)
        for i in 0..<d {
            let j = assigned[i]
            let sign: Double = svd.u[i, j] + svd.vt[j, i] >= 0 ? 1 : -1
            for r in 0..<d {
                rotations[n][r, i] = sign * svd.u[r, j]
                rotations[0][r, i] = sign * svd.vt[j, r]
            }
            newLambda[i] = pow(svd.sigma[j], inv)
        }
        for p in 1..<n { setIdentity(&rotations[p]) }
        lastSweepCount = 0
        // One middle frame: a single Procrustes step is the exact minimiser.
        if n == 2 {
            try sweep(z, &rotations, newLambda)
        } else if !newton(z, &rotations, newLambda) {
            for p in 1..<n { setIdentity(&rotations[p]) }
            try sweep(z, &rotations, newLambda)
        }
        for p in 0...n {
            BLAS.gemm(point.frames[p], rotations[p], into: &temp)
            point.frames[p].copy(from: temp)
        }
        for i in 0..<d { point.lambda[i] = newLambda[i] }
    }

    /// Procrustes sweeps on the middle frames of `point` towards an arbitrary tuple Y (ambient
    /// coordinates), keeping Lambda, Q_0 and Q_N.
    public func polishMiddleFrames(of point: inout BalancedCoordinates, towards y: [Matrix]) throws(LinearAlgebraError) {
        try sweep(y, &point.frames, point.lambda)
    }

    /// Old column i goes to the new column j = assigned[i] with the largest overlap |U'_ij + V'_ij|
    /// (greedily; the sign of U'_ij + V'_ij then orients the pair): the SVD of a nearby point is a small
    /// rotation of the old frame up to a permutation and signs, which this undoes. Permuting and
    /// flipping columns of Q_N and Q_0 together (with Lambda) does not change the point of M.
    private func matchColumns() {
        let d = size
        for i in 0..<d { taken[i] = false; rowDone[i] = false }
        for _ in 0..<d {
            var best = -1.0, bi = 0, bj = 0
            for i in 0..<d where !rowDone[i] {
                for j in 0..<d where !taken[j] {
                    let score = abs(svd.u[i, j] + svd.vt[j, i])
                    if score > best { best = score; bi = i; bj = j }
                }
            }
            rowDone[bi] = true
            taken[bj] = true
            assigned[bi] = bj
        }
    }

    /// Newton steps on R_1 ... R_{N-1}, which must enter at the identity; false if they stalled (a step
    /// no smaller than the one before) or ran out before `tolerance`.
    private func newton(_ z: [Matrix], _ r: inout [Matrix], _ lambda: [Double]) -> Bool {
        let n = r.count - 1, d = size
        guard n >= 2, d >= 2 else { return true }
        // Workspaces moved into locals for the loop: a class property touched per entry would cost
        // a dynamic exclusivity check each time.
        var body: [Matrix] = [], rhs: [Double] = [], upper: [Double] = [], omega: [Double] = []
        swap(&body, &self.body); swap(&rhs, &self.rhs); swap(&upper, &self.upper); swap(&omega, &self.omega)
        defer { swap(&body, &self.body); swap(&rhs, &self.rhs); swap(&upper, &self.upper); swap(&omega, &self.omega) }
        // K_s = R_s^T Z_s R_{s-1}, then kept up to date by the same plane rotations as the R_p.
        // The middle R_p start at the identity: K_1 = Z_1 R_0, K_N = R_N^T Z_N, K_s = Z_s between.
        BLAS.gemm(z[0], r[0], into: &body[0])
        for s in 2..<n { body[s - 1].copy(from: z[s - 1]) }
        BLAS.gemm(r[n], transposeA: true, z[n - 1], into: &body[n - 1])
        var previous = Double.infinity, steps = 0
        while steps < maxNewtonSteps {
            var largest = 0.0
            for k in 0..<(d - 1) {
                for l in (k + 1)..<d {
                    let lk = lambda[k], ll = lambda[l]
                    let a = 2 * (lk * lk + ll * ll), b = -2 * lk * ll
                    let ikl = k * d + l, ilk = l * d + k
                    for p in 1..<n {
                        let kp = body[p - 1].storage, kn = body[p].storage
                        rhs[p - 1] = kp[ikl] * ll - lk * kn[ikl] - kp[ilk] * lk + ll * kn[ilk]
                    }
                    // Thomas algorithm for the symmetric tridiagonal (a on, b beside the diagonal).
                    // a >= 2|b| with equality only when lambda_k = lambda_l = 0, where no gauge acts.
                    guard a > 0 else {
                        for p in 1..<n { omega[(p - 1) * d * d + ikl] = 0 }
                        continue
                    }
                    var pivot = a
                    upper[0] = b / pivot
                    rhs[0] /= pivot
                    for i in 1..<(n - 1) {
                        pivot = a - b * upper[i - 1]
                        upper[i] = b / pivot
                        rhs[i] = (rhs[i] - b * rhs[i - 1]) / pivot
                    }
                    if n >= 3 {
                        for i in stride(from: n - 3, through: 0, by: -1) { rhs[i] -= upper[i] * rhs[i + 1] }
                    }
                    for p in 1..<n {
                        omega[(p - 1) * d * d + ikl] = rhs[p - 1]
                        largest = max(largest, abs(rhs[p - 1]))
                    }
                }
            }
            guard largest.isFinite, largest < previous else { return false }
            // R_p <- R_p prod_{k<l} G_kl, G_kl the plane rotation by atan(omega_kl) (c = 1/sqrt(1+w^2),
            // s = w c, no trigonometry): orthogonal exactly and exp(Omega_p) to first order, which is all
            // a Newton step needs. K_p <- G^T K_p (rows k, l), K_{p+1} <- K_{p+1} G (columns k, l).
            for p in 1..<n {
                for k in 0..<(d - 1) {
                    for l in (k + 1)..<d {
                        let w = omega[(p - 1) * d * d + k * d + l]
                        if w == 0 { continue }
                        let c = 1 / (1 + w * w).squareRoot(), s = w * c
                        Self.rotateColumns(&r[p], k, l, c, s)
                        Self.rotateColumns(&body[p], k, l, c, s)
                        Self.rotateRows(&body[p - 1], k, l, c, s)
                    }
                }
            }
            steps += 1
            if largest < tolerance { return true }
            previous = largest
        }
        return false
    }

    /// Gauss-Seidel orthogonal Procrustes sweeps over R_1 ... R_{N-1} until no frame moves by more
    /// than `tolerance`.
    private func sweep(_ z: [Matrix], _ r: inout [Matrix], _ lambda: [Double]) throws(LinearAlgebraError) {
        let n = r.count - 1, d = size
        lastSweepCount = 0
        guard n >= 2 else { return }
        while lastSweepCount < maxSweeps {
            var change = 0.0
            for p in 1..<n {
                // temp = (Z_p R_{p-1} + Z_{p+1}^T R_{p+1}) Lambda.
                BLAS.gemm(z[p - 1], r[p - 1], into: &temp)
                BLAS.gemm(z[p], transposeA: true, r[p + 1], into: &temp2)
                for i in 0..<d {
                    for j in 0..<d { temp.storage[i * d + j] = (temp.storage[i * d + j] + temp2.storage[i * d + j]) * lambda[j] }
                }
                try polar.factor(temp, into: &candidate)
                var c = 0.0
                for k in 0..<(d * d) {
                    let x = candidate.storage[k] - r[p].storage[k]
                    c += x * x
                }
                change = max(change, c.squareRoot())
                r[p].copy(from: candidate)
            }
            lastSweepCount += 1
            // With one middle frame a sweep is the exact minimiser.
            if n == 2 || change < tolerance { break }
        }
    }

    /// M <- M G on columns k, l: (c m_k - s m_l, s m_k + c m_l).
    @inline(__always)
    private static func rotateColumns(_ m: inout Matrix, _ k: Int, _ l: Int, _ c: Double, _ s: Double) {
        let d = m.cols
        m.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<d {
                let a = p[i * d + k], b = p[i * d + l]
                p[i * d + k] = c * a - s * b
                p[i * d + l] = s * a + c * b
            }
        }
    }

    /// M <- G^T M on rows k, l: (c m_k - s m_l, s m_k + c m_l).
    @inline(__always)
    private static func rotateRows(_ m: inout Matrix, _ k: Int, _ l: Int, _ c: Double, _ s: Double) {
        let d = m.cols
        m.storage.withUnsafeMutableBufferPointer { p in
            for j in 0..<d {
                let a = p[k * d + j], b = p[l * d + j]
                p[k * d + j] = c * a - s * b
                p[l * d + j] = s * a + c * b
            }
        }
    }

    private func setIdentity(_ m: inout Matrix) {
        m.setZero()
        for i in 0..<size { m.storage[i * size + i] = 1 }
    }
}
