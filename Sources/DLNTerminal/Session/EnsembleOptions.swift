import DLNStudy
import Foundation

/// The live interface's ensemble flags: `--members M` (start in the ensemble view), `--until-ci W`,
/// `--until-converged TOL`, and the threads the members run on.
public struct EnsembleOptions: Sendable {
    /// Members when `e` opens the view without `--members`.
    public static let defaultMembers = 200
    public var members: Int?
    public var untilCI: Double?
    public var untilConverged: Double?
    public var jobs: Int

    public init(members: Int? = nil, untilCI: Double? = nil, untilConverged: Double? = nil,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.members = members
        self.untilCI = untilCI
        self.untilConverged = untilConverged
        self.jobs = max(1, jobs)
    }
}
