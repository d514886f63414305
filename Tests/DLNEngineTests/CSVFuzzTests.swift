import DLNEngine
import DLNTestSupport
import PropertyBased
import Testing

/// Issue 4: the CSV parser meets 10,000 generated inputs without a crash, and every rejection is
/// a clear message naming the file, and a line and column inside the text where there is one.
@Suite("CSV parser fuzz")
struct CSVFuzzTests {
    static func check(_ text: String, binary: Bool) {
        do {
            let m = try MatrixCSV.parse(text, path: "fuzz.csv", binary: binary)
            #expect(m.rows == m.cols && m.rows >= 1)
            #expect(m.isFinite)
            if binary { #expect(m.storage.allSatisfy { $0 == 0 || $0 == 1 }) }
            // What parses prints back to a text that parses to the same matrix.
            #expect((try? MatrixCSV.parse(MatrixCSV.format(m), path: "again.csv")) == m)
        } catch {
            let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(error.description.hasPrefix("fuzz.csv"))
            #expect(!error.message.isEmpty && error.message.count < 200)
            if let line = error.line { #expect(line >= 1 && line <= lineCount) }
            if let column = error.column { #expect(column >= 1) }
        }
    }

    @Test("10,000 generated texts: parsed to a finite square matrix or rejected with file:line:column")
    func generatedTexts() {
        var rng = FixedSeedRNG(seed: 20261129)
        let text = FuzzText.character.string(of: 0...80)
        for i in 0..<10_000 {
            Self.check(text.run(using: &rng), binary: i % 3 == 0)
        }
    }

    @Test("10,000 mutated valid matrices: one character replaced, inserted or deleted")
    func mutatedMatrices() {
        var rng = FixedSeedRNG(seed: 7)
        let size = Gen.int(in: 1...5)
        for _ in 0..<10_000 {
            let d = size.run(using: &rng)
            var lines: [String] = []
            for _ in 0..<d {
                lines.append((0..<d).map { _ in String(Double(Int(rng.next() % 2001)) / 1000 - 1) }.joined(separator: ","))
            }
            var chars = Array(lines.joined(separator: "\n") + "\n")
            let at = Int(rng.next() % UInt64(chars.count))
            switch rng.next() % 3 {
            case 0: chars[at] = FuzzText.character.run(using: &rng)
            case 1: chars.insert(FuzzText.character.run(using: &rng), at: at)
            default: chars.remove(at: at)
            }
            Self.check(String(chars), binary: false)
        }
    }
}
