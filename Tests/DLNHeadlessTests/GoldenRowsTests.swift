import Foundation
import Testing

/// No behaviour change across refactors: the rows of a fixed list of runs (every flow, noisy and
/// deterministic, depth-normalised time, N = inf; every parameter given explicitly) were recorded
/// by the binary before the redesign. Each column recorded then must still hold the same bytes;
/// columns appended since (the row contract allows appending) are not compared. OpenBLAS's kernel
/// is forced so the comparison does not depend on the CPU.
@Suite struct GoldenRowsTests {
    static let folder: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    }()

    static let runs: [(name: String, arguments: [String])] = {
        let text = (try? String(contentsOfFile: folder + "/runs.txt", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", maxSplits: 1).map(String.init)
            guard fields.count == 2 else { return nil }
            return (fields[0], fields[1].split(separator: " ").map(String.init))
        }
    }()

    @Test func theListIsThere() {
        #expect(Self.runs.count >= 10)
    }

    @Test(arguments: runs.map(\.name))
    func rowsAreByteIdenticalToTheRecordedOnes(name: String) throws {
        let run = try #require(Self.runs.first { $0.name == name })
        let recorded = try String(contentsOfFile: Self.folder + "/\(name).csv", encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = "Haswell"
        let r = try Binary.run(["run"] + run.arguments, environment: environment)
        #expect(r.status == 0)
        let now = r.stdout
        let old = recorded.lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let new = now.lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        try #require(old.count == new.count, "\(name): \(new.count) lines, recorded \(old.count)")
        let oldHeader = old[0], newHeader = new[0]
        let index = oldHeader.map { column in newHeader.firstIndex(of: column) }
        for (k, column) in oldHeader.enumerated() {
            #expect(index[k] != nil, "\(name): column \(column) is gone")
        }
        for row in 1..<old.count {
            for (k, column) in oldHeader.enumerated() {
                guard let j = index[k], j < new[row].count else { continue }
                #expect(new[row][j] == old[row][k], "\(name) line \(row + 1) \(column): \(new[row][j]) != recorded \(old[row][k])")
            }
        }
    }
}
