import ArgumentParser
import DLNEngine

extension EnergyKind: ExpressibleByArgument {}
extension FlowKind: ExpressibleByArgument {}
extension InitKind: ExpressibleByArgument {}
extension TimeScale: ExpressibleByArgument {}
extension IntegratorKind: ExpressibleByArgument {}
extension Lift: ExpressibleByArgument {}

/// -N: a depth 1...1000, or inf.
struct DepthArgument: ExpressibleByArgument {
    let value: Depth
    let text: String
    init?(argument: String) {
        guard let depth = Depth(argument) else { return nil }
        text = argument
        value = depth
    }
}

/// The options that define a simulation, shared by `dlntui` (interactive) and `dlntui run`.
/// Defaults come from the preset; an explicit flag overrides it.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Named parameter set: \(Preset.names). Default: \(Preset.defaultName).")
    var preset: String?

    @Option(help: "Energy: \(EnergyKind.names).")
    var energy: EnergyKind?

    @Option(help: "Flow: \(FlowKind.names).")
    var flow: FlowKind?

    @Option(name: .customShort("d"), parsing: .unconditional, help: "Width d of every factor, 1...\(Parameters.maxSize).")
    var size: Typed<Int>?

    @Option(name: .customShort("N"), parsing: .unconditional, help: "Depth N (number of factors), 1...\(Parameters.maxDepth), or inf (downstairs flows; implies --time-scale depth).")
    var depth: DepthArgument?

    @Option(help: "Time scale: plain (the paper's generator) or depth (the generator divided by N).")
    var timeScale: TimeScale?

    @Option(parsing: .unconditional, help: "Inverse temperature beta > 0, or inf.")
    var beta: Typed<Double>?

    @Option(parsing: .unconditional, help: "Noise-to-entropy temperature ratio kappa >= 0 (langevin).")
    var kappa: Typed<Double>?

    @Option(parsing: .unconditional, help: "Step size dt > 0 (dopri5: the first step). Given without --integrator: euler at this dt.")
    var dt: Typed<Double>?

    @Option(help: "Integrator: \(IntegratorKind.names) (default: the preset's; heun, rk4 and dopri5 for flows without noise).")
    var integrator: IntegratorKind?

    @Option(parsing: .unconditional, help: "Relative tolerance of dopri5 (> 0; default: the preset's, 1e-8 where the preset integrates with dopri5, else 1e-6).")
    var rtol: Typed<Double>?

    @Option(parsing: .unconditional, help: "Absolute tolerance of dopri5 (> 0; default: the preset's, 1e-12 where the preset integrates with dopri5, else 1e-9).")
    var atol: Typed<Double>?

    @Option(help: "How the riemannian flow is stepped: balanced (its balanced factors W_N...W_1, Theorem 2), none (W itself), auto (balanced under heun, rk4, dopri5; none under euler). Default: auto.")
    var lift: Lift?

    @Option(parsing: .unconditional, help: "Seed of every random draw (problem, start, noise).")
    var seed: SeedArgument?

    @Option(help: "Member i >= 0 of a study of seed --seed: its start and noise (the problem stays the seed's). Reproduces one member of `dlntui ensemble` / `dlntui sweep`.")
    var member: Int?

    @Flag(help: "Members differ by their problem too (target, mask, measurements): drawn from the member's seed.")
    var varyProblem = false

    @Option(name: .customLong("init"), help: "Initialisation: balanced (5.16), small (Gaussian factors) or evenly-spaced (W = diag(x), x evenly spaced on [-s, s]; the dyson start).")
    var initialization: InitKind?

    @Option(parsing: .unconditional, help: "Scale of the initial end-to-end matrix (> 0).")
    var initScale: Typed<Double>?

    @Option(parsing: .unconditional, help: "Fraction of entries observed for completion, in (0, 1].")
    var observed: Typed<Double>?

    @Option(parsing: .unconditional, help: "Rank of the generated target, 1...d.")
    var targetRank: Typed<Int>?

    @Option(parsing: .unconditional, help: "Noise level for denoise (>= 0): entries N(0, noise^2/d), spectral norm about 2 x noise.")
    var noise: Typed<Double>?

    @Option(parsing: .unconditional, help: "Number of Gaussian measurements for sensing (default 4 d r).")
    var measurements: Typed<Int>?

    @Option(parsing: .unconditional, help: "Numerical rank counts sigma_k > rank-tol x the target's spectral norm (default 1e-2).")
    var rankTol: Typed<Double>?

    @Option(help: "Target matrix as CSV (fixes d).")
    var target: String?

    @Option(help: "Observation mask as CSV of 0/1 (completion).")
    var mask: String?

    @Option(help: "Initial end-to-end matrix as CSV.")
    var initial: String?

    /// The flags the user gave with the text typed for each (messages quote it).
    var typed: [String: String] {
        var t: [String: String] = [:]
        t["-d"] = size?.text; t["-N"] = depth?.text; t["--beta"] = beta?.text; t["--kappa"] = kappa?.text
        t["--dt"] = dt?.text; t["--seed"] = seed?.text; t["--init-scale"] = initScale?.text
        t["--observed"] = observed?.text; t["--target-rank"] = targetRank?.text; t["--noise"] = noise?.text
        t["--measurements"] = measurements?.text; t["--rank-tol"] = rankTol?.text
        t["--preset"] = preset; t["--energy"] = energy?.rawValue; t["--flow"] = flow?.rawValue
        t["--time-scale"] = timeScale?.rawValue; t["--init"] = initialization?.rawValue
        t["--target"] = target; t["--mask"] = mask; t["--initial"] = initial
        t["--integrator"] = integrator?.rawValue; t["--rtol"] = rtol?.text; t["--atol"] = atol?.text
        t["--lift"] = lift?.rawValue
        return t
    }

    /// Preset, then flags; validated, clashes refused. Throws a ValidationError naming the flag (status 64).
    /// In a study (`study`), --vary-problem is the study's and --member is refused (a study makes
    /// its members); in a single run, --vary-problem needs --member.
    func parameters(study: Bool = false) throws -> Parameters {
        let name = preset ?? Preset.defaultName
        guard let base = Preset.named(name) else {
            throw ValidationError("invalid value '\(name)' for --preset: expected one of \(Preset.names)")
        }
        var p = base.parameters
        if let energy {
            p.energy = energy
            if energy == .twoByTwo && size == nil { p.size = 2 }
        }
        if let flow {
            p.flow = flow
            if let fixed = flow.fixedDepth, depth == nil { p.depth = .finite(fixed) }
        }
        try override(&p)
        // --dt alone: euler at that dt for the preset's steps, as before presets had time horizons.
        if dt != nil && integrator == nil { p.useFixedStep() }
        // The preset's dopri5 on a flow the flags made noisy: Euler-Maruyama, not a refusal.
        if integrator == nil { p.useEulerForNoise() }
        p.speed = Parameters.speed(of: base.parameters, for: p)
        // A study's members are saved at common step counts (quantiles across members by step):
        // without --integrator it steps the preset's fixed dt; time horizons are not a study's.
        if study {
            if integrator == nil && p.untilTime != nil { p.useFixedStep() }
            p.untilTime = nil
            p.everyTime = nil
        }
        if study && member != nil {
            throw ValidationError("--member is for reproducing one member with `dlntui run`; a study numbers its members 0...M-1 itself")
        }
        if !study && varyProblem && member == nil {
            throw ValidationError("--vary-problem needs --member (it says how member i's problem is drawn)")
        }
        if let member, !study { p = MemberSeed.parameters(p, member: member, varyProblem: varyProblem) }
        p.targetPath = target
        p.maskPath = mask
        p.initialPath = initial
        p.givenFlags = Set(typed.keys)
        // A preset's rank cannot exceed a smaller explicit d.
        if size != nil && targetRank == nil { p.targetRank = min(p.targetRank, p.size) }
        do {
            try p.validate()
            try FlagClashes.check(p, presetGiven: preset != nil)
        } catch let error as ParameterError {
            throw ValidationError(error.quoting(typed).description)
        } catch {
            throw ValidationError("\(error)")
        }
        return p
    }
}