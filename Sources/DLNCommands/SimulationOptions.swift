import ArgumentParser
import DLNEngine

extension EnergyKind: ExpressibleByArgument {}
extension FlowKind: ExpressibleByArgument {}
extension InitKind: ExpressibleByArgument {}
extension TimeScale: ExpressibleByArgument {}

/// -N: a depth 1...1000, or inf.
struct DepthArgument: ExpressibleByArgument {
    let value: Int
    init?(argument: String) {
        if ["inf", "infinity"].contains(argument.lowercased()) {
            value = Lemma1.infiniteDepth
        } else if let n = Int(argument) {
            value = n
        } else {
            return nil
        }
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

    @Option(name: .customShort("d"), help: "Width d of every factor, 1...\(Parameters.maxSize).")
    var size: Int?

    @Option(name: .customShort("N"), help: "Depth N (number of factors), 1...\(Parameters.maxDepth), or inf (downstairs flows; implies --time-scale depth).")
    var depth: DepthArgument?

    @Option(help: "Time scale: plain (the seed's generator) or depth (the generator divided by N).")
    var timeScale: TimeScale?

    @Option(help: "Inverse temperature beta > 0, or inf.")
    var beta: Double?

    @Option(help: "Noise-to-entropy temperature ratio kappa >= 0 (langevin).")
    var kappa: Double?

    @Option(help: "Step size dt > 0.")
    var dt: Double?

    @Option(help: "Seed of every random draw (problem, start, noise).")
    var seed: UInt64?

    @Option(name: .customLong("init"), help: "Initialisation: balanced (5.16) or small (Gaussian factors).")
    var initialization: InitKind?

    @Option(help: "Scale of the initial end-to-end matrix (> 0).")
    var initScale: Double?

    @Option(help: "Fraction of entries observed for completion, in (0, 1].")
    var observed: Double?

    @Option(help: "Rank of the generated target, 1...d.")
    var targetRank: Int?

    @Option(help: "Noise level for denoise (>= 0): entries N(0, noise^2/d), spectral norm about 2 x noise.")
    var noise: Double?

    @Option(help: "Number of Gaussian measurements for sensing (default 4 d r).")
    var measurements: Int?

    @Option(help: "Numerical rank counts sigma_k > rank-tol x the target's spectral norm (default 1e-2).")
    var rankTol: Double?

    @Option(help: "Target matrix as CSV (fixes d).")
    var target: String?

    @Option(help: "Observation mask as CSV of 0/1 (completion).")
    var mask: String?

    @Option(help: "Initial end-to-end matrix as CSV.")
    var initial: String?

    /// Preset, then flags; validated. Throws a ValidationError naming the flag (status 64).
    func parameters() throws -> Parameters {
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
            if flow == .buresWasserstein && depth == nil { p.depth = 2 }
        }
        if let size { p.size = size }
        if let depth { p.depth = depth.value }
        if let timeScale { p.timeScale = timeScale }
        if let beta { p.beta = beta }
        if let kappa { p.kappa = kappa }
        if let dt { p.dt = dt }
        if let seed { p.seed = seed }
        if let initialization { p.initialization = initialization }
        if let initScale { p.initScale = initScale }
        if let observed { p.observed = observed }
        if let targetRank { p.targetRank = targetRank }
        if let noise { p.noise = noise }
        if let measurements { p.measurements = measurements }
        if let rankTol { p.rankTol = rankTol }
        p.targetPath = target
        p.maskPath = mask
        p.initialPath = initial
        // A preset's rank cannot exceed a smaller explicit d.
        if size != nil && targetRank == nil { p.targetRank = min(p.targetRank, p.size) }
        do {
            try p.validate()
        } catch {
            throw ValidationError(error.description)
        }
        return p
    }
}
