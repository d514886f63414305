import Foundation

/// Tells an unbounded free energy from a step size that is too large, when a step is refused.
/// Euler with too large a dt destroys the fit first and blows up within a few steps; a free
/// energy unbounded below (directions E does not see, which the entropy term pays to grow, as
/// for two-by-two's w12, w21 at finite beta) grows ||W||_F steadily over hundreds of steps while
/// E stays fitted, and a smaller dt only delays the refusal.
public struct GrowthWatch: Sendable {
    public struct Sample: Sendable, Equatable {
        public var step: Int
        public var norm: Double
        public var energy: Double
        public init(step: Int, norm: Double, energy: Double) {
            self.step = step
            self.norm = norm
            self.energy = energy
        }
    }

    /// The growth that makes the verdict: from `from` to `to` over `steps` steps.
    public struct SteadyGrowth: Sendable, Equatable {
        public var from: Double
        public var to: Double
        public var steps: Int
    }

    /// Steps between samples: every 0.5 of time, so the window means the same time whatever dt
    /// (the headless run samples itself; the interface uses its history).
    public static func stride(dt: Double) -> Int {
        // Clamped before the conversion: 0.5 / dt overflows Int for dt below ~5e-20 (a trap, not a stride).
        let steps = (0.5 / dt).rounded()
        return steps.isFinite && steps < Double(1 << 20) ? max(1, Int(steps)) : 1 << 20
    }
    public static let capacity = 64
    private(set) var samples: [Sample] = []

    public init() {}

    public mutating func record(step: Int, norm: Double, energy: Double) {
        if let last = samples.last, step <= last.step { samples.removeAll { $0.step >= step } }
        samples.append(Sample(step: step, norm: norm, energy: energy))
        if samples.count > Self.capacity { samples.removeFirst(samples.count - Self.capacity) }
    }

    /// `scale`: ||A||_F of the problem (what a fitted W is about the size of).
    public func verdict(scale: Double) -> SteadyGrowth? { Self.verdict(samples, scale: scale) }

    /// Steady growth over the samples before the refusal: over the last `capacity` of them (20
    /// at least) ||W||_F rose in at least 90% of the intervals and by 20% at least, ends above
    /// 3 ||A||_F, and E at the end is no larger than at the first sample (still fitted).
    public static func verdict(_ all: [Sample], scale: Double) -> SteadyGrowth? {
        var finite = all.filter { $0.norm.isFinite && $0.energy.isFinite }
        // The blow-up itself (its last few samples, E far above the run's best) is not the trend.
        let best = finite.map(\.energy).min() ?? 0
        while let l = finite.last, l.energy > 100 * best + 1e-300 { finite.removeLast() }
        guard let last = finite.last, let first = finite.first else { return nil }
        // The window: the last `capacity` samples, 20 at least (10 time units at the stride above).
        let window = Array(finite.suffix(capacity))
        guard window.count >= 20 else { return nil }
        let rises = zip(window, window.dropFirst()).filter { $1.norm > $0.norm }.count
        guard Double(rises) >= 0.9 * Double(window.count - 1),
              last.norm >= 1.2 * window[0].norm, last.norm > 3 * scale, last.energy <= first.energy else { return nil }
        return SteadyGrowth(from: window[0].norm, to: last.norm, steps: last.step - window[0].step)
    }

    /// The advice in words.
    public static func advice(_ g: SteadyGrowth) -> String {
        "the free energy F is unbounded below for this problem: ||W|| grew steadily from \(NumberFormat.short(round3(g.from))) "
            + "to \(NumberFormat.short(round3(g.to))) over \(g.steps) steps while E stayed fitted, so a smaller dt only delays this; "
            + "raise beta, observe more entries, or use the noiseless flow"
    }

    /// Three significant digits, printed short (2.16, 1710).
    static func round3(_ x: Double) -> Double { Double(String(format: "%.3g", x)) ?? x }
}
