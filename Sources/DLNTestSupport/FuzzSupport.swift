import PropertyBased

/// A fixed-seed generator for PropertyBased's generators, so a fuzz run is the same every time
/// (the library's `.fixedSeed` trait is for replaying a failure and flags a passing test).
public struct FixedSeedRNG: SeededRandomNumberGenerator {
    public var currentSeed: UInt64

    public init(seed: UInt64) { currentSeed = seed }
    public init() { currentSeed = 0x2545_F491_4F6C_DD1D }

    /// splitmix64.
    public mutating func next() -> UInt64 {
        currentSeed &+= 0x9E37_79B9_7F4A_7C15
        var z = currentSeed
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

public enum FuzzText {
    /// Text biased towards what CSV and number parsers meet: digits, separators, signs, exponents,
    /// the words nan and inf, blanks, line ends (also CR), and arbitrary printable or wide characters.
    public static let character = Gen<Character>.frequency(
        (10, Gen.number),
        (3, Gen.always(",")),
        (2, Gen.always("\n")),
        (2, Gen.always(".")),
        (1, Gen.always("-")),
        (1, Gen.always("e")),
        (1, Gen.always(" ")),
        (1, Gen.always("\r")),
        (1, Gen.oneOf(Gen.always("n"), Gen.always("a"), Gen.always("i"), Gen.always("f"))),
        (2, Gen.character(in: " "..."~")),
        (1, Gen.character(in: "\u{80}"..."\u{2FFF}")))

}
