/// An energy E: M_d -> R with its Euclidean gradient E'(W). Adding one is a new file with a type
/// conforming to this and a case in `EnergyKind`.
public protocol Energy: AnyObject {
    var kind: EnergyKind { get }
    var size: Int { get }
    func value(_ w: Matrix) -> Double
    /// g = E'(W), written into a preallocated matrix.
    func gradient(_ w: Matrix, into g: inout Matrix)
}

/// The energies a run can name (`--energy`).
public enum EnergyKind: String, CaseIterable, Sendable, Codable {
    case completion
    case twoByTwo = "two-by-two"
    case denoise
    case sensing

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
