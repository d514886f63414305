import Foundation

/// Every output path checked before the first step, so a run is not computed only to be lost
/// at the end (`--final-matrix adir` used to fail after the whole run).
public enum OutputPreflight {
    public static func check(_ outputs: RunOutputs) throws(OutputError) {
        if let out = outputs.output {
            try file(out)
            try file(out + ".json")
        }
        if let path = outputs.finalMatrix { try file(path) }
        if let dir = outputs.saveProblem { try folder(dir) }
    }

    /// A file to be (re)written: not a folder, in a folder that exists and can be written.
    static func file(_ path: String) throws(OutputError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw OutputError(path: path, reason: "is a directory") }
            if access(path, W_OK) != 0 { throw OutputError(path: path, reason: "permission denied") }
        }
        try writableFolder(parent(of: path), for: path)
    }

    /// A folder to write files into: an existing folder that can be written, or one that can be made.
    static func folder(_ path: String) throws(OutputError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw OutputError(path: path, reason: "exists and is not a directory") }
            if access(path, W_OK) != 0 { throw OutputError(path: path, reason: "permission denied") }
            return
        }
        // Created with its parents: the nearest existing ancestor must be a writable folder.
        var ancestor = parent(of: path)
        while !FileManager.default.fileExists(atPath: ancestor) && ancestor != "/" && ancestor != "." {
            ancestor = parent(of: ancestor)
        }
        try writableFolder(ancestor, for: path)
    }

    static func parent(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    static func writableFolder(_ folder: String, for path: String) throws(OutputError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw OutputError(path: path, reason: "no such directory \(folder)")
        }
        guard isDirectory.boolValue else { throw OutputError(path: path, reason: "\(folder) is not a directory") }
        guard access(folder, W_OK) == 0 else { throw OutputError(path: path, reason: "permission denied in \(folder)") }
    }
}
