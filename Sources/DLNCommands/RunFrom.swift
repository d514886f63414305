import ArgumentParser
import DLNEngine
import DLNOutput
import Foundation

/// `dlntui run --from SIDECAR.json`: reruns a recorded session headless from its start, its edits
/// and rollbacks played at their steps, by default up to the step it was saved at. Flags given
/// beside it override start values (never the edits), under the same clash rules as without --from.
enum RunFrom {
    /// The session and the parameters of its rerun. Usage problems throw a ValidationError (status
    /// 64, `run`'s usage: `Run.validate` calls this), a sidecar or data file that does not fit an
    /// ExitCode 2.
    static func prepare(_ path: String, options: SimulationOptions, steps: Int?, every: Int?, untilEnergy: Double?)
        throws -> (session: RecordedSession, script: EditScript, parameters: Parameters)
    {
        if options.preset != nil {
            throw ValidationError("--preset cannot be used with --from: the sidecar's start replaces the preset (give single flags to override start values)")
        }
        var session: RecordedSession
        let script: EditScript
        do {
            session = try RecordedSession(path: path)
            script = try EditScript(session.edits)
        } catch {
            throw fail("\(path): \(error)".replacingOccurrences(of: "\(path): \(path): ", with: "\(path): "))
        }
        session.resolvePaths(sidecar: path)
        var p = session.start
        try options.override(&p)
        p.steps = steps ?? session.lastStep ?? p.steps
        // A snapshot's rows were recorded every `row_stride` steps: the rerun's rows are the same ones.
        p.every = every ?? session.rowStride ?? p.every
        // A live session (a snapshot) steps without landing on row or end times, and ends at the step
        // it was saved at: its start's time horizon is not the rerun's. --steps and --every replace it too.
        let live = session.savedAtStep != nil
        if live || steps != nil { p.untilTime = nil }
        if live || every != nil { p.everyTime = nil }
        if let untilEnergy { p.untilEnergy = untilEnergy }
        // Only the flags the user typed count as given: the start's values are the base they override.
        let typed = options.typed
        p.givenFlags = Set(typed.keys)
        let side = "the sidecar's start"
        if p.flow == .buresWasserstein && options.depth == nil && p.depth != 2 {
            throw ValidationError("--flow bures-wasserstein cannot be used with the sidecar's N = \(p.depthText): the flow is the N = 2 one (Remark 9); add -N 2")
        }
        do {
            try p.validate()
        } catch {
            // A value the user did not type is the sidecar's: say so, not "invalid value for -N".
            if typed[error.flag] == nil {
                throw ValidationError("the sidecar's start has \(error.flag) \(error.given), which does not fit the flags given: expected \(error.accepted)")
            }
            throw ValidationError(error.quoting(typed).description)
        }
        do {
            try FlagClashes.check(p, presetGiven: false, base: session.start, baseSide: side)
        } catch {
            throw ValidationError(error.description)
        }
        let changed = session.changedInputs(p)
        if !changed.isEmpty { throw fail(changed.joined(separator: "; ") + ": the rerun would not be the session's") }
        return (session, script, p)
    }

    static func run(_ path: String, options: SimulationOptions, steps: Int?, every: Int?, untilEnergy: Double?,
                    outputs: RunOutputs) throws {
        let (session, script, p) = try prepare(path, options: options, steps: steps, every: every, untilEnergy: untilEnergy)
        let sim: Simulation
        do { sim = try Simulation(parameters: p) } catch {
            FileHandle.standardError.write(Data("dlntui: \(error)\n".utf8))
            throw ExitCode(ExitStatus.of(error))
        }
        let status = HeadlessRun.run(sim, outputs: outputs, script: script,
                                     extra: [("replayed_from", JSON.string(path)),
                                             ("replayed_version", session.version.map(JSON.string) ?? "null")])
        if status != 0 { throw ExitCode(status) }
    }

    /// Says what is wrong; the status is 2 (a data file or spec that does not fit).
    private static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("dlntui: \(message)\n".utf8))
        return ExitCode(ExitStatus.dataFile)
    }
}

extension SimulationOptions {
    /// Writes the flags given (and only those) into `p`: the one place flags become parameters, for
    /// a preset's values (`parameters()`) and a sidecar's start (`run --from`) alike.
    func override(_ p: inout Parameters) throws {
        if let energy { p.energy = energy }
        if let flow { p.flow = flow }
        if let size { p.size = size.value }
        if let depth { p.depth = depth.value }
        if let timeScale { p.timeScale = timeScale }
        if let beta { p.beta = beta.value }
        if let kappa { p.kappa = kappa.value }
        if let dt { p.dt = dt.value }
        // --dt alone keeps its old meaning: euler at that step, whatever the preset integrates with.
        if let integrator { p.integrator = integrator } else if dt != nil { p.integrator = .euler }
        if let rtol { p.rtol = rtol.value }
        if let atol { p.atol = atol.value }
        if let lift { p.lift = lift }
        if let seed { p.seed = try seed.check() }
        if let initialization { p.initialization = initialization }
        if let initScale { p.initScale = initScale.value }
        if let observed { p.observed = observed.value }
        if let targetRank { p.targetRank = targetRank.value }
        if let noise { p.noise = noise.value }
        if let measurements { p.measurements = measurements.value }
        if let rankTol { p.rankTol = rankTol.value }
        if let target { p.targetPath = target }
        if let mask { p.maskPath = mask }
        if let initial { p.initialPath = initial }
    }
}
