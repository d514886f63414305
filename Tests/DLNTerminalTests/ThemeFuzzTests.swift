import DLNTerminal
import DLNTestSupport
import PropertyBased
import Testing

/// Issue 4: the theme parser meets 10,000 generated files without a crash; every complaint is a
/// warning naming the file and a line inside it, and what it accepts is only known keys.
@Suite("Theme parser fuzz")
struct ThemeFuzzTests {
    /// Pieces of theme lines, shuffled into lines: the format's own punctuation, real and unknown
    /// keys, colours good and bad, comments, blanks, and arbitrary characters.
    static let piece = Gen<String>.frequency(
        (4, Gen.always("theme[")), (4, Gen.always("]")), (4, Gen.always("=")), (4, Gen.always("\"")),
        (3, Gen.always("main_fg")), (2, Gen.always("series1")), (2, Gen.always("bogus_key")),
        (3, Gen.always("#5FB3F9")), (2, Gen.always("#12345")), (2, Gen.always("#GGGGGG")),
        (3, Gen.always("\n")), (1, Gen.always("#")), (1, Gen.always(" ")), (1, Gen.always("\r")),
        (2, FuzzText.character.map { String($0) }))

    @Test("10,000 generated theme files: warnings name file and line; nothing crashes")
    func generatedFiles() {
        var rng = FixedSeedRNG(seed: 77)
        let text = Self.piece.array(of: 0...40).map { $0.joined() }
        var warned = 0
        for i in 0..<10_000 {
            let file = text.run(using: &rng)
            let lineCount = file.split(separator: "\n", omittingEmptySubsequences: false).count
            let (theme, warnings) = ThemeFile.parse(file, name: "fuzz", path: "fuzz-\(i).theme")
            #expect(theme.name == "fuzz")
            #expect(warnings.count <= ThemeFile.maximumWarnings)
            for w in warnings {
                #expect(w.path == "fuzz-\(i).theme")
                #expect(w.line >= 1 && w.line <= lineCount, "\(w)")
                #expect(!w.message.isEmpty && w.description.count < 300, "\(w)")
                #expect(!w.description.contains("\n"), "a warning must stay on one line: \(w)")
            }
            warned += warnings.isEmpty ? 0 : 1
        }
        #expect(warned > 1000)
    }
}
