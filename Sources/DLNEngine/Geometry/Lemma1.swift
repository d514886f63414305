import Foundation

/// The spectral quantities of the balanced geometry at depth N, all functions of the singular
/// values alone: Lemma 1's eigenvalues C_kl, the entropy S (Theorem 10), its Riemannian gradient
/// Sigma' (12.8) and the Ito drift Sigma'' (12.9). Each is written in a form that stays accurate
/// when singular values coincide or vanish (MATH.md sections 2-3).
public enum Lemma1 {
    // At N = inf (`Depth.infinite`) every quantity below is its depth-normalised limit (14.6-14.11),
    // after dividing the generator by N (`InfiniteDepth`).

    /// C_kl = sum_{p=1}^N s_k^(2(N-p)/N) s_l^(2(p-1)/N) (4.14, Lemma 1), evaluated in closed form as
    /// s_hi^(2-2/N) expm1(2 l) / expm1(2 l / N) with l = log(s_lo/s_hi) <= 0: no cancellation when
    /// s_k ~ s_l (the ratio tends to N) and exact when s_lo = 0 (the ratio is 1).
    @inline(__always)
    public static func eigenvalue(_ sk: Double, _ sl: Double, depth: Depth) -> Double {
        guard let n = depth.factors else { return InfiniteDepth.eigenvalue(sk, sl) }
        if n == 1 { return 1 }
        let hi = max(sk, sl), lo = min(sk, sl)
        let nd = Double(n)
        return eigenvalue(hi: hi, lo: lo, logHi: log(hi), logLo: log(lo), powerHi: pow(hi, 2 - 2 / nd), depth: nd)
    }

    /// The closed form for 1 < N < inf, given hi >= lo >= 0; the logarithms and the power are
    /// evaluated only when needed, so the table can pass values it took once per singular value.
    @inline(__always)
    static func eigenvalue(hi: Double, lo: Double, logHi: @autoclosure () -> Double, logLo: @autoclosure () -> Double,
                           powerHi: @autoclosure () -> Double, depth nd: Double) -> Double {
        if hi == 0 { return 0 }
        // log1p keeps l accurate for close values; for lo < hi/2 the subtraction in log1p's argument
        // loses eps hi/lo of relative accuracy (lo/hi < 1e-16 even rounds to l = -inf), so take logs.
        let l = lo < 0.5 * hi ? logLo() - logHi() : log1p((lo - hi) / hi)
        let ratio = l == 0 ? nd : expm1(2 * l) / expm1(2 * l / nd)
        return powerHi() * ratio
    }

    /// The full d x d matrix of C_kl (symmetric). Allocates its scratch: for tests and cold paths.
    public static func eigenvalues(_ sigma: [Double], depth: Depth, into c: inout Matrix) {
        var scratch = [Double](repeating: 0, count: 2 * sigma.count)
        eigenvalues(sigma, depth: depth, scratch: &scratch, into: &c)
    }

    /// The same table, each pair by `eigenvalue`'s closed form but with log s and s^(2-2/N) taken once per
    /// value (in `scratch`, 2d entries) instead of once per pair: at d = 256 the d^2 pows and logs
    /// were a sixth of a langevin step. Bit-identical to calling `eigenvalue` per pair.
    public static func eigenvalues(_ sigma: [Double], depth: Depth, scratch: inout [Double], into c: inout Matrix) {
        let d = sigma.count
        precondition(c.rows == d && c.cols == d && scratch.count >= 2 * d)
        guard let n = depth.factors, n != 1 else {
            for k in 0..<d { for l in k..<d { let v = eigenvalue(sigma[k], sigma[l], depth: depth); c[k, l] = v; c[l, k] = v } }
            return
        }
        let nd = Double(n)
        let exponent = 2 - 2 / nd
        for k in 0..<d {
            scratch[k] = log(sigma[k])
            scratch[d + k] = pow(sigma[k], exponent)
        }
        for k in 0..<d {
            for l in k..<d {
                let (h, o) = sigma[k] >= sigma[l] ? (k, l) : (l, k)
                let v = eigenvalue(hi: sigma[h], lo: sigma[o], logHi: scratch[h], logLo: scratch[o],
                                   powerHi: scratch[d + h], depth: nd)
                c[k, l] = v
                c[l, k] = v
            }
        }
    }

