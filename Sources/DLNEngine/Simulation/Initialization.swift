import Foundation

/// Initial factors. Every flow of a run starts from the same end-to-end W: the downstairs flows
/// take the product of the factors drawn here.
public enum Initialization {
    public static func factors(_ p: Parameters, size d: Int) throws(DataFileError) -> [Matrix] {
        if let path = p.initialPath {
            let w = try MatrixCSV.read(path: path)
            guard w.rows == d else {
                throw DataFileError(path: path, message: "initial matrix is \(w.rows) x \(w.cols) but the problem is \(d) x \(d)")
            }
            do {
                return try balancedFactorisation(w, depth: p.depth.storedFactors)
            } catch {
                throw DataFileError(path: path, message: "cannot factorise the initial matrix: \(error)")
            }
        }
        // No factors exist at N = inf: draw the end-to-end W as a single factor (N = 1).
        let depth = p.depth.storedFactors
        var rng = Xoshiro256(seed: RandomStreams.initial(p.startSeed))
        switch p.initialization {
        case .balanced: return balanced(size: d, depth: depth, scale: p.initScale, rng: &rng)
        case .small: return small(size: d, depth: depth, scale: p.initScale, rng: &rng)
        case .evenlySpaced:
            let w = Matrix.diagonal(evenlySpaced(size: d, scale: p.initScale))
            do { return try balancedFactorisation(w, depth: depth) } catch {
                throw DataFileError(path: "(evenly-spaced start)", message: "cannot factorise: \(error)")
            }
        }
    }

    /// d values evenly spaced on [-scale, scale], descending; 0 at d = 1.
    public static func evenlySpaced(size d: Int, scale: Double) -> [Double] {
        d == 1 ? [0] : (0..<d).map { scale * (1 - 2 * Double($0) / Double(d - 1)) }
    }

    /// (5.16): W_p = Q_p Lambda Q_{p-1}^T, Lambda = Sigma^(1/N), sigma_k uniform in [0.5, 1.5] x scale.
    public static func balanced(size d: Int, depth n: Int, scale: Double, rng: inout Xoshiro256) -> [Matrix] {
        let sigma = (0..<d).map { _ in (0.5 + rng.uniform()) * scale }.sorted(by: >)
        let lambda = Matrix.diagonal(sigma.map { pow($0, 1 / Double(n)) })
        let frames = (0...n).map { _ in rng.orthogonal(d) }
        return (1...n).map { p in frames[p] * lambda * frames[p - 1].transposed }
    }

    /// Gaussian factors with standard deviation scale^(1/N) d^(-1/2).
    public static func small(size d: Int, depth n: Int, scale: Double, rng: inout Xoshiro256) -> [Matrix] {
        let sd = pow(scale, 1 / Double(n)) / Double(d).squareRoot()
        return (0..<n).map { _ in rng.gaussianMatrix(rows: d, cols: d, scale: sd) }
    }

    /// The balanced factorisation of W = U Sigma V^T (5.16) with Q_N = U, Q_0 = ... = Q_{N-1} = V:
    /// W_1 = V Lambda V^T, ..., W_{N-1} = V Lambda V^T, W_N = U Lambda V^T.
    public static func balancedFactorisation(_ w: Matrix, depth n: Int) throws(LinearAlgebraError) -> [Matrix] {
        let (u, sigma, vt) = try SVD.of(w)
        let lambda = Matrix.diagonal(sigma.map { pow($0, 1 / Double(n)) })
        let inner = vt.transposed * lambda * vt
        let outer = u * lambda * vt
        return (1...n).map { p in p == n ? outer : inner }
    }

    /// W_N ... W_1.
    public static func product(_ factors: [Matrix]) -> Matrix {
        var w = factors[0]
        for p in 1..<factors.count { w = factors[p] * w }
        return w
    }
}
