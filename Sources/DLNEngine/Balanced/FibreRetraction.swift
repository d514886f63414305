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
/// R_1 ... R_{N-1} minimise sum_s ||Z_s - R_s Lambda' R_{s-1}^T||^2 by alternating orthogonal
/// Procrustes sweeps: with its neighbours fixed, R_p is the polar factor of
/// Z_p R_{p-1} Lambda' + Z_{p+1}^T R_{p+1} Lambda'.
public final class FibreRetraction {
    public let size: Int
    /// A sweep changing no R_p by more than this (Frobenius) ends the polishing.
    public var tolerance = 1e-10
    public var maxSweeps = 200
    /// Sweeps used by the last call (diagnostics and benchmarks).
    public private(set) var lastSweepCount = 0

    private let svd: SVD
    private let polar: PolarFactor
    private var product: Matrix
    private var temp: Matrix
    private var temp2: Matrix
    private var candidate: Matrix
    /// R_0 ... R_N.
    private var rotations: [Matrix] = []
    private var newLambda: [Double]
    private var assigned: [Int]
    private var taken: [Bool]
    private var rowDone: [Bool]

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
        if rotations.count != n + 1 { rotations = (0...n).map { _ in .identity(d) } }
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
        try sweep(z, &rotations, newLambda)
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

    /// Old column i goes to the new column j = assigned[i] with the largest overlap |U'_ij| + |V'_ij|,
    /// chosen greedily: the new SVD of a nearby point is a small rotation of the old frame up to a
    /// permutation and signs, which this undoes.
    private func matchColumns() {
        let d = size
        for i in 0..<d { taken[i] = false; rowDone[i] = false }
        for _ in 0..<d {
            var best = -1.0, bi = 0, bj = 0
            for i in 0..<d where !rowDone[i] {
                for j in 0..<d where !taken[j] {
                    let score = abs(svd.u[i, j]) + abs(svd.vt[j, i])
                    if score > best { best = score; bi = i; bj = j }
                }
            }
            rowDone[bi] = true
            taken[bj] = true
            assigned[bi] = bj
        }
    }

    /// Alternating (forward, then backward) Procrustes sweeps over R_1 ... R_{N-1} until no frame
    /// moves by more than `tolerance`.
    private func sweep(_ z: [Matrix], _ r: inout [Matrix], _ lambda: [Double]) throws(LinearAlgebraError) {
        let n = r.count - 1, d = size
        lastSweepCount = 0
        guard n >= 2 else { return }
        var forward = true
        while lastSweepCount < maxSweeps {
            var change = 0.0
            for step in 0..<(n - 1) {
                let p = forward ? 1 + step : n - 1 - step
                // temp = Z_p R_{p-1} + Z_{p+1}^T R_{p+1}, then columns scaled by Lambda.
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
            forward.toggle()
            // With one middle frame a sweep is the exact minimiser.
            if n == 2 || change < tolerance { break }
        }
    }

    private func setIdentity(_ m: inout Matrix) {
        m.setZero()
        for i in 0..<size { m.storage[i * size + i] = 1 }
    }
}
