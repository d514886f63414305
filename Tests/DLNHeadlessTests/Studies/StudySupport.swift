import Foundation
import Testing

/// Reading a study's CSV files back, as a user's script would.
struct CSVTable {
    let header: [String]
    let rows: [[String]]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) ?? []
        rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func column(_ name: String) -> [String] {
        guard let k = header.firstIndex(of: name) else { return [] }
        return rows.map { $0[k] }
    }

    /// Every row with the wall-clock columns (`*_s`) removed: the deterministic part.
    var deterministic: [[String]] {
        let keep = header.indices.filter { !header[$0].hasSuffix("_s") }
        return rows.map { r in keep.map { r[$0] } }
    }
}

enum StudyTest {
    /// A fresh folder path that does not exist yet.
    static func folder() -> String { NSTemporaryDirectory() + "dlntui-study-\(UUID().uuidString)" }

    static func ensemble(_ args: [String], output: String) throws -> Invocation {
        try Binary.run(["ensemble"] + args + ["--output", output, "--quiet"], timeout: 300)
    }
}
