import Foundation
import Testing

/// Runs the built `dlntui` executable, as a user would.
struct Invocation {
    var pid: Int32 = 0
    let status: Int32
    let stdout: String
    let stderr: String
}

enum Binary {
    /// The `dlntui` built beside this test bundle (SwiftPM puts both in the same folder).
    static let path: String = {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            here.appendingPathComponent("dlntui").path,
            here.deletingLastPathComponent().appendingPathComponent("dlntui").path,
            FileManager.default.currentDirectoryPath + "/.build/debug/dlntui",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    /// `environment`: the whole environment of the child (nil: this process's).
    static func run(_ arguments: [String], timeout: Double = 60, environment: [String: String]? = nil) throws -> Invocation {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read while it runs so a full pipe cannot block it.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Invocation(pid: process.processIdentifier, status: process.terminationStatus,
                          stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "dlntui-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

extension String {
    var lines: [String] { split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
}
