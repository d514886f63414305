/// Matrix completion (3.8): E = 1/2 sum_{(i,j) in S} (W_ij - a_ij)^2, E' = P_S(W - A).
/// The 2x2 problem (14.1) is the case d = 2, S = the diagonal, a = 1.
public final class CompletionEnergy: Energy {
    public let kind: EnergyKind
    public let target: Matrix
    public let mask: Matrix

    public init(target: Matrix, mask: Matrix, kind: EnergyKind = .completion) {
        precondition(target.rows == mask.rows && target.cols == mask.cols)
        self.target = target
        self.mask = mask
        self.kind = kind
    }

    public var size: Int { target.rows }

    public func value(_ w: Matrix) -> Double {
        var e = 0.0
        for k in 0..<w.storage.count where mask.storage[k] != 0 {
            let r = w.storage[k] - target.storage[k]
            e += r * r
        }
        return 0.5 * e
    }

    public func gradient(_ w: Matrix, into g: inout Matrix) {
        g.storage.withUnsafeMutableBufferPointer { pg in
            w.storage.withUnsafeBufferPointer { pw in
                target.storage.withUnsafeBufferPointer { pa in
                    mask.storage.withUnsafeBufferPointer { pm in
                        for k in 0..<pg.count { pg[k] = pm[k] * (pw[k] - pa[k]) }
                    }
                }
            }
        }
    }
}
