/// Why a study could not run or be collected; each carries its exit status.
public enum StudyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file of the study could not be written (status 1).
    case output(path: String, reason: String)
    /// A bad spec, a refused folder, a changed spec on resume (status 2).
    case spec(String)

    public var description: String {
        switch self {
        case .output(let path, let reason): return "cannot write \(path): \(reason)"
        case .spec(let message): return message
        }
    }

    public var exitStatus: Int32 {
        switch self {
        case .output: return 1
        case .spec: return 2
        }
    }
}
