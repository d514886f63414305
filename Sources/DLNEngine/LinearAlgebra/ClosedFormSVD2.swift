import Foundation

/// W = U diag(sigma) V^T of a 2 x 2 matrix in closed form (5.17), for the spectral frame at d = 2,
/// where LAPACK's call and the tracker's sweep cost more than the decomposition itself.
///
/// With E = (a + d)/2, F = (a - d)/2, G = (c + b)/2, H = (c - b)/2 for W = [[a, b], [c, d]],
/// W = R(phi) diag(Q + R, Q - R) R(theta), Q = hypot(E, H), R = hypot(F, G), R(x) the rotation by x,
/// phi = (atan2(H, E) + atan2(G, F))/2, theta = (atan2(H, E) - atan2(G, F))/2.
/// sigma_2 is det(W) / sigma_1 (det by Kahan's fused form), not Q - R: the difference cancels when
/// W is nearly singular, the quotient keeps sigma_2's relative accuracy. A negative det makes
/// sigma_2 = |det| / sigma_1 and flips V^T's second row, so U is always a rotation and
/// det(V) = sign(det W). sigma_1 >= sigma_2 >= 0 by construction (Q + R >= |Q - R|).
public final class ClosedFormSVD2 {
    /// Left singular vectors as columns (a rotation).
    @exclusivity(unchecked) public private(set) var u: Matrix
    /// Singular values, descending.
    @exclusivity(unchecked) public private(set) var sigma: [Double]
    /// Right singular vectors as rows (V^T).
    @exclusivity(unchecked) public private(set) var vt: Matrix

    /// Entries outside [2^-450, 2^450] in magnitude (but not all zero) are declined: there a*d or
    /// the squares of hypot's arguments could leave the normal range; LAPACK rescales.
    static let largest = 0x1p450, smallest = 0x1p-450

    public init() {
        u = .identity(2)
        sigma = [0, 0]
        vt = .identity(2)
    }

    /// True on success (u, sigma, vt set); false, with the previous decomposition kept, for
    /// non-finite entries or entries outside the safe range (the caller then asks LAPACK).
    public func decompose(_ w: Matrix) -> Bool {
        precondition(w.rows == 2 && w.cols == 2, "SVD size mismatch")
        let a = w.storage[0], b = w.storage[1], c = w.storage[2], d = w.storage[3]
        // Swift's max drops a NaN argument, so finiteness is tested entry by entry.
        guard a.isFinite && b.isFinite && c.isFinite && d.isFinite else { return false }
        let m = max(max(abs(a), abs(b)), max(abs(c), abs(d)))
        guard m <= Self.largest else { return false }
        if m == 0 {
            set(cosPhi: 1, sinPhi: 0, cosTheta: 1, sinTheta: 0, sigma1: 0, sigma2: 0, flip: false)
            return true
        }
        guard m >= Self.smallest else { return false }
        let e = 0.5 * (a + d), f = 0.5 * (a - d), g = 0.5 * (c + b), h = 0.5 * (c - b)
        let q = hypot(e, h), r = hypot(f, g)
        let a1 = atan2(g, f), a2 = atan2(h, e)
        let phi = 0.5 * (a2 + a1), theta = 0.5 * (a2 - a1)
        let s1 = q + r
        let s2 = Self.determinant(a, b, c, d) / s1
        set(cosPhi: cos(phi), sinPhi: sin(phi), cosTheta: cos(theta), sinTheta: sin(theta),
            sigma1: s1, sigma2: min(abs(s2), s1), flip: s2 < 0)
        return true
    }

    /// ad - bc to within ~2 ulps of the exact value (Kahan's algorithm with fused multiply-adds).
    static func determinant(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Double {
        let bc = b * c
        let e = bc.addingProduct(-b, c)   // bc - b c exactly: bc's rounding error
        let f = (-bc).addingProduct(a, d) // a d - bc, one rounding
        return f + e
    }

    /// Takes LAPACK's decomposition (of a matrix this type declined).
    public func load(_ svd: SVD) {
        precondition(svd.n == 2)
        u.copy(from: svd.u)
        vt.copy(from: svd.vt)
        sigma[0] = svd.sigma[0]; sigma[1] = svd.sigma[1]
    }

    private func set(cosPhi: Double, sinPhi: Double, cosTheta: Double, sinTheta: Double,
                     sigma1: Double, sigma2: Double, flip: Bool) {
        u.storage[0] = cosPhi; u.storage[1] = -sinPhi
        u.storage[2] = sinPhi; u.storage[3] = cosPhi
        let s: Double = flip ? -1 : 1
        vt.storage[0] = cosTheta; vt.storage[1] = -sinTheta
        vt.storage[2] = s * sinTheta; vt.storage[3] = s * cosTheta
        sigma[0] = sigma1; sigma[1] = sigma2
    }
}
