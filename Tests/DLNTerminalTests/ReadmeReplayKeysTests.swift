import Foundation
import Testing
@testable import DLNTerminal

/// The README's replay key table is the program's: the same rows, labels and help lines, in order.
@Suite struct ReadmeReplayKeysTests {
    @Test func theReplayKeyTableIsTheProgramsTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lines = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("| replay key | action |") })
        let documented = lines[(start + 2)...].prefix { $0.hasPrefix("|") }.map { line -> (String, String) in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return (cells[0].replacingOccurrences(of: "`", with: ""), cells[1])
        }
        let program = ReplayKeyTable.bindings.map { ($0.label, $0.help) }
        #expect(documented.map(\.0) == program.map(\.0))
        #expect(documented.map(\.1) == program.map(\.1))
        // Every key the handler answers to is in a row of the table (the rows are the handler's).
        #expect(ReplayKeyTable.action(for: .character("]")) == .seekForward)
        #expect(ReplayKeyTable.action(for: .character("b")) == nil)
    }
}

/// The README's study replay key table is the program's too.
@Suite struct ReadmeStudyReplayKeysTests {
    @Test func theStudyReplayKeyTableIsTheProgramsTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lines = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("| study replay key | action |") })
        let documented = lines[(start + 2)...].prefix { $0.hasPrefix("|") }.map { line -> (String, String) in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return (cells[0].replacingOccurrences(of: "`", with: ""), cells[1])
        }
        let program = StudyReplayKeyTable.bindings.map { ($0.label, $0.help) }
        #expect(documented.map(\.0) == program.map(\.0))
        #expect(documented.map(\.1) == program.map(\.1))
        #expect(StudyReplayKeyTable.action(for: .character("h")) == .nextHistogram)
        #expect(StudyReplayKeyTable.action(for: .character("w")) == nil)
    }
}
