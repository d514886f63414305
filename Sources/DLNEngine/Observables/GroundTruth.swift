/// The clean matrix a run is meant to recover, when the problem has one: the target A of completion
/// and sensing, the target before noise for denoise. The two-by-two problem (14.1) fixes only the
/// diagonal, so it has none; nor does the dyson flow, which has no target at all.
public struct GroundTruth: Sendable {
    /// The clean target A (bures-wasserstein: its symmetrised PSD part).
    public let target: Matrix
    /// 1 on the entries the energy does not see (completion only), 0 elsewhere.
    public let unobserved: Matrix?
    private let targetNorm: Double
    private let unobservedNorm: Double

    /// Whether a problem has a clean target to measure errors against.
    public static func applies(to problem: Problem) -> Bool {
        problem.kind != .twoByTwo && problem.target.storage.contains { $0 != 0 }
    }

    /// nil where the problem has no ground truth or the target is zero (no relative error).
    public init?(problem: Problem) {
        guard Self.applies(to: problem) else { return nil }
        // bures-wasserstein: the PSD part of the symmetrised target, all its W = W_1^T W_1 can reach.
        target = problem.reachable ?? problem.target
        targetNorm = target.frobeniusNorm
        guard targetNorm > 0 else { return nil }
        if problem.kind == .completion, let mask = problem.mask, mask.storage.contains(0) {
            var p = mask
            for k in p.storage.indices { p.storage[k] = 1 - mask.storage[k] }
            unobserved = p
            let norm = Self.norm(of: target, minus: nil, on: p)
            unobservedNorm = norm
        } else {
            unobserved = nil
            unobservedNorm = 0
        }
    }

    /// ||W - A||_F / ||A||_F.
    public func error(_ w: Matrix) -> Double {
        Self.norm(of: w, minus: target, on: nil) / targetNorm
    }

    /// ||P(W - A)||_F / ||P A||_F, P keeping the unobserved entries: the generalisation error of
    /// completion. nil where every entry is observed; where P A = 0 it is ||P W||_F / ||A||_F.
    public func unobservedError(_ w: Matrix) -> Double? {
        guard let p = unobserved else { return nil }
        let norm = Self.norm(of: w, minus: target, on: p)
        return norm / (unobservedNorm > 0 ? unobservedNorm : targetNorm)
    }

    /// ||P(X - Y)||_F without allocating: the observer calls it at every recorded step.
    private static func norm(of x: Matrix, minus y: Matrix?, on p: Matrix?) -> Double {
        var sum = 0.0
        x.storage.withUnsafeBufferPointer { xs in
            for k in 0..<xs.count {
                if let p, p.storage[k] == 0 { continue }
                let v = xs[k] - (y?.storage[k] ?? 0)
                sum += v * v
            }
        }
        return sum.squareRoot()
    }
}
