import ArgumentParser
import DLNEngine
import DLNHeadless
import Foundation

/// `dlntui run --from SIDECAR.json`: reruns a recorded session headless from its start, its edits
/// and rollbacks played at their steps, by default up to the step it was saved at. Flags given
/// beside it override start values (never the edits).
enum RunFrom {
    static func run(_ path: String, options: SimulationOptions, steps: Int?, every: Int?, untilEnergy: Double?,
                    outputs: RunOutputs) throws {
        if options.preset != nil {
            throw ValidationError("--preset cannot be used with --from: the sidecar's start replaces the preset (give single flags to override start values)")
        }
        let session: RecordedSession
        let script: EditScript
        do {
            session = try RecordedSession(path: path)
            script = try EditScript(session.edits)
        } catch {
            throw fail("\(path): \(error)".replacingOccurrences(of: "\(path): \(path): ", with: "\(path): "))
        }
        var p = session.start
        try options.override(&p)
        p.steps = steps ?? session.lastStep ?? p.steps
        if let every { p.every = every }
        if let untilEnergy { p.untilEnergy = untilEnergy }
        do { try p.validate() } catch { throw ValidationError(error.description) }
        let changed = session.changedInputs(p)
        if !changed.isEmpty { throw fail(changed.joined(separator: "; ") + ": the rerun would not be the session's") }
        let sim: Simulation
        do { sim = try Simulation(parameters: p) } catch {
            FileHandle.standardError.write(Data("dlntui: \(error)\n".utf8))
            if case .parameter = error { throw ExitCode(ExitStatus.usage) }
            throw ExitCode(ExitStatus.dataFile)
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
    /// Writes the flags given (and only those) into `p`.
    func override(_ p: inout Parameters) throws {
        if let energy { p.energy = energy }
        if let flow { p.flow = flow }
        if let size { p.size = size.value }
        if let depth { p.depth = depth.value }
        if let timeScale { p.timeScale = timeScale }
        if let beta { p.beta = beta.value }
        if let kappa { p.kappa = kappa.value }
        if let dt { p.dt = dt.value }
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
