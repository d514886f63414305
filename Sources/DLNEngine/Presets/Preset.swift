/// A named parameter set, with the run length and interactive speed that show its phenomenon.
public struct Preset: Sendable {
    public let name: String
    /// What a user should see.
    public let shows: String
    public let parameters: Parameters
    /// A comparison preset's configurations (`--compare`'s form, over `parameters`); empty for one run.
    public var compare: [String] = []
    /// Members of the ensemble view the preset opens (`hyperbola`); nil opens the single run.
    public var members: Int? = nil

    public static func named(_ name: String) -> Preset? { all.first { $0.name == name } }
    public static var names: String { all.map(\.name).joined(separator: ", ") }
    public static let defaultName = "completion"

    public static let all: [Preset] = [completion, twoByTwo, denoise, sensing, entropy, langevin, buresWasserstein, infiniteDepth, dyson, depth, landscape, hyperbola]
}
