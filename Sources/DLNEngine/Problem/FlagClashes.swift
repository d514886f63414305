/// A flag that cannot apply to the run the other flags (or the preset) define: refused, naming
/// both sides, rather than silently ignored (status 64).
public struct FlagClash: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The clash rules. A value the preset fixes is fine; the user's own flag that contradicts it, or
/// that the problem does not read, is not.
public enum FlagClashes {
    /// `presetGiven`: whether --preset was typed (else the default preset is named as such).
    /// `base`/`baseSide`: what the flags override when it is not a preset (`run --from`: the
    /// sidecar's start, "the sidecar's start").
    public static func check(_ p: Parameters, presetGiven: Bool, base: Parameters? = nil, baseSide: String? = nil) throws(FlagClash) {
        let given = p.givenFlags
        let presetName = p.preset ?? Preset.defaultName
        // The preset's own values: restating one is harmless even where it does not act.
        let own = base ?? Preset.named(presetName)?.parameters ?? Parameters()
        let presetSide = baseSide ?? (presetGiven ? "--preset \(presetName)" : "the default preset (\(presetName))")
        func side(_ flag: String, _ value: String) -> String { given.contains(flag) ? "\(flag) \(value)" : presetSide }
        let energySide = side("--energy", p.energy.rawValue)
        let flowSide = side("--flow", p.flow.rawValue)
        // The flag as the user wrote it, value included.
        func shown(_ flag: String) -> String {
            let value: String? = switch flag {
            case "--energy": p.energy.rawValue
            case "--flow": p.flow.rawValue
            case "--target": p.targetPath
            case "--mask": p.maskPath
            case "--observed": NumberFormat.short(p.observed)
            case "--noise": NumberFormat.short(p.noise)
            case "--measurements": p.measurements.map(String.init)
            case "--target-rank": String(p.targetRank)
            case "-N": p.depthText
            case "--kappa": NumberFormat.short(p.kappa)
            case "--time-scale": p.timeScale.rawValue
            case "--rtol": NumberFormat.short(p.rtol)
            case "--atol": NumberFormat.short(p.atol)
            default: nil
            }
            return value.map { "\(flag) \($0)" } ?? flag
        }
        func refuse(_ flag: String, _ with: String, _ why: String) throws(FlagClash) {
            throw FlagClash(message: "\(shown(flag)) cannot be used with \(with): \(why)")
        }
        if p.flow == .dyson {
            // The dyson flow evolves eigenvalues under |x|^2/2 (11.4): no energy, no problem data,
            // no factors. The dyson preset's own placeholder values are accepted when restated.
            let placeholders: [(String, Bool)] = [
                ("--energy", p.energy == .denoise), ("--noise", p.noise == 0), ("--target-rank", p.targetRank == 1),
                ("-N", p.depth == 1), ("--kappa", p.kappa == own.kappa), ("--time-scale", p.timeScale == own.timeScale), ("--target", false), ("--mask", false), ("--observed", false), ("--measurements", false),
            ]
            for (flag, harmless) in placeholders where given.contains(flag) && !harmless {
                try refuse(flag, flowSide, "the dyson flow evolves eigenvalues under |x|^2/2 (11.4) and has no energy, problem data, depth, kappa or time scale")
            }
            // The energy the flags did not name comes from the preset (or the sidecar's start): only
            // the dyson preset's own, denoise, is the placeholder the eigenvalue loss replaces.
            if given.contains("--flow") && !given.contains("--energy") && !FlowKind.dysonFits(p.energy) {
                try refuse("--flow", "\(presetSide) (energy \(p.energy.rawValue))", "the dyson flow replaces the energy by |x|^2/2 and starts only from a denoise problem, the dyson preset's placeholder")
            }
            return
        }
        // At N = inf Lemma 1's quantities are the depth-normalised limits: time there is depth time.
        if p.depth.isInfinite && given.contains("--time-scale") && p.timeScale == .plain {
            try refuse("--time-scale", side("-N", "inf"), "at N = inf Lemma 1's quantities are the limits of the depth-normalised generator, so time is depth-normalised (--time-scale depth)")
        }
        // Only the adaptive pair reads tolerances; a fixed-step run would record them unread.
        if p.integrator != .dopri5 {
            let stepping = given.contains("--integrator") ? "--integrator \(p.integrator.rawValue)"
                : given.contains("--dt") ? "--dt \(NumberFormat.short(p.dt)) (euler at that fixed step)"
                : "\(presetSide) stepped by \(p.integrator.rawValue) at its fixed dt"
            for flag in ["--rtol", "--atol"] where given.contains(flag) {
                try refuse(flag, stepping, "only the dopri5 integrator reads tolerances (give --integrator dopri5)")
            }
        }
        // kappa scales the langevin flow's entropic noise, sqrt(2 kappa / beta), and nothing else.
        if p.flow != .langevin && given.contains("--kappa") && p.kappa != own.kappa {
            try refuse("--kappa", flowSide, "only the langevin flow reads kappa")
        }
        if p.energy == .twoByTwo {
            for flag in ["--target", "--mask", "--observed", "--target-rank", "--noise", "--measurements"] where given.contains(flag) {
                try refuse(flag, energySide, "its problem (14.1) is fixed: the 2 x 2 diagonal observed, equal to 1")
            }
        }
        if p.energy != .completion && p.energy != .twoByTwo {
            for flag in ["--mask", "--observed"] where given.contains(flag) {
                try refuse(flag, energySide, "only the completion energy observes a subset of entries")
            }
        }
        if p.energy != .denoise && given.contains("--noise") {
            try refuse("--noise", energySide, "only the denoise energy adds noise to its target")
        }
        if p.energy != .sensing && given.contains("--measurements") {
            try refuse("--measurements", energySide, "only the sensing energy takes measurements")
        }
        if given.contains("--target") && given.contains("--target-rank") {
            try refuse("--target-rank", shown("--target"), "the target file fixes the target (and its rank)")
        }
        if given.contains("--mask") && given.contains("--observed") {
            try refuse("--observed", shown("--mask"), "the mask file fixes which entries are observed")
        }
    }
}
