import ArgumentParser
import DLNEngine
import DLNOutput
import DLNTerminal
import Foundation

/// `dlntui`: the live interface by default (`Live`), and the headless subcommands.
public struct DLNTUI: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dlntui",
        abstract: "A terminal laboratory for the Deep Linear Network.",
        discussion: "Without a subcommand, runs the live interface (`dlntui live`) with the options given.",
        version: Sidecar.version,
        subcommands: [Live.self, Run.self, Ensemble.self, Sweep.self, Plot.self, Replay.self, BenchCommand.self, Presets.self, Themes.self, Doctor.self],
        defaultSubcommand: Live.self)

    public init() {}
}

/// The live interface. The default subcommand, so `dlntui --preset two-by-two -N 4` runs it; its
/// options live here rather than on the root, where they would shadow the subcommands' own.
struct Live: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The live interface (the default).")

    @OptionGroup var simulation: SimulationOptions

    @Option(parsing: .unconditional, help: "Pause once this step is reached, with a message (space continues). Default: the preset's.")
    var steps: Typed<Int>?

    @Option(parsing: .unconditional, help: "Pause once the time reaches T (> 0; instead of --steps), with a message. Default: the preset's.")
    var untilTime: Typed<Double>?

    @Option(help: "Theme: a name from `dlntui themes` or a path to a .theme file.")
    var theme: String?

    @Option(parsing: .unconditional, help: "Frames per second of the live interface, 1...240.")
    var fps: Typed<Int> = Typed(argument: "30")!

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Run 2 to 4 configurations side by side, one problem and one start (the same seed): each 'key=value[,key=value]' with keys \(Comparison.keys.joined(separator: ", ")) (the flags' names without dashes), over the other flags; e.g. --compare 'N=2' 'N=4'.", valueName: "CONFIG"))
    var compare: [String] = []

    @Option(parsing: .unconditional, help: "Open the ensemble view: M members of this point (member i as `dlntui ensemble` / `dlntui run --member i`), on every core; e switches to the single run. With --compare: one ensemble per configuration, member i of each with member i's seed (paired).")
    var members: Typed<Int>?

    @Option(parsing: .unconditional, help: "Ensemble view: stop the members once the rank-one fraction's 95% interval (Wilson) over the first k members, members 0 to k-1 all finished (in member order, not finishing order), is narrower than W (0 < W <= 1).")
    var untilCi: Typed<Double>?

    @Option(parsing: .unconditional, help: "Ensemble view: a member finishes once the relative change of W per unit time, between two of its saved rows (the preset's `every` steps, `dlntui presets`), is below TOL (as `dlntui ensemble --until-converged`).")
    var untilConverged: Typed<Double>?

    @Option(parsing: .unconditional, help: "Ensemble view: threads the members run on (default: every core).")
    var jobs: Typed<Int>?

    /// Checked here rather than in run(), so a refusal prints this command's usage.
    func validate() throws {
        guard (1...240).contains(fps.value) else { throw ValidationError("invalid value '\(fps.text)' for --fps: expected an integer in 1...240") }
        if let members, !(1...100_000).contains(members.value) { throw ValidationError("invalid value '\(members.text)' for --members: expected an integer in 1...100000") }
        if let untilCi, !(untilCi.value > 0 && untilCi.value <= 1) { throw ValidationError("invalid value '\(untilCi.text)' for --until-ci: expected a number in (0, 1]") }
        if let untilConverged, !(untilConverged.value > 0 && untilConverged.value.isFinite) { throw ValidationError("invalid value '\(untilConverged.text)' for --until-converged: expected a finite number > 0") }
        if let jobs, !(1...4096).contains(jobs.value) { throw ValidationError("invalid value '\(jobs.text)' for --jobs: expected an integer in 1...4096") }
        if steps != nil && untilTime != nil { throw ValidationError("--steps and --until-time both say where the run pauses: give one") }
        _ = try configurations(try resolvedParameters())
    }

    /// The runs: the --compare configurations (or a comparison preset's) over the flags, else
    /// the one run. A bad configuration is a usage error: its message, then status 2.
    func configurations(_ p: Parameters) throws -> [Parameters] {
        let specs = !compare.isEmpty ? compare : (simulation.preset.flatMap(Preset.named)?.compare ?? [])
        if specs.isEmpty { return [p] }
        do {
            let runs = try Comparison.configurations(specs, base: p)
            // The flag rules hold for a configuration's keys as for the flags they name
            // (kappa=1 on a flow that does not read it, energy=sensing with --observed, ...).
            for (spec, run) in zip(specs, runs) {
                var q = run
                for setting in try Comparison.settings(spec) { q.givenFlags.insert(setting.key == "N" ? "-N" : "--" + setting.key) }
                do { try FlagClashes.check(q, presetGiven: simulation.preset != nil) } catch {
                    throw ComparisonError("configuration '\(spec)' for --compare: \(error.description)")
                }
            }
            return runs
        } catch {
            FileHandle.standardError.write(Data("dlntui: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    func resolvedParameters() throws -> Parameters {
        var p = try simulation.parameters()
        if let steps { p.steps = steps.value; p.untilTime = nil; p.givenFlags.insert("--steps") }
        if let untilTime { p.untilTime = untilTime.value; p.givenFlags.insert("--until-time") }
        // An ensemble's members are summarised at saved steps they share (as a study's): without
        // --integrator a preset's time horizon gives way to its fixed dt and steps, as in a study.
        let ensemble = members != nil || (p.preset.flatMap { Preset.named($0)?.members } != nil)
        if ensemble && simulation.integrator == nil && untilTime == nil && p.untilTime != nil { p.useFixedStep() }
        let typed = simulation.typed.merging(["--steps": steps?.text, "--until-time": untilTime?.text].compactMapValues { $0 }) { $1 }
        do { try p.validate() } catch { throw ValidationError(error.quoting(typed).description) }
        return p
    }

    func run() throws {
        BLAS.configureThreads(1)
        let runs = try configurations(try resolvedParameters())
        // A preset that is an ensemble (hyperbola) opens the ensemble view unless --members says otherwise.
        let ensemble = EnsembleOptions(members: members?.value ?? runs[0].preset.flatMap { Preset.named($0)?.members }, untilCI: untilCi?.value, untilConverged: untilConverged?.value,
                                       jobs: jobs?.value ?? ProcessInfo.processInfo.activeProcessorCount)
        let status = InteractiveApp.run(comparison: runs, theme: theme, fps: fps.value, ensemble: ensemble)
        if status != 0 { throw ExitCode(status) }
    }
}

struct Themes: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the themes found and the folders searched.")

    func run() {
        print(ThemeCatalogue.listing())
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Integrate headless and stream rows (CSV or JSONL).")

    @OptionGroup var simulation: SimulationOptions

    @Option(parsing: .unconditional, help: "Number of accepted steps (default: the preset's).")
    var steps: Typed<Int>?

    @Option(parsing: .unconditional, help: "Write a row every M accepted steps (default: the preset's).")
    var every: Typed<Int>?

    @Option(parsing: .unconditional, help: "End exactly at time T (> 0; instead of --steps): the last step is shortened to land on T.")
    var untilTime: Typed<Double>?

    @Option(parsing: .unconditional, help: "Write a row at every multiple of H in time (> 0; instead of --every): steps are shortened to land on them.")
    var everyTime: Typed<Double>?

    @Option(parsing: .unconditional, help: "Stop once the energy falls below X (that step gets a row).")
    var untilEnergy: Typed<Double>?

    @Option(help: "Row format: csv or jsonl.")
    var format: RowFormat = .csv

    @Option(help: "Write rows to PATH (and the sidecar PATH.json) instead of standard output.")
    var output: String?

    @Option(help: "Write the final end-to-end W to PATH as CSV.")
    var finalMatrix: String?

    @Option(help: "Write the problem in use (target.csv, mask.csv, observation.csv) into DIR.")
    var saveProblem: String?

    @Option(help: ArgumentHelp("Rerun the session a sidecar records (a snapshot's .csv.json or a run's PATH.json): its start, edits and rollbacks, up to the step it was saved at (--steps goes elsewhere); other flags override start values.", valueName: "SIDECAR.json"))
    var from: String?

    /// Checked here rather than in run(), so a refusal prints this command's usage (with --from
    /// the sidecar's start is checked when it is read).
    func validate() throws {
        if steps != nil && untilTime != nil {
            throw ValidationError("--steps and --until-time both say when to stop: give one")
        }
        if every != nil && everyTime != nil {
            throw ValidationError("--every and --every-time both say when to write a row: give one")
        }
        let outputs = RunOutputs(output: output, finalMatrix: finalMatrix, saveProblem: saveProblem)
        if let clash = OutputClashes.check(outputs) { throw ValidationError(clash) }
        if let from {
            // Here rather than in run(), so a usage problem prints run's usage, not the root's.
            _ = try RunFrom.prepare(from, options: simulation, steps: steps?.value, every: every?.value, untilEnergy: untilEnergy?.value)
        } else {
            _ = try resolvedParameters()
        }
    }

    /// Preset, flags and run options, validated (a ValidationError names the flag).
    func resolvedParameters() throws -> Parameters {
        var p = try simulation.parameters()
        // A horizon given replaces the preset's: --steps its time horizon, --every its row times.
        if let steps { p.steps = steps.value; p.untilTime = nil }
        if let every { p.every = every.value; p.everyTime = nil }
        if let untilTime { p.untilTime = untilTime.value }
        if let everyTime { p.everyTime = everyTime.value }
        if let untilEnergy { p.untilEnergy = untilEnergy.value }
        let typed = simulation.typed.merging(["--steps": steps?.text, "--every": every?.text,
                                              "--until-energy": untilEnergy?.text, "--until-time": untilTime?.text,
                                              "--every-time": everyTime?.text].compactMapValues { $0 }) { $1 }
        do { try p.validate() } catch { throw ValidationError(error.quoting(typed).description) }
        return p
    }

    func run() throws {
        BLAS.configureThreads(1)
        let outputs = RunOutputs(format: format, output: output,
                                 finalMatrix: finalMatrix, saveProblem: saveProblem)
        if let from {
            try RunFrom.run(from, options: simulation, steps: steps?.value, every: every?.value, untilEnergy: untilEnergy?.value, outputs: outputs)
            return
        }
        let p = try resolvedParameters()
        let status = HeadlessRun.run(p, outputs: outputs)
        if status != 0 { throw ExitCode(status) }
    }
}

extension BenchCommand {
    /// The parameters of `--until-time`, validated as `run` validates them (status 64 on a bad value).
    func integrationParameters(until t: Double) throws -> Parameters {
        var p = Parameters()
        p.energy = .completion
        p.flow = flow ?? .riemannian
        p.depth = .finite(n(for: flow))
        p.integrator = integrator ?? .dopri5
        if let dt { p.dt = dt }
        if let rtol { p.rtol = rtol }
        if let atol { p.atol = atol }
        if let lift { p.lift = lift }
        p.untilTime = t
        p.targetPath = target
        p.maskPath = mask
        p.initialPath = initial
        p.givenFlags = Set(["--flow", "-N", "--target", "--mask", "--initial", "--until-time"])
            .union(integrator == nil ? [] : ["--integrator"]).union(lift == nil ? [] : ["--lift"])
        do { try p.validate() } catch { throw ValidationError(error.description) }
        return p
    }

    func timeIntegration(until t: Double) throws {
        let p = try integrationParameters(until: t)
        let r: BenchIntegration.Result
        do { r = try BenchIntegration.run(p, until: t, repeats: repeats) } catch let error as SetupError {
            FileHandle.standardError.write(Data("dlntui: \(error)\n".utf8))
            throw ExitCode(ExitStatus.dataFile)
        } catch let error as StepError {
            FileHandle.standardError.write(Data("dlntui: the integration stopped: \(error)\n".utf8))
            throw ExitCode(ExitStatus.nonFiniteStep)
        }
        print("flow=\(p.flow.rawValue) stepped=\(p.steppedText.replacingOccurrences(of: " ", with: "_")) integrator=\(p.integrator.rawValue)")
        print("integration_seconds=\(r.seconds)")
        print("evaluations=\(r.evaluations) steps=\(r.steps) rejected=\(r.rejected)")
        print("sigma=" + r.sigma.map(NumberFormat.g17).joined(separator: ","))
    }
}

struct Presets: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the presets, one line each.")

    func run() {
        for preset in Preset.all { print(PresetListing.line(preset)) }
    }
}

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure integration speed on the fixed benchmark problem.")

    @Option(help: "Flow to time; without it, a table over flows and sizes.")
    var flow: FlowKind?

    @Option(name: .customShort("d"), help: "Width d (default 16): the case of --flow, or --gemm's size.")
    var size: Int?

    @Option(name: .customShort("N"), help: "Depth N (default 4; 2 for bures-wasserstein): the case of --flow.")
    var depth: Int?

    @Option(help: "Steps per timed repeat (default: about 0.2 s worth).")
    var steps: Int?

    @Option(help: "Time this integrator's accepted steps (\(IntegratorKind.names)); default: the Euler step.")
    var integrator: IntegratorKind?

    @Option(name: .customLong("repeat"), help: "Timed repeats; the median is reported.")
    var repeats: Int = 5

    @Option(help: "Time whole integrations from t = 0 to T in the process (setup outside the timer) on the completion problem of --target and --mask from --initial: prints integration_seconds=<median>, evaluations, steps, rejected and sigma=<singular values of W(T)>.")
    var untilTime: Double?

    @Option(help: "With --until-time: the target matrix as CSV.")
    var target: String?

    @Option(help: "With --until-time: the observation mask as CSV of 0/1.")
    var mask: String?

    @Option(help: "With --until-time: the initial end-to-end matrix as CSV.")
    var initial: String?

    @Option(help: "With --until-time: the step (euler, heun, rk4) or the first step (dopri5); default 0.05.")
    var dt: Double?

    @Option(help: "With --until-time: dopri5's relative tolerance (default 1e-6).")
    var rtol: Double?

    @Option(help: "With --until-time: dopri5's absolute tolerance (default 1e-9).")
    var atol: Double?

    @Option(help: "With --until-time: how the riemannian flow is stepped (\(Lift.names); default auto).")
    var lift: Lift?

    @Flag(help: "Measure the bare d x d matrix product rate instead: prints gemm_gflops=<median>.")
    var gemm = false

    @Flag(help: "Time drawing the full 160 x 50 dashboard off-screen (default preset, charts full) instead: prints frame_ms=<median>, frame_p90_ms=<p90> and frame_cpu_ms=<median CPU time>; then the ensemble view of 1,000 two-by-two members: ensemble_frame_ms, ensemble_frame_p90_ms, ensemble_frame_cpu_ms.")
    var frame = false

    var d: Int { size ?? 16 }
    /// bures-wasserstein is the N = 2 flow: its case runs there unless -N says otherwise (refused then).
    func n(for flow: FlowKind?) -> Int { depth ?? flow?.fixedDepth ?? 4 }

    func validate() throws {
        guard (1...Parameters.maxSize).contains(d) else { throw ValidationError("invalid value '\(d)' for -d: expected an integer in 1...\(Parameters.maxSize)") }
        let n = n(for: flow)
        guard (1...Parameters.maxDepth).contains(n) else { throw ValidationError("invalid value '\(n)' for -N: expected an integer in 1...\(Parameters.maxDepth)") }
        if untilTime == nil, target != nil || mask != nil || initial != nil || dt != nil || rtol != nil || atol != nil || lift != nil {
            throw ValidationError("--target, --mask, --initial, --dt, --rtol, --atol and --lift are for --until-time (a timed integration)")
        }
        if untilTime != nil && (target == nil || mask == nil || initial == nil) {
            throw ValidationError("--until-time needs --target, --mask and --initial (the problem and its start)")
        }
        if untilTime != nil && size != nil { throw ValidationError("-d cannot be used with --until-time: the target file fixes d") }
        if untilTime != nil && steps != nil { throw ValidationError("--steps cannot be used with --until-time (the integration ends at T)") }
        if let steps, steps < 1 { throw ValidationError("invalid value '\(steps)' for --steps: expected an integer >= 1") }
        guard repeats >= 1 else { throw ValidationError("invalid value '\(repeats)' for --repeat: expected an integer >= 1") }
        if gemm && frame { throw ValidationError("--gemm and --frame are two benchmarks: give one") }
        // Nothing given is dropped: the table and the frame benchmark have their own cases.
        let modeFlags = [("--flow", flow != nil), ("--integrator", integrator != nil), ("--steps", steps != nil), ("--until-time", untilTime != nil)]
        for (flag, given) in modeFlags where given && (gemm || frame) {
            throw ValidationError("\(flag) times integration steps: not with \(gemm ? "--gemm" : "--frame")")
        }
        if frame && (size != nil || depth != nil) {
            throw ValidationError("\(size != nil ? "-d" : "-N") cannot be used with --frame: it draws the default preset's dashboard and 1,000 two-by-two members")
        }
        if gemm && depth != nil { throw ValidationError("-N cannot be used with --gemm: it times a d x d product") }
        if flow == nil && untilTime == nil && !gemm && !frame && (size != nil || depth != nil) {
            throw ValidationError("\(size != nil ? "-d" : "-N") picks the case of --flow F (or --gemm's size); the table without --flow runs d = 4, 16, 64 and N = 4, 16")
        }
        if let flow {
            // The run's own rules: the integrator a noisy or Euler-only flow refuses, bures-wasserstein's N.
            var p = Bench.problem(flow: flow, size: d, depth: n, integrator: integrator ?? .euler)
            p.givenFlags = integrator != nil ? ["--integrator", "-N"] : ["-N"]
            do { try p.validate() } catch { throw ValidationError("\(error.description) (the benchmark problem: beta = \(NumberFormat.short(p.beta)), kappa = \(NumberFormat.short(p.kappa)))") }
        }
    }

    func run() throws {
        BLAS.configureThreads(1)
        print("blas_kernel=\(BLAS.kernelName)")
        if gemm {
            print("gemm_gflops=\(Bench.gemmGigaflops(size: d, repeats: repeats))")
            return
        }
        if frame {
            let r = FrameBench.measure(try FrameBench.frames())
            print("frame_ms=\(r.medianMilliseconds)")
            print("frame_p90_ms=\(r.p90Milliseconds)")
            print("frame_cpu_ms=\(r.cpuMedianMilliseconds)")
            print("frames=\(r.frames) changed_cells_per_frame=\(r.meanChangedCells)")
            // The ensemble view: 1,000 members of the two-by-two problem (issue 15: at most 4 ms).
            let e = FrameBench.measure(inputs: try FrameBench.ensembleFrames(members: 1000))
            print("ensemble_frame_ms=\(e.medianMilliseconds)")
            print("ensemble_frame_p90_ms=\(e.p90Milliseconds)")
            print("ensemble_frame_cpu_ms=\(e.cpuMedianMilliseconds)")
            print("ensemble_members=1000 ensemble_frames=\(e.frames)")
            return
        }
        if let untilTime {
            try timeIntegration(until: untilTime)
            return
        }
        if let flow {
            let rate = try Bench.stepsPerSecond(flow: flow, size: d, depth: n(for: flow), steps: steps, repeats: repeats,
                                                integrator: integrator ?? .euler)
            print("steps_per_second=\(rate)")
            return
        }
        print("flow          d     N   steps/s (median of \(repeats))")
        let method = integrator ?? .euler
        for flow in FlowKind.allCases {
            for d in [4, 16, 64] {
                // bures-wasserstein runs at N = 2 only; dyson ignores N.
                for n in flow.fixedDepth.map({ [$0] }) ?? (flow == .dyson ? [1] : [4, 16]) {
                    let name = flow.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                    let p = Bench.problem(flow: flow, size: d, depth: n, integrator: method)
                    let row = "\(name) \(String(format: "%3d", d))  \(String(format: "%4d", n))   "
                    if method != .euler && (flow.isEulerOnly || flow.hasDiffusion(beta: p.beta, kappa: p.kappa)) {
                        print(row + "-  (\(method.rawValue) does not step this flow: euler only)")
                        continue
                    }
                    let rate = try Bench.stepsPerSecond(flow: flow, size: d, depth: n, steps: steps, repeats: repeats, integrator: method)
                    print(row + String(format: "%.0f", rate))
                }
            }
        }
    }
}
