/// The depth N of the network: a finite number of factors, or N = inf, the depth-normalised limit
/// of section 14 (14.6-14.11), which only the downstairs flows reach. A type rather than a sentinel
/// integer, so that no arithmetic can run on "infinity" by mistake.
public enum Depth: Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    case finite(Int)
    case infinite

    public init(integerLiteral value: Int) { self = .finite(value) }

    /// "inf", "infinity" (any case) or an integer; nil for anything else.
    public init?(_ text: String) {
        if ["inf", "infinity"].contains(text.lowercased()) { self = .infinite; return }
        guard let n = Int(text) else { return nil }
        self = .finite(n)
    }

    /// The number of factors; nil at N = inf.
    public var factors: Int? {
        if case .finite(let n) = self { return n }
        return nil
    }

    public var isInfinite: Bool { self == .infinite }

    /// The factors a factor-based representation stores: N, or one (the end-to-end matrix) at N = inf.
    public var storedFactors: Int { factors ?? 1 }

    /// N as a real number (inf at N = inf).
    public var value: Double { factors.map(Double.init) ?? .infinity }

    /// "3" or "inf": how flags, sidecars and the screen write it.
    public var description: String { factors.map(String.init) ?? "inf" }
}
