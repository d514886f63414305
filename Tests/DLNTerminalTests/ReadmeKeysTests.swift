import Foundation
import Testing
@testable import DLNTerminal

/// The README's key table names the keys the interface answers to. `programKeys` reads the list
/// that `?` shows; when the key table is rebuilt, repoint that one function.
@Suite struct ReadmeKeysTests {
    /// Every key the help overlay lists: "b / B" is two keys, "(also =)" in an action a third.
    static func programKeys() -> Set<String> {
        var keys: Set<String> = []
        for entry in KeyMap.help {
            for k in entry.keys.components(separatedBy: " / ") { keys.insert(k.trimmingCharacters(in: .whitespaces)) }
            if let r = entry.action.range(of: "(also ") {
                keys.insert(String(entry.action[r.upperBound...].prefix { $0 != ")" }))
            }
        }
        return keys
    }

    /// The keys in the first column of the README table headed `| key | action |`.
    static func documentedKeys() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lines = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("| key | action |") })
        var keys: Set<String> = []
        for line in lines[(start + 2)...].prefix(while: { $0.hasPrefix("|") }) {
            let cell = line.dropFirst().prefix { $0 != "|" }
            if cell.contains("space") { keys.insert("space") }
            for (i, part) in cell.components(separatedBy: "`").enumerated() where i % 2 == 1 { keys.insert(part) }
        }
        return keys
    }

    @Test func theKeyTableNamesExactlyTheKeysTheInterfaceAnswersTo() throws {
        let documented = try Self.documentedKeys(), program = Self.programKeys()
        #expect(program.subtracting(documented).isEmpty, "keys missing from the README: \(program.subtracting(documented).sorted())")
        #expect(documented.subtracting(program).isEmpty, "README keys the interface lacks: \(documented.subtracting(program).sorted())")
    }
}
