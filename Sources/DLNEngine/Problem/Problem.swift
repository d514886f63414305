/// The data an energy is built from: a target, and the mask, noisy observation or measurements
/// that its kind needs. Generated from the seed or read from CSV (`--target`, `--mask`).
public struct Problem: Sendable {
    /// What each energy reads besides the target: exactly the matrix its kind needs.
    public enum Data: Sendable {
        /// Observed entries: 1 observed, 0 not.
        case completion(mask: Matrix)
        /// The 2x2 problem (14.1): its mask, the diagonal.
        case twoByTwo(mask: Matrix)
        /// What denoising sees: target plus noise.
        case denoise(observation: Matrix)
        /// m x d^2, one flattened Gaussian measurement matrix per row.
        case sensing(measurements: Matrix)
    }

    public let data: Data
    public let size: Int
    /// The clean target A.
    public let target: Matrix
    /// The target's spectral norm: the unit of the numerical-rank tolerance.
    public let scale: Double
    /// Where the problem came from, for the sidecar.
    public let origin: String
    /// The target's singular values, descending (the reference lines of the singular-value chart).
    public var targetSigma: [Double] = []
    /// What the run is measured against when the flow cannot reach the whole target:
    /// bures-wasserstein's W is PSD, so its ground truth is the PSD part of the symmetrised target.
    /// nil: the target itself.
    public var reachable: Matrix? = nil
    /// Where `reachable` comes from, for the sidecar.
    public var groundTruthNote: String? = nil

    public var kind: EnergyKind {
        switch data {
        case .completion: return .completion
        case .twoByTwo: return .twoByTwo
        case .denoise: return .denoise
        case .sensing: return .sensing
        }
    }

    /// The mask of completion and the 2x2 problem; nil for the other energies.
    public var mask: Matrix? {
        switch data {
        case .completion(let mask), .twoByTwo(let mask): return mask
        case .denoise, .sensing: return nil
        }
    }

    /// Denoising's noisy observation; nil for the other energies.
    public var observation: Matrix? {
        if case .denoise(let y) = data { return y }
        return nil
    }

    /// Sensing's measurement matrices; nil for the other energies.
    public var measurements: Matrix? {
        if case .sensing(let a) = data { return a }
        return nil
    }

    public func makeEnergy() -> any Energy {
        switch data {
        case .completion(let mask):
            return CompletionEnergy(target: target, mask: mask, kind: .completion)
        case .twoByTwo(let mask):
            return CompletionEnergy(target: target, mask: mask, kind: .twoByTwo)
        case .denoise(let y):
            return DenoiseEnergy(observation: y)
        case .sensing(let a):
            return SensingEnergy(measurements: a, target: target)
        }
    }

