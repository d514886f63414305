import Foundation

/// xoshiro256** (Blackman and Vigna 2018), seeded through splitmix64. Every random draw in dlntui
/// comes from one of these, so a seed fixes a run bit for bit.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// The second Box-Muller variate, kept so no draw is wasted.
    private var spareGaussian: Double?

    public init(seed: UInt64) {
        var z = seed
        func splitmix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Uniform on [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal by the Box-Muller transform (exact, two variates per pair of uniforms).
    public mutating func gaussian() -> Double {
        if let g = spareGaussian { spareGaussian = nil; return g }
        var u1 = uniform()
        while u1 == 0 { u1 = uniform() }
        let u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareGaussian = r * sin(theta)
        return r * cos(theta)
    }

    /// Entries by Box-Muller, as initial states and problems have always been drawn, so a seed keeps
    /// giving the same start (the Wiener increments use the faster ziggurat: `fillGaussian`).
    public mutating func gaussianMatrix(rows: Int, cols: Int, scale: Double = 1) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for k in 0..<m.storage.count { m.storage[k] = scale * gaussian() }
        return m
    }

    /// A Haar-distributed orthogonal matrix: Gram-Schmidt (twice, for orthogonality to round-off) on
    /// a Gaussian matrix, i.e. its QR factor with a positive diagonal of R.
    ///
    /// The columns are worked on as the rows of the transpose, so every loop runs over contiguous
    /// memory: at d = 1024 the strided version took 92 s of start-up (5 frames), this one 12 s. The
    /// arithmetic is the same, operation for operation, so the bits are too.
    public mutating func orthogonal(_ n: Int) -> Matrix {
        var qt = gaussianMatrix(rows: n, cols: n).transposed
        qt.storage.withUnsafeMutableBufferPointer { buffer in
            let q = buffer.baseAddress!
            for j in 0..<n {
                let column = q + j * n
                for _ in 0..<2 {
                    for i in 0..<j {
                        let previous = q + i * n
                        var dot = 0.0
                        for r in 0..<n { dot += previous[r] * column[r] }
                        for r in 0..<n { column[r] -= dot * previous[r] }
                    }
                }
                var norm = 0.0
                for r in 0..<n { norm += column[r] * column[r] }
                norm = norm.squareRoot()
                for r in 0..<n { column[r] /= norm }
            }
        }
        return qt.transposed
    }
}