    /// S = 1/2 sum_{i<j} log C_ij (6.2 with Lemma 1), without the additive constant (N-1) log c_d.
    /// Two zero singular values make some C_ij = 0 and S = -inf.
    public static func entropy(_ sigma: [Double], depth: Depth) -> Double {
        if depth == 1 { return 0 }
        // At N = inf the same sum over the logarithmic means: S_inf with MATH.md's factor 1/2 (14.11).
        var s = 0.0
        for i in 0..<sigma.count {
            for j in (i + 1)..<max(i + 1, sigma.count) {
                s += 0.5 * log(eigenvalue(sigma[i], sigma[j], depth: depth))
            }
        }
        return s
    }

    /// d log C_kl / d log s_k as a function of t = log s_k - log s_l:
    /// 2/(1 - e^(-2t)) - (2/N)/(1 - e^(-2t/N)). Both terms blow up like 1/t as t -> 0, so small t
    /// uses the series (1 - 1/N) + t/3 (1 - 1/N^2) - t^3/45 (1 - 1/N^4) + 2t^5/945 (1 - 1/N^6).
    @inline(__always)
    static func logDerivative(_ t: Double, depth n: Int) -> Double {
        let nd = Double(n)
        if abs(t) < 1e-2 {
            let t2 = t * t
            let n2 = 1 / (nd * nd)
            return (1 - 1 / nd) + t / 3 * (1 - n2) - t * t2 / 45 * (1 - n2 * n2)
                + 2 * t * t2 * t2 / 945 * (1 - n2 * n2 * n2)
        }
        return -2 / expm1(-2 * t) + (2 / nd) / expm1(-2 * t / nd)
    }

    /// Sigma'_kk = C_kk dS/ds_k (12.8), computed as (N/2) s_k^(1-2/N) sum_{l != k} g(log s_k - log s_l)
    /// with g = `logDerivative`: the fractions of (12.8) cancel catastrophically when s_k ~ s_l.
    public static func entropyForce(_ sigma: [Double], depth: Depth, into out: inout [Double]) {
        var logs = [Double](repeating: 0, count: sigma.count)
        entropyForce(sigma, depth: depth, logs: &logs, into: &out)
    }

    /// The same, with log s_l taken once per value (in `logs`, d entries) instead of once per pair.
    public static func entropyForce(_ sigma: [Double], depth: Depth, logs: inout [Double], into out: inout [Double]) {
        let d = sigma.count
        precondition(logs.count >= d)
        guard let n = depth.factors else {
            InfiniteDepth.entropyForce(sigma, into: &out)
            return
        }
        if n == 1 {
            for k in 0..<d { out[k] = 0 }
            return
        }
        let nd = Double(n)
        for k in 0..<d { logs[k] = log(sigma[k]) }
        for k in 0..<d {
            let sk = sigma[k]
            let prefactor = 0.5 * nd * pow(sk, 1 - 2 / nd)
            if prefactor == 0 { out[k] = 0; continue }
            var sum = 0.0
            for l in 0..<d where l != k {
                // Two equal values (including two zeros) are the t = 0 limit.
                let t = sk == sigma[l] ? 0 : logs[k] - logs[l]
                sum += logDerivative(t, depth: n)
            }
            out[k] = prefactor * sum
        }
    }

    /// Sigma''_kk = (N-1) s_k^((N-2)/N) (12.9): the Ito drift of Brownian motion on (M_d, g^N).
    public static func itoDrift(_ sigma: [Double], depth: Depth, into out: inout [Double]) {
        guard let n = depth.factors else {
            // lim (N-1) s^((N-2)/N) / N = s.
            for k in 0..<sigma.count { out[k] = sigma[k] }
            return
        }
        let nd = Double(n)
        for k in 0..<sigma.count {
            out[k] = n == 1 ? 0 : (nd - 1) * pow(sigma[k], (nd - 2) / nd)
        }
    }
}
