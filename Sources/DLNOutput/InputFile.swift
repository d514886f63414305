import DLNEngine

/// A data file a run read (`--target`, `--mask`, `--initial`), with the hash of its bytes.
public struct InputFile: Equatable, Sendable {
    /// The flag's name without dashes: target, mask or initial.
    public let role: String
    public let path: String
    /// SHA-256 of the bytes, nil if the file could not be read again.
    public let sha256: String?

    public init(role: String, path: String, sha256: String?) {
        self.role = role
        self.path = path
        self.sha256 = sha256
    }

    /// The files `p` names, hashed now (call it when the run reads them).
    public static func of(_ p: Parameters) -> [InputFile] {
        [("target", p.targetPath), ("mask", p.maskPath), ("initial", p.initialPath)].compactMap { role, path in
            path.map { InputFile(role: role, path: $0, sha256: SHA256.hex(ofFile: $0)) }
        }
    }
}
