import Foundation

/// How an axis maps values: as they are, or by their base-10 logarithm.
public enum AxisScale: String, Sendable, Equatable {
    case linear
    case log10

    /// The word a chart shows when it says which scale it draws ("log" / "linear").
    public var word: String { self == .linear ? "linear" : "log" }

    /// A value in axis units: itself, or log10 of it; -inf for values <= 0 on a log axis (the floor).
    @inline(__always)
    public func axisValue(_ y: Double) -> Double {
        switch self {
        case .linear: return y
        case .log10:
            if y.isNaN { return .nan }
            return y > 0 ? Foundation.log10(y) : -.infinity
        }
    }
}
