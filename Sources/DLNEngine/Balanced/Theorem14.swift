import Foundation

/// Theorem 14's orthonormal basis of (T_W M, Frobenius) at W = z(Lambda, Q) (8.20-8.24), with the
/// correction of MATH.md 2.5: (8.21) needs a minus sign,
///   u_s^{k,l,p} = a^{k,l,p,s} q_{s,k} q_{s-1,l}^T - a^{l,k,p,s} q_{s,l} q_{s-1,k}^T.
/// With the printed plus the u^{k,l,p} are orthonormal and in the kernel of D phi but normal to M.
///
/// Every vector is Q_s X_s Q_{s-1}^T in layer s with a body-frame X_s supported on the entries
/// (k,k) or (k,l), (l,k): the formulas below give those entries. They depend on Lambda only through
/// the ratios lambda_k / max and lambda_l / max (each vector is homogeneous of degree 0), which keeps
/// lambda^N from overflowing at large depth and makes lambda_k = lambda_l = 0 the equal-value limit.
public enum Theorem14 {
    public enum OrbitSign: Sendable {
        /// u_s = a^{klps} q_{s,k} q_{s-1,l}^T - a^{lkps} q_{s,l} q_{s-1,k}^T: tangent to M.
        case corrected
        /// (8.21) as printed, with +: normal to M (kept as the law test's negative control).
        case printed
    }

    /// Which vector: indices are 0-based (k < l for the u's).
    public enum Label: Equatable, Hashable, Sendable {
        /// l^k (8.20).
        case diagonal(k: Int)
        /// u^{k,l,p}; p in 1 ... N-1 spans the group orbit (8.21-8.22), p = 0 and p = N are (8.23), (8.24).
        case pair(k: Int, l: Int, p: Int)

        /// Whether the vector lies along the group orbit O_W (the kernel of phi_*).
        public func isOrbit(depth n: Int) -> Bool {
            if case .pair(_, _, let p) = self { return p >= 1 && p <= n - 1 }
            return false
        }
    }

    public struct Vector: Sendable {
        public let label: Label
        /// Layer s at index s-1, ambient.
        public let components: [Matrix]
    }

    /// sin(j pi / N) for all integers j, from one table of 2N values.
    public struct SineTable: Sendable {
        public let depth: Int
        private let values: [Double]
        private let cosines: [Double]

        public init(depth n: Int) {
            depth = n
            values = (0..<(2 * n)).map { Foundation.sin(Double($0) * Double.pi / Double(n)) }
            cosines = (0...n).map { Foundation.cos(Double($0) * Double.pi / Double(n)) }
        }

        /// sin(m pi / N), m >= 0.
        @inline(__always) public func sin(_ m: Int) -> Double { values[m % (2 * depth)] }
        /// cos(p pi / N), 0 <= p <= N.
        @inline(__always) public func cos(_ p: Int) -> Double { cosines[p] }
    }

    /// lambda_k and lambda_l divided by the larger; (1, 1) when both vanish.
    @inline(__always)
    public static func ratios(_ lk: Double, _ ll: Double) -> (x: Double, y: Double) {
        let hi = max(lk, ll)
        return hi > 0 ? (lk / hi, ll / hi) : (1, 1)
    }

    /// The normalisation of (8.22), 1 / sqrt(N (x^2 + y^2 - 2 x y cos(p pi / N))).
    @inline(__always)
    public static func orbitNorm(_ x: Double, _ y: Double, p: Int, table: SineTable) -> Double {
        let n = Double(table.depth)
        return 1 / (n * (x * x + y * y - 2 * x * y * table.cos(p))).squareRoot()
    }

    /// Body entries (k,l) and (l,k) of u_s^{k,l,p}, 1 <= p <= N-1 (8.21 corrected, 8.22), with
    /// c = `orbitNorm`: a^{k,l,p,s} = c (x sin((s-1)p pi/N) - y sin(s p pi/N)).
    @inline(__always)
    public static func orbitEntries(
        _ x: Double, _ y: Double, c: Double, p: Int, s: Int, table: SineTable, sign: OrbitSign = .corrected
    ) -> (kl: Double, lk: Double) {
        let before = table.sin((s - 1) * p), here = table.sin(s * p)
        let akl = c * (x * before - y * here)
        let alk = c * (y * before - x * here)
        return (akl, sign == .corrected ? -alk : alk)
    }

    /// C_kl / lambda_max^(2N-2) = sum_{s=1}^N x^(2(N-s)) y^(2(s-1)): a sum of positive terms, so
    /// exact however close lambda_k and lambda_l are (Lemma 1's eigenvalue in the lambda variables).
    public static func scaledEigenvalue(_ x: Double, _ y: Double, depth n: Int) -> Double {
        var sum = 0.0
        for s in 1...n { sum += pow(x, Double(2 * (n - s))) * pow(y, Double(2 * (s - 1))) }
        return sum
    }

    /// Body entry (k,l) of u_s^{k,l,N} (8.24): x^(N-s) y^(s-1) / sqrt(C_kl / lambda_max^(2N-2)).
    /// The entry (l,k) of u_s^{k,l,0} (8.23) is the same with x and y exchanged.
    @inline(__always)
    public static func horizontalEntry(_ x: Double, _ y: Double, s: Int, depth n: Int, scaledEigenvalue c: Double) -> Double {
        pow(x, Double(n - s)) * pow(y, Double(s - 1)) / c.squareRoot()
    }

    /// The whole basis at a point, ambient (cold path, for tests and diagnostics): d vectors l^k,
    /// then for each pair k < l the vectors u^{k,l,p}, p = 0 ... N.
    public static func basis(at point: BalancedCoordinates, sign: OrbitSign = .corrected) -> [Vector] {
        let d = point.size, n = point.depth
        let table = SineTable(depth: n)
        var out: [Vector] = []
        func ambient(_ body: [Matrix]) -> [Matrix] {
            (1...n).map { s in point.frames[s] * body[s - 1] * point.frames[s - 1].transposed }
        }
        func zeros() -> [Matrix] { (0..<n).map { _ in Matrix.zeros(d) } }
        for k in 0..<d {
            var body = zeros()
            for s in 0..<n { body[s][k, k] = 1 / Double(n).squareRoot() }
            out.append(Vector(label: .diagonal(k: k), components: ambient(body)))
        }
        for k in 0..<d {
            for l in (k + 1)..<max(k + 1, d) {
                let (x, y) = ratios(point.lambda[k], point.lambda[l])
                let c = scaledEigenvalue(x, y, depth: n)
                for p in 0...n {
                    var body = zeros()
                    for s in 1...n {
                        if p == 0 {
                            body[s - 1][l, k] = horizontalEntry(y, x, s: s, depth: n, scaledEigenvalue: c)
                        } else if p == n {
                            body[s - 1][k, l] = horizontalEntry(x, y, s: s, depth: n, scaledEigenvalue: c)
                        } else {
                            let e = orbitEntries(x, y, c: orbitNorm(x, y, p: p, table: table), p: p, s: s,
                                                 table: table, sign: sign)
                            body[s - 1][k, l] = e.kl
                            body[s - 1][l, k] = e.lk
                        }
                    }
                    out.append(Vector(label: .pair(k: k, l: l, p: p), components: ambient(body)))
                }
            }
        }
        return out
    }
}
