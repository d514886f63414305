import PropertyBased

/// A fixed-seed generator for PropertyBased's generators, so a fuzz run is the same every time
/// (the library's `.fixedSeed` trait is for replaying a failure and flags a passing test).
struct FixedSeedRNG: SeededRandomNumberGenerator {
    var currentSeed: UInt64

    init(seed: UInt64) { currentSeed = seed }
    init() { currentSeed = 0x2545_F491_4F6C_DD1D }

    /// splitmix64.
    mutating func next() -> UInt64 {
        currentSeed &+= 0x9E37_79B9_7F4A_7C15
        var z = currentSeed
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
