import Foundation

/// The N -> inf limit of Lemma 1's quantities after the generator is divided by N (14.6-14.11):
/// C_kl / N -> the logarithmic mean of s_k^2 and s_l^2, C_kk / N -> s_k^2, and the entropy's
/// gradient converges with S_inf = 1/2 sum_{k<l} log C_kl (MATH.md section 4: the paper's (14.11)
/// omits the 1/2, which makes the N -> inf convergence of the entropy gradient fail by a factor 2).
public enum InfiniteDepth {
    /// (s_k^2 - s_l^2) / (2 log(s_k/s_l)) (14.8-14.9) as s_hi^2 (-expm1(2l)) / (-2l), l = log(s_lo/s_hi):
    /// s_hi^2 at l = 0 without cancellation, 0 when s_lo = 0.
    @inline(__always)
    public static func eigenvalue(_ sk: Double, _ sl: Double) -> Double {
        let hi = max(sk, sl), lo = min(sk, sl)
        if hi == 0 { return 0 }
        let l = lo < 0.5 * hi ? log(lo) - log(hi) : log1p((lo - hi) / hi)
        let ratio = l == 0 ? 1 : expm1(2 * l) / (2 * l)
        return hi * hi * ratio
    }

    /// d log C_kl / d log s_k = 2/(1 - e^(-2t)) - 1/t, t = log s_k - log s_l, with its series
    /// 1 + t/3 - t^3/45 + 2t^5/945 near t = 0 where the two terms cancel.
    @inline(__always)
    static func logDerivative(_ t: Double) -> Double {
        if abs(t) < 1e-2 {
            let t2 = t * t
            return 1 + t / 3 - t * t2 / 45 + 2 * t * t2 * t2 / 945
        }
        return -2 / expm1(-2 * t) - 1 / t
    }

    /// Sigma'_kk = C_kk dS_inf/ds_k = (s_k / 2) sum_{l != k} g(log s_k - log s_l).
    public static func entropyForce(_ sigma: [Double], into out: inout [Double]) {
        for k in 0..<sigma.count {
            let sk = sigma[k]
            if sk == 0 { out[k] = 0; continue }
            var sum = 0.0
            for l in 0..<sigma.count where l != k {
                let sl = sigma[l]
                sum += logDerivative(sk == sl ? 0 : log(sk) - log(sl))
            }
            out[k] = 0.5 * sk * sum
        }
    }
}
