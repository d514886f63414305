import ArgumentParser
import DLNEngine
import DLNStudy
import Foundation

/// `dlntui sweep`: `dlntui sweep SPEC.toml ...` (the default, `SweepRun`) and `dlntui sweep collect DIR`.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a grid of points x members from SPEC.toml, or plan it for GNU parallel and Slurm (--plan).",
        subcommands: [SweepRun.self, SweepCollect.self],
        defaultSubcommand: SweepRun.self)
}

/// `dlntui sweep SPEC.toml`: a grid of points times M members, here or planned for GNU parallel / Slurm.
struct SweepRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a grid of points x members from SPEC.toml, or plan it for GNU parallel and Slurm (--plan).",
        discussion: """
            SPEC.toml: the run flags' names without dashes as keys (preset, d, N, beta, dt, steps, flow, ...); \
            a list under [grid] sweeps a key; members, seed, vary-problem, until-converged, member-rows set \
            the study. --plan writes DIR/tasks.txt and DIR/study.sbatch and runs nothing; \
            `dlntui sweep collect DIR` merges the tasks' results.
            """)

    @Argument(help: "The study's spec (TOML).")
    var spec: String

    @OptionGroup var running: StudyRunOptions

    @Flag(help: "Write DIR/tasks.txt (one command a task) and DIR/study.sbatch (a Slurm array) and run nothing.")
    var plan = false

    @Option(help: "Members per task: with --plan, at least this many (default 50, more if needed to keep under 1001 tasks); with --task, the plan's.")
    var taskSize: Int?

    @Option(help: "Run task T (from 0) of a planned study, as tasks.txt and study.sbatch do.")
    var task: Int?

    @Option(help: "With --plan: #SBATCH --partition.") var partition: String?
    @Option(help: "With --plan: #SBATCH --account.") var account: String?
    @Option(help: "With --plan: #SBATCH --time.") var time: String?
    @Option(help: "With --plan: #SBATCH --mem.") var mem: String?
    @Option(help: "With --plan: at most K array tasks at once (--array=0-(T-1)%K).") var maxRunning: Int = 100

    func validate() throws {
        if plan && task != nil { throw ValidationError("--plan and --task exclude each other") }
        if task != nil && taskSize == nil { throw ValidationError("--task needs --task-size (tasks.txt gives both)") }
        if let taskSize, taskSize < 1 { throw ValidationError("invalid value '\(taskSize)' for --task-size: expected an integer >= 1") }
        if let task, task < 0 { throw ValidationError("invalid value '\(task)' for --task: expected an integer >= 0") }
        if maxRunning < 1 { throw ValidationError("invalid value '\(maxRunning)' for --max-running: expected an integer >= 1") }
        if !plan && (partition != nil || account != nil || time != nil || mem != nil) {
            throw ValidationError("--partition, --account, --time and --mem go with --plan")
        }
    }

    func run() throws {
        BLAS.configureThreads(1)
        let study: Study
        do { study = try SpecFile.load(path: spec, resolve: StudyPointOptions.resolve) } catch {
            StudySession.standardError("dlntui: \(error)")
            throw ExitCode(error.exitStatus)
        }
        let status: Int32
        if plan {
            let text = (try? String(contentsOfFile: spec, encoding: .utf8)) ?? ""
            status = StudySession.plan(study, specText: text, dir: running.output, binary: executablePath(), taskSize: taskSize,
                                       slurm: .init(partition: partition, account: account, time: time, memory: mem, concurrent: maxRunning))
        } else if let task {
            status = StudySession.runTask(study, dir: running.output, task: task, size: taskSize!, jobs: running.jobs ?? 1)
        } else {
            status = StudySession.run(study, dir: running.output, jobs: running.workerCount, resume: running.resume,
                                      progress: running.showsProgress)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

struct SweepCollect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Merge a planned study's task results into DIR/summary.csv and DIR/quantiles.csv.",
        discussion: "Lists the tasks with missing members and the command that reruns each (exit status 3).")

    @Argument(help: "The study's folder (as given to --plan).")
    var dir: String

    func run() throws {
        BLAS.configureThreads(1)
        let folder = StudySession.absolute(dir)
        let study: Study
        do { study = try SpecFile.load(path: folder + "/spec.toml", resolve: StudyPointOptions.resolve) } catch {
            StudySession.standardError("dlntui: \(error)")
            throw ExitCode(error.exitStatus)
        }
        let status = StudySession.collect(study, dir: folder)
        if status != 0 { throw ExitCode(status) }
    }
}