    /// Builds the problem a parameter set names. Draws come from the problem's own stream of the
    /// seed, so reading a target from a file does not change the initial state's draws.
    public static func make(_ p: Parameters) throws(DataFileError) -> Problem {
        var rng = Xoshiro256(seed: RandomStreams.problem(p.seed))
        let d = p.size
        if p.energy == .twoByTwo {
            // (14.1): S = {(1,1),(2,2)}, a = 1.
            return Problem(data: .twoByTwo(mask: .identity(2)), size: 2, target: .identity(2),
                           scale: 1, origin: "the 2x2 problem (14.1)")
        }
        var origin: String
        var target: Matrix
        if let path = p.targetPath {
            target = try MatrixCSV.read(path: path)
            origin = "target from \(path)"
            // The file fixes d: an explicit -d that disagrees is refused, not ignored.
            if p.givenFlags.contains("-d") && target.rows != d {
                throw DataFileError(path: path, message: "target is \(target.rows) x \(target.cols) but -d \(d) was given (the file fixes d; leave out -d)")
            }
        } else {
            target = randomLowRank(size: d, rank: p.targetRank, rng: &rng)
            origin = "random rank-\(p.targetRank) target, spectral norm 1, seed \(p.seed)"
        }
        var n = target.rows
        if p.flow == .buresWasserstein {
            // Remark 9 needs a symmetric gradient: the target symmetrised.
            target = 0.5 * (target + target.transposed)
            origin += ", symmetrised"
        }
        n = target.rows
        var targetSigma = (try? SVD.of(target).sigma) ?? []
        let scale = targetSigma.first ?? 1
        var reachable: Matrix? = nil
        var note: String? = nil
        if p.flow == .buresWasserstein, let part = try? PositivePart.of(target) {
            // W = W_1^T W_1 is PSD (Remark 9): the negative eigenvalues of sym A cannot be learned.
            reachable = part.matrix
            targetSigma = part.sigma
            note = "the positive semidefinite part of the symmetrised target (W = W_1^T W_1 is PSD, Remark 9)"
        }
        switch p.energy {
        case .completion, .twoByTwo:
            var mask: Matrix
            if let path = p.maskPath {
                mask = try MatrixCSV.read(path: path, binary: true)
                guard mask.rows == n else {
                    throw DataFileError(path: path, message: "mask is \(mask.rows) x \(mask.cols) but the target is \(n) x \(n)")
                }
                origin += ", mask from \(path)"
            } else {
                mask = randomMask(size: n, fraction: p.observed, rng: &rng)
                if p.flow == .buresWasserstein {
                    for i in 0..<n { for j in 0..<n where mask[i, j] == 1 { mask[j, i] = 1 } }
                }
                origin += ", \(Int(mask.storage.reduce(0, +))) of \(n * n) entries observed"
            }
            return Problem(data: .completion(mask: mask), size: n, target: target, scale: scale > 0 ? scale : 1, origin: origin, targetSigma: targetSigma,
                           reachable: reachable, groundTruthNote: note)
        case .denoise:
            var y = target
            if p.noise > 0 {
                let noise = rng.gaussianMatrix(rows: n, cols: n, scale: p.noise / Double(n).squareRoot())
                y.add(noise)
                origin += ", Gaussian noise of level \(p.noise)"
            }
            return Problem(data: .denoise(observation: y), size: n, target: target, scale: scale > 0 ? scale : 1, origin: origin, targetSigma: targetSigma,
                           reachable: reachable, groundTruthNote: note)
        case .sensing:
            let m = p.measurementCount
            let a = rng.gaussianMatrix(rows: m, cols: n * n)
            origin += ", \(m) Gaussian measurements"
            return Problem(data: .sensing(measurements: a), size: n, target: target, scale: scale > 0 ? scale : 1, origin: origin, targetSigma: targetSigma,
                           reachable: reachable, groundTruthNote: note)
        }
    }

    /// G_1 G_2 with Gaussian d x r and r x d factors, divided by its spectral norm.
    public static func randomLowRank(size d: Int, rank r: Int, rng: inout Xoshiro256) -> Matrix {
        let g1 = rng.gaussianMatrix(rows: d, cols: r)
        let g2 = rng.gaussianMatrix(rows: r, cols: d)
        var a = g1 * g2
        let s = (try? SVD.of(a).sigma.first) ?? 1
        a.scale(by: 1 / s)
        return a
    }

    /// Exactly round(fraction d^2) entries observed (at least one), chosen uniformly.
    public static func randomMask(size d: Int, fraction: Double, rng: inout Xoshiro256) -> Matrix {
        let total = d * d
        let count = min(total, max(1, Int((fraction * Double(total)).rounded())))
        var order = Array(0..<total)
        for i in stride(from: total - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        var mask = Matrix.zeros(d)
        for k in order.prefix(count) { mask.storage[k] = 1 }
        return mask
    }
}

/// The seed's independent streams: one generator algorithm, one seed, three uses that do not
/// disturb each other.
public enum RandomStreams {
    public static func problem(_ seed: UInt64) -> UInt64 { seed }
    public static func initial(_ seed: UInt64) -> UInt64 { seed ^ 0x5851_F42D_4C95_7F2D }
    public static func noise(_ seed: UInt64) -> UInt64 { seed ^ 0x1405_7B7E_F767_814F }
}
