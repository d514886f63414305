/// The seeds of a study's members. Member i of a study of seed S has the seed
///   s_i = mix(S + (i + 1) * 0x9E3779B97F4A7C15),
///   mix(z) = z3, z1 = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9, z2 = (z1 ^ (z1 >> 27)) * 0x94D049BB133111EB,
///   z3 = z2 ^ (z2 >> 31)   (all modulo 2^64),
/// i.e. the (i + 1)-th output of SplitMix64 (Steele, Lea and Flood 2014) seeded with S. The start and
/// the noise are drawn from s_i's streams (`RandomStreams`); the problem from S's, so every member
/// of a point solves the same problem, unless the study varies it (then the problem comes from s_i too).
public enum MemberSeed {
    public static func of(study seed: UInt64, member i: Int) -> UInt64 {
        var z = seed &+ (UInt64(i) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The parameters of member i of a point: the problem from the point's seed (or, varying the
    /// problem, from the member's seed, which then replaces the seed altogether).
    public static func parameters(_ point: Parameters, member i: Int, varyProblem: Bool) -> Parameters {
        var p = point
        if varyProblem {
            p.seed = of(study: point.seed, member: i)
            p.member = nil
        } else {
            p.member = i
        }
        return p
    }
}

extension Parameters {
    /// The seed of the start's and the noise's streams: the member's under `--member`, else the seed.
    public var startSeed: UInt64 { member.map { MemberSeed.of(study: seed, member: $0) } ?? seed }
}
