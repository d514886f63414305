import Foundation

/// The noise of the RLE upstairs (12.1-12.3, 12.11) in the body frame: an ambient increment dB is
/// projected onto Theorem 14's basis (an orthonormal basis, so the coordinates xi_b = <e_b, dB> are
/// iid N(0, dt)) and resynthesised with the orbit part scaled by `orbitScale` = sqrt(2/beta) and the
/// normal part (l^k, u^{k,l,0}, u^{k,l,N}) by `normalScale` = sqrt(2 kappa/beta):
///   noise = sqrt(2/beta) (sum_orbit xi_b e_b + sqrt(kappa) sum_perp xi_b e_b)   (MATH.md 2.5).
/// Input and output are body coordinates X_s = Q_s^T V_s Q_{s-1}; the basis couples only the entries
/// (k,k) across layers and the pair (k,l), (l,k) across layers, so the cost is O(N^2 d^2) with no
/// d^2 N x d^2 N matrix.
final class AnisotropicProjection {
    let size: Int
    private(set) var table: Theorem14.SineTable
    let sign: Theorem14.OrbitSign
    /// Six rows of N: the orbit entries (k,l) and (l,k) of one u^{k,l,p}, the horizontal entries of
    /// u^{k,l,N} and u^{k,l,0}, and the powers x^j, y^j.
    private var work: [Double] = []

    init(size d: Int, sign: Theorem14.OrbitSign) {
        size = d
        self.sign = sign
        table = Theorem14.SineTable(depth: 1)
    }

    private func fit(depth n: Int) {
        guard table.depth != n || work.count != 6 * n else { return }
        table = Theorem14.SineTable(depth: n)
        work = [Double](repeating: 0, count: 6 * n)
    }

    /// out_s = orbitScale P_O(D)_s + normalScale P_perp(D)_s, `d[s-1]` = D_s (body coordinates).
    func apply(_ d: [Matrix], lambda: [Double], orbitScale: Double, normalScale: Double, into out: inout [Matrix]) {
        let n = d.count, m = size
        fit(depth: n)
        for s in 0..<n { out[s].setZero() }
        let rootN = Double(n).squareRoot()
        for k in 0..<m {
            var xi = 0.0
            for s in 0..<n { xi += d[s].storage[k * m + k] }
            xi /= rootN
            let v = normalScale * xi / rootN
            for s in 0..<n { out[s].storage[k * m + k] = v }
        }
        guard m > 1 else { return }
        // Locals and one raw buffer: class properties touched in the loop would cost a dynamic
        // exclusivity check per access.
        let table = self.table, sign = self.sign
        var work: [Double] = []
        swap(&work, &self.work)
        defer { swap(&work, &self.work) }
        work.withUnsafeMutableBufferPointer { w in
            let kl = w.baseAddress!, lk = kl + n, hN = kl + 2 * n, h0 = kl + 3 * n, px = kl + 4 * n, py = kl + 5 * n
            for k in 0..<(m - 1) {
                for l in (k + 1)..<m {
                    let (x, y) = Theorem14.ratios(lambda[k], lambda[l])
                    // (8.23-8.24) by running powers: px[j] = x^j, py[j] = y^j, and
                    // C_kl / lambda_max^(2N-2) = sum_s x^(2(N-s)) y^(2(s-1)).
                    px[0] = 1; py[0] = 1
                    for j in 1..<max(n, 1) { px[j] = px[j - 1] * x; py[j] = py[j - 1] * y }
                    var c = 0.0
                    for s in 1...n { c += px[n - s] * px[n - s] * py[s - 1] * py[s - 1] }
                    let norm = 1 / c.squareRoot()
                    let ikl = k * m + l, ilk = l * m + k
                    var xiN = 0.0, xi0 = 0.0
                    for s in 1...n {
                        hN[s - 1] = px[n - s] * py[s - 1] * norm
                        h0[s - 1] = py[n - s] * px[s - 1] * norm
                        xiN += hN[s - 1] * d[s - 1].storage[ikl]
                        xi0 += h0[s - 1] * d[s - 1].storage[ilk]
                    }
                    for s in 0..<n {
                        out[s].storage[ikl] = normalScale * xiN * hN[s]
                        out[s].storage[ilk] = normalScale * xi0 * h0[s]
                    }
                    guard n > 1 else { continue }
                    for p in 1..<n {
                        let norm = Theorem14.orbitNorm(x, y, p: p, table: table)
                        var xi = 0.0
                        for s in 1...n {
                            let e = Theorem14.orbitEntries(x, y, c: norm, p: p, s: s, table: table, sign: sign)
                            kl[s - 1] = e.kl
                            lk[s - 1] = e.lk
                            xi += e.kl * d[s - 1].storage[ikl] + e.lk * d[s - 1].storage[ilk]
                        }
                        let a = orbitScale * xi
                        for s in 0..<n {
                            out[s].storage[ikl] += a * kl[s]
                            out[s].storage[ilk] += a * lk[s]
                        }
                    }
                }
            }
        }
    }
}
