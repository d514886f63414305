import Foundation

/// Two outputs of one run written to the same file: the later one would silently destroy the
/// earlier (`--output x.csv --final-matrix x.csv` left the final matrix where the rows were).
/// Paths are compared resolved and absolute, so `./x.csv`, `x.csv` and a symlinked folder meet.
public enum OutputClashes {
    /// Every file the run may write, with the flag that names it.
    static func files(_ outputs: RunOutputs) -> [(flag: String, path: String)] {
        var files: [(String, String)] = []
        if let out = outputs.output {
            files.append(("--output \(out)", out))
            files.append(("--output \(out) (its sidecar)", out + ".json"))
        }
        if let path = outputs.finalMatrix { files.append(("--final-matrix \(path)", path)) }
        if let dir = outputs.saveProblem {
            for name in ["target.csv", "mask.csv", "observation.csv"] {
                files.append(("--save-problem \(dir) (its \(name))", dir + "/" + name))
            }
        }
        return files
    }

    /// A message naming both sides of the first coincidence, or nil when every path is distinct.
    public static func check(_ outputs: RunOutputs) -> String? {
        var seen: [String: String] = [:]
        for (flag, path) in files(outputs) {
            let key = resolved(path)
            if let earlier = seen[key] {
                return "\(flag) cannot be used with \(earlier): both write \(key)"
            }
            seen[key] = flag
        }
        return nil
    }

    /// Absolute, `.` and `..` removed, symlinks of the existing part resolved (the file itself
    /// need not exist yet).
    public static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [String] = []
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(String(part))
        }
        // The longest existing prefix through realpath, the rest appended.
        var tail: [String] = []
        while true {
            let head = "/" + parts.joined(separator: "/")
            if let real = realpath(head, nil) {
                defer { free(real) }
                let base = String(cString: real)
                return tail.isEmpty ? base : (base == "/" ? "" : base) + "/" + tail.reversed().joined(separator: "/")
            }
            guard let last = parts.popLast() else { return absolute }
            tail.append(last)
        }
    }
}
