import DLNEngine
import Foundation

/// Exit statuses of `dlntui run` (README, "errors and exit codes").
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let outputFailure: Int32 = 1
    public static let dataFile: Int32 = 2
    public static let nonFiniteStep: Int32 = 3
    public static let usage: Int32 = 64
    public static let interrupted: Int32 = 130

    /// The one mapping from a setup failure to a status, for the interface and headless alike:
    /// a bad parameter is usage (64); an unreadable data file, or one whose matrix LAPACK cannot
    /// decompose, is a data-file failure (2).
    public static func of(_ error: SetupError) -> Int32 {
        switch error {
        case .parameter: return usage
        case .dataFile, .linearAlgebra: return dataFile
        }
    }
}

/// What `dlntui run` writes besides rows.
public struct RunOutputs: Sendable {
    public var format: RowFormat = .csv
    /// nil: standard output (and no sidecar).
    public var output: String? = nil
    public var finalMatrix: String? = nil
    public var saveProblem: String? = nil

    public init(format: RowFormat = .csv, output: String? = nil, finalMatrix: String? = nil, saveProblem: String? = nil) {
        self.format = format
        self.output = output
        self.finalMatrix = finalMatrix
        self.saveProblem = saveProblem
    }
}

/// The headless run: integrate, stream rows on schedule (step 0, every M steps, the last step),
/// stop early at `--until-energy`, and on any ending keep what was computed.
public enum HeadlessRun {
    /// Runs to completion and returns the exit status; messages go to `log` (standard error).
    public static func run(_ parameters: Parameters, outputs: RunOutputs,
                           log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) -> Int32 {
        let sim: Simulation
        do {
            sim = try Simulation(parameters: parameters)
        } catch {
            log("dlntui: \(error)")
            return ExitStatus.of(error)
        }
        return run(sim, outputs: outputs, log: log)
    }

