import ArgumentParser
import DLNEngine
import DLNStudy
import Foundation

/// The flags of one study point: every flag of `dlntui run` that defines the run (SimulationOptions
/// and the horizon), read by `dlntui ensemble` and, for each point of a spec, by `dlntui sweep`.
struct StudyPointOptions: ParsableArguments {
    @OptionGroup var simulation: SimulationOptions

    @Option(help: "Number of steps of each member (default: the preset's).")
    var steps: Int?

    @Option(help: "Save every M steps (default: the preset's): the rows' schedule, the times of quantiles.csv and the window of --until-converged.")
    var every: Int?

    @Option(help: "End each member exactly at time T (instead of --steps).")
    var untilTime: Double?

    @Option(help: "Save at every multiple of H in time (instead of --every; steps land on them): with --until-time, the times of quantiles.csv. Needed with an adaptive --integrator.")
    var everyTime: Double?

    @Option(help: "Stop a member once its energy falls below X.")
    var untilEnergy: Double?

    func parameters() throws -> Parameters {
        if steps != nil && untilTime != nil { throw ValidationError("--steps and --until-time both say when to stop: give one") }
        if every != nil && everyTime != nil { throw ValidationError("--every and --every-time both say when to save: give one") }
        var p = try simulation.parameters(study: true)
        if let steps { p.steps = steps; p.untilTime = nil }
        if let every { p.every = every; p.everyTime = nil }
        if let untilTime { p.untilTime = untilTime }
        if let everyTime { p.everyTime = everyTime }
        if let untilEnergy { p.untilEnergy = untilEnergy }
        do { try p.validate() } catch { throw ValidationError(error.description) }
        return p
    }

    /// For `SpecFile`: a point's flags to its parameters, or the parser's own message.
    static func resolve(_ args: [String]) -> Result<Parameters, StudyError> {
        do {
            return .success(try parse(args).parameters())
        } catch {
            return .failure(.spec(message(for: error)))
        }
    }
}

/// What `ensemble` and `sweep` share: the folder, the workers, resuming, the progress line.
struct StudyRunOptions: ParsableArguments {
    @Option(help: "The study's folder (created; a non-empty one needs --resume).")
    var output: String

    @Option(help: "Worker threads (default: every core), each member on one thread with one BLAS thread.")
    var jobs: Int?

    @Flag(help: "Continue the study in --output: only the members not yet recorded run.")
    var resume = false

    @Flag(help: "No progress line on standard error.")
    var quiet = false

    func validate() throws {
        if let jobs, !(1...4096).contains(jobs) { throw ValidationError("invalid value '\(jobs)' for --jobs: expected an integer in 1...4096") }
    }

    var workerCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The progress line is for a person at a terminal.
    var showsProgress: Bool { !quiet && isatty(STDERR_FILENO) == 1 }
}

/// The absolute path of the running binary (tasks.txt and study.sbatch call it by it).
func executablePath() -> String {
    var buffer = [UInt8](repeating: 0, count: 4096)
    let n = buffer.withUnsafeMutableBufferPointer { b in
        b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { readlink("/proc/self/exe", $0, b.count - 1) }
    }
    if n > 0 { return String(decoding: buffer[0..<n], as: UTF8.self) }
    return StudySession.absolute(CommandLine.arguments[0])
}
