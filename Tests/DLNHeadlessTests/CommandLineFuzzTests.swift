import ArgumentParser
@testable import DLNCommands
import DLNEngine
import Foundation
import DLNTestSupport
import PropertyBased
import Testing

/// Issue 4: the command line's number parsing meets 10,000 generated values without a crash; every
/// rejection names the flag, and through the full parser is the usage status (64).
@Suite("Command-line fuzz")
struct CommandLineFuzzTests {
    static let numericFlags = [
        "-d", "-N", "--beta", "--kappa", "--dt", "--steps", "--every", "--until-energy", "--seed",
        "--init-scale", "--observed", "--target-rank", "--noise", "--measurements", "--rank-tol",
    ]

    /// Number-like text: digits, signs, points, exponents, inf/nan words, blanks and junk.
    static let token = Gen<Character>.frequency(
        (10, Gen.number), (2, Gen.always(".")), (2, Gen.always("-")), (1, Gen.always("+")),
        (2, Gen.always("e")), (1, Gen.always("E")), (1, Gen.always(" ")),
        (1, Gen.oneOf(Gen.always("i"), Gen.always("n"), Gen.always("f"), Gen.always("a"))),
        (1, Gen.character(in: "!"..."~")), (1, Gen.character(in: "\u{A0}"..."\u{24FF}"))
    ).string(of: 0...14)

    /// Applies a flag's text the way the command line does: ArgumentParser's conversion for the
    /// option's type (nil: ArgumentParser rejects it), then the parameter and `validate()`.
    static func apply(_ flag: String, _ value: String, to p: inout Parameters) -> Bool? {
        func double(_ set: (inout Parameters, Double) -> Void) -> Bool? {
            guard let x = Double(argument: value) else { return nil }
            set(&p, x); return true
        }
        func int(_ set: (inout Parameters, Int) -> Void) -> Bool? {
            guard let x = Int(argument: value) else { return nil }
            set(&p, x); return true
        }
        switch flag {
        // As SimulationOptions does: an explicit d alone caps the preset's target rank.
        case "-d": return int { $0.size = $1; $0.targetRank = min($0.targetRank, max($1, 1)) }
        case "-N": return DepthArgument(argument: value).map { p.depth = $0.value; return true }
        case "--beta": return double { $0.beta = $1 }
        case "--kappa": return double { $0.kappa = $1 }
        case "--dt": return double { $0.dt = $1 }
        case "--steps": return int { $0.steps = $1 }
        case "--every": return int { $0.every = $1 }
        case "--until-energy": return double { $0.untilEnergy = $1 }
        case "--seed": return UInt64(argument: value).map { p.seed = $0; return true }
        case "--init-scale": return double { $0.initScale = $1 }
        case "--observed": return double { $0.observed = $1 }
        case "--target-rank": return int { $0.targetRank = $1 }
        case "--noise": return double { $0.noise = $1 }
        case "--measurements": return int { $0.measurements = $1 }
        case "--rank-tol": return double { $0.rankTol = $1 }
        default: return nil
        }
    }

    @Test("10,000 generated values through the command line's conversions and validation: valid, or a ParameterError naming the flag")
    func generatedValues() {
        var rng = FixedSeedRNG(seed: 64)
        var accepted = 0, rejected = 0, unparsed = 0
        for i in 0..<10_000 {
            let flag = Self.numericFlags[i % Self.numericFlags.count]
            let value = Self.token.run(using: &rng)
            var p = Preset.named(Preset.defaultName)!.parameters
            guard Self.apply(flag, value, to: &p) != nil else { unparsed += 1; continue }
            do {
                try p.validate()
                #expect(p.dt > 0 && p.dt.isFinite && p.beta > 0 && p.kappa >= 0 && p.kappa.isFinite)
                #expect(p.size >= 1 && p.size <= Parameters.maxSize && p.observed > 0 && p.observed <= 1)
                accepted += 1
            } catch {
                rejected += 1
                #expect(error.flag == flag, "\(flag) \(value): blamed \(error.flag)")
                #expect(error.description.contains(error.flag) && error.description.count < 200)
            }
        }
        #expect(accepted > 300 && rejected > 100 && unparsed > 1000, "accepted \(accepted), rejected \(rejected), unparsed \(unparsed)")
    }

    /// The whole parser is slow in debug builds (~0.15 s a parse), so 100 values go end to end.
    @Test("100 generated values through the full parser: status 64 and a message naming the flag")
    func generatedValuesEndToEnd() {
        var rng = FixedSeedRNG(seed: 65)
        for i in 0..<100 {
            let flag = Self.numericFlags[i % Self.numericFlags.count]
            let value = Self.token.run(using: &rng)
            let arguments = ["run", flag, value]
            do {
                let command = try DLNTUI.parseAsRoot(arguments)
                guard let run = command as? Run else {
                    Issue.record("\(arguments) parsed as \(type(of: command))")
                    continue
                }
                _ = try run.resolvedParameters()
            } catch {
                let message = DLNTUI.message(for: error)
                #expect(DLNTUI.exitCode(for: error).rawValue == 64, "\(arguments)")
                #expect(!message.isEmpty && message.count < 400, "\(arguments): \(message)")
                if !value.hasPrefix("-") {
                    #expect(message.contains(flag), "\(arguments): \(message)")
                }
            }
        }
    }

    @Test("Extreme spellings: NaN, inf, huge and tiny numbers, empty strings")
    func extremes() {
        let cases: [(String, String, Bool)] = [
            ("--beta", "inf", true), ("--beta", "nan", false), ("--beta", "1e-300", true), ("--beta", "1e400", true),
            ("--kappa", "inf", false), ("--dt", "1e-320", true), ("--dt", "", false), ("-d", "100000", false),
            ("-d", "1024", true), ("-N", "inf", false), ("-N", "99999999999999999999", false),
            ("--seed", "18446744073709551615", true), ("--seed", "18446744073709551616", false),
            ("--observed", "1", true), ("--observed", "1.0000001", false),
        ]
        for (flag, value, ok) in cases {
            let result = Result { try (DLNTUI.parseAsRoot(["run", flag, value]) as! Run).resolvedParameters() }
            switch result {
            case .success: #expect(ok, "\(flag) \(value) was accepted")
            case .failure(let error):
                #expect(!ok, "\(flag) \(value): \(DLNTUI.message(for: error))")
                #expect(DLNTUI.exitCode(for: error).rawValue == 64)
            }
        }
    }
}