    /// The run of a simulation already set up (and possibly advanced: the first row is its current
    /// step); tests use it to run one whose SVD has been told to fail. With a `script` (a recorded
    /// session, `run --from`) the script's entries are played at their steps, after that step's
    /// row; rows a later rollback cuts are held back and dropped, so the rows are those of the
    /// trajectory the session kept. `extra`: further sidecar keys, values encoded as JSON.
    public static func run(_ sim: Simulation, outputs: RunOutputs, script: EditScript? = nil,
                           inputs: [InputFile]? = nil, extra: [(String, String)] = [],
                           log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) -> Int32 {
        let p = sim.parameters
        let inputs = inputs ?? InputFile.of(sim.start)
        func sidecar(_ more: [(String, String)]) -> String {
            Sidecar.json(start: sim.start, parameters: sim.parameters, problem: sim.problem, edits: sim.edits,
                         inputs: inputs, extra: extra + more)
        }
        do {
            try OutputPreflight.check(outputs)
            if let dir = outputs.saveProblem { try saveProblem(sim.problem, to: dir) }
        } catch {
            log("dlntui: \(error)")
            return ExitStatus.outputFailure
        }
        let stream: RowStream
        do {
            stream = try RowStream(path: outputs.output)
            if let out = outputs.output { try AtomicFile.write(sidecar([]), to: out + ".json") }
            try stream.write(Rows.header(outputs.format, size: sim.problem.size))
        } catch {
            log("dlntui: \(error)")
            return ExitStatus.outputFailure
        }
        Interrupt.install()

        var script = script
        var status = ExitStatus.success
        var ending = "completed"
        // Rows a rollback still to come may cut (steps above its target), held until they are final.
        var held: [(step: Int, line: String)] = []
        var lastRowStep = -1
        func release() throws(OutputError) {
            let final = script?.lowestPendingTarget ?? Int.max
            while let first = held.first, first.step <= final {
                try stream.write(first.line)
                held.removeFirst()
            }
        }
        func emit() throws(OutputError) {
            do {
                held.append((sim.stepCount, Rows.line(outputs.format, try sim.observe())))
                lastRowStep = sim.stepCount
                try release()
            } catch let e as OutputError {
                throw e
            } catch {
                // An SVD that fails on a finite W: the row cannot be formed; say so, keep going.
                log("dlntui: step \(sim.stepCount): observables unavailable (\(error))")
            }
        }
        /// The script's entries at the current step; a rollback cuts the rows after its target.
        func play() throws(ReplayError) {
            guard var s = script else { return }
            defer { script = s }
            for target in try s.play(on: sim) {
                held.removeAll { $0.step > target }
                lastRowStep = held.last?.step ?? min(lastRowStep, target)
            }
        }
        do {
            try emit()
            var growth = GrowthWatch()
            // A forced fixed step says once when its estimated error passes 1% (rows untouched).
            let errorWatch = StepDoublingWatch()
            let scale = sim.problem.target.frobeniusNorm
            var schedule = SaveAt(p, time: sim.time)
            func finished() -> Bool { schedule.isFinished(step: sim.stepCount, time: sim.time) }
            while true {
                do { try play() } catch {
                    log("dlntui: \(error)")
                    status = ExitStatus.dataFile
                    ending = "replay stopped at step \(sim.stepCount): \(error)"
                    break
                }
                try release()
                // A replayed rollback may have moved time back.
                schedule.resume(at: sim.time)
                if finished() { break }
                if sim.stepCount % GrowthWatch.stride(dt: sim.parameters.dt) == 0 {
                    let w = sim.endToEnd
                    growth.record(step: sim.stepCount, norm: w.frobeniusNorm, energy: sim.energy.value(w))
                }
                if let signal = Interrupt.pending {
                    status = signal == SIGINT ? ExitStatus.interrupted : 128 + signal
                    ending = "interrupted by signal \(signal) at step \(sim.stepCount)"
                    break
                }
                // Steps are shortened to land exactly on the next row time and on the end time.
                let landed: Bool
                do {
                    landed = try sim.advance(landingAt: schedule.landing)
                } catch {
                    log("dlntui: step \(sim.stepCount + 1) refused: \(error) (\(stepDescription(sim))); "
                        + "rows up to step \(sim.stepCount) are kept; \(hint(for: error, sim, growth.verdict(scale: scale)))")
                    status = ExitStatus.nonFiniteStep
                    ending = "step \(sim.stepCount + 1) refused: \(error)"
                    break
                }
                if let warning = errorWatch.check(sim) { log("dlntui: warning: \(warning)") }
                let rowDue = schedule.rowDue(step: sim.stepCount, time: sim.time, landed: landed)
                let reachedTarget = p.untilEnergy.map { sim.energy.value(sim.endToEnd) < $0 } ?? false
                if rowDue || finished() || reachedTarget {
                    try emit()
                    if reachedTarget { ending = "energy below \(NumberFormat.short(p.untilEnergy!)) at step \(sim.stepCount)"; break }
                }
                if sim.stepCount & 255 == 0 { try stream.flushIfDue() }
            }
            // An interrupted or refused run still records where it stopped.
            if lastRowStep != sim.stepCount && status != ExitStatus.success { try emit() }
            // Whatever is held is final now: no more of the log will be played.
            script = nil
            try release()
            try stream.close()
        } catch {
            log("dlntui: \(error)")
            return ExitStatus.outputFailure
        }
        do {
            if let path = outputs.finalMatrix { try AtomicFile.write(MatrixCSV.format(sim.endToEnd), to: path) }
            if let out = outputs.output {
                try AtomicFile.write(sidecar([("ending", JSON.string(ending)), ("steps_done", "\(sim.stepCount)"),
                                               // The cost of the run (the accuracy-versus-cost table reads them).
                                               ("evaluations", "\(sim.steppingIntegrator.evaluations)"),
                                               ("rejected_steps", "\(sim.steppingIntegrator.rejectedSteps)")]), to: out + ".json")
            }
        } catch {
            log("dlntui: \(error)")
            return status == ExitStatus.success ? ExitStatus.outputFailure : status
        }
        return status
    }

    /// The step size in force, for a refusal's message.
    static func stepDescription(_ sim: Simulation) -> String {
        let p = sim.parameters
        let kind = sim.steppingIntegrator.kind
        if kind.isAdaptive {
            return "\(kind.rawValue), rtol = \(NumberFormat.short(p.rtol)), atol = \(NumberFormat.short(p.atol)), t = \(NumberFormat.short(sim.time))"
        }
        return kind == .euler ? "dt = \(NumberFormat.short(p.dt))" : "\(kind.rawValue), dt = \(NumberFormat.short(p.dt))"
    }

    static func hint(for error: StepError, _ sim: Simulation, _ growth: GrowthWatch.SteadyGrowth?) -> String {
        switch error {
        // A failed SVD is not the step size's fault as surely as an overflow is.
        case .linearAlgebra: return "try a smaller --dt or another --seed"
        case .stepSizeCollapsed:
            return growth.map(GrowthWatch.advice) ?? "the flow may blow up or be singular there; try looser --rtol/--atol"
        case .nonFinite, .diverged:
            if let growth { return GrowthWatch.advice(growth) }
            return sim.steppingIntegrator.kind.isAdaptive ? "try a smaller --rtol" : "try a smaller --dt"
        }
    }

    /// `--save-problem DIR`: target.csv and, where they exist, mask.csv and observation.csv.
    public static func saveProblem(_ problem: Problem, to dir: String) throws(OutputError) {
        try AtomicFile.makeDirectory(dir)
        try AtomicFile.write(MatrixCSV.format(problem.target), to: dir + "/target.csv")
        if let mask = problem.mask { try AtomicFile.write(MatrixCSV.format(mask), to: dir + "/mask.csv") }
        if let y = problem.observation { try AtomicFile.write(MatrixCSV.format(y), to: dir + "/observation.csv") }
    }
}
