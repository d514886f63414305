import DLNEngine
import DLNOutput
import Foundation

/// The commands' work: a study in this process, one task of a plan, the plan, and its collection.
/// Each returns the exit status; messages go to `log` (standard error).
public enum StudySession {
    public typealias Log = @Sendable (String) -> Void
    public static let standardError: Log = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    /// Sets every point up once before any member runs, so a bad data file stops the study at once.
    static func checkPoints(_ study: Study) throws(StudyError) {
        for point in study.points {
            guard Study.savedTimes(point.parameters) != nil else {
                throw .spec("point \(point.index): its members' rows would fall at different times (\(point.parameters.integrator.isAdaptive ? "an adaptive integrator" : "rows in time, a horizon in steps"));"
                            + " a study summarises members at shared times: give --every-time H and --until-time T")
            }
            do { _ = try Simulation(parameters: MemberSeed.parameters(point.parameters, member: 0, varyProblem: study.varyProblem)) } catch {
                throw .spec("point \(point.index)\(point.grid.isEmpty ? "" : " (" + point.grid.map { "\($0.0) = \($0.1)" }.joined(separator: ", ") + ")"): \(error)")
            }
        }
    }

    /// `dlntui ensemble` / `dlntui sweep`: every member not yet recorded, then summary.csv and
    /// quantiles.csv. 0, or 3 if any member failed; 130 on SIGINT (128 + the signal otherwise).
    public static func run(_ study: Study, dir: String, jobs: Int, resume: Bool, progress: Bool, log: Log = standardError) -> Int32 {
        do throws(StudyError) {
            try checkPoints(study)
            let existing = try StudyFolder.prepare(study, dir: dir, resume: resume)
            let todo = (0..<study.total).filter { existing[$0] == nil }
            let runner = StudyRunner(study: study, dir: dir, jobs: jobs, progress: progress)
            let writer = "run-\(Int(Date().timeIntervalSince1970))-\(getpid())"
            let outcome = runner.run(todo, writer: writer, already: existing.count,
                                     alreadyFailed: existing.values.filter { $0.status.isFailure }.count)
            var all = existing
            for r in outcome.results { all[r.index] = r }
            if let e = outcome.error { throw e }
            if let signal = outcome.signal {
                let failed = all.values.filter { $0.status.isFailure }.count
                log("dlntui: interrupted by signal \(signal): \(all.count) of \(study.total) members recorded (\(failed) failed) in \(dir); "
                    + "rerun with --resume to finish")
                return signal == SIGINT ? 130 : 128 + signal
            }
            let warnings = stepWarnings(study, outcome.results)
            for w in warnings { log("dlntui: warning: " + w) }
            try StudyFolder.finish(study, dir: dir, results: all, started: StudyFolder.now(), warnings: warnings)
            return report(study, all, dir: dir, log: log)
        } catch {
            log("dlntui: \(error)")
            return error.exitStatus
        }
    }

    /// The step-doubling warnings of the members run here, one per point: how many of its watched
    /// members warned, and the first one's warning.
    static func stepWarnings(_ study: Study, _ results: [MemberResult]) -> [String] {
        var byPoint: [Int: [MemberResult]] = [:]
        for r in results where r.warning != nil { byPoint[r.index / study.members, default: []].append(r) }
        return byPoint.keys.sorted().map { p in
            let warned = byPoint[p]!.sorted { $0.index < $1.index }
            let point = study.points[p]
            let grid = point.grid.isEmpty ? "" : " (" + point.grid.map { "\($0.0) = \($0.1)" }.joined(separator: ", ") + ")"
            let watched = min(study.members, MemberStepper.watched)
            return "point \(point.index)\(grid): \(warned.count) of the \(watched) first members warn; member \(warned[0].index % study.members): "
                + warned[0].warning!
        }
    }

    static func report(_ study: Study, _ all: [Int: MemberResult], dir: String, log: Log) -> Int32 {
        let counts = SummaryFiles.counts(all).filter { $0.1 > 0 }.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
        log("dlntui: \(all.count) members (\(counts)) in \(dir)/summary.csv and \(dir)/quantiles.csv")
        return all.values.contains { $0.status.isFailure } ? 3 : 0
    }

    // MARK: plans

    /// Task t's members: g in [t K, min((t + 1) K, total)).
    public static func taskRange(_ task: Int, size: Int, total: Int) -> Range<Int> {
        (task * size)..<min((task + 1) * size, total)
    }

    /// Members per task: at least `requested`, and enough that T stays under Slurm's default
    /// MaxArraySize of 1001.
    public static func taskSize(total: Int, requested: Int?) -> Int {
        max(requested ?? 50, (total + 999) / 1000, 1)
    }

    public struct SlurmOptions: Sendable {
        public var partition: String?
        public var account: String?
        public var time: String?
        public var memory: String?
        /// At most this many array tasks at once (%K).
        public var concurrent: Int
        public init(partition: String? = nil, account: String? = nil, time: String? = nil, memory: String? = nil, concurrent: Int = 100) {
            self.partition = partition; self.account = account; self.time = time; self.memory = memory; self.concurrent = concurrent
        }
    }

    /// A path made absolute against the current folder.
    public static func absolute(_ path: String) -> String {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
        return url.standardizedFileURL.path
    }

    /// Single-quoted for the shell.
    public static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The command of task t: this binary by its absolute path, the study folder absolute.
    public static func taskCommand(binary: String, dir: String, task: Int, size: Int) -> String {
        "\(quote(binary)) sweep \(quote(dir + "/spec.toml")) --output \(quote(dir)) --task \(task) --task-size \(size) --quiet"
    }

    /// `--plan`: DIR/spec.toml (the spec as given), study.json, tasks.txt, study.sbatch, logs/; runs nothing.
    public static func plan(_ study: Study, specText: String, dir: String, binary: String, taskSize requested: Int?,
                            slurm: SlurmOptions, log: Log = standardError) -> Int32 {
        let dir = absolute(dir)
        let size = taskSize(total: study.total, requested: requested)
        let tasks = (study.total + size - 1) / size
        do throws(StudyError) {
            try checkPoints(study)
            _ = try StudyFolder.prepare(study, dir: dir, resume: false,
                                        plan: [("tasks", "\(tasks)"), ("task_size", "\(size)"), ("binary", JSON.string(binary))])
            try write(specText, to: dir + "/spec.toml")
            let lines = (0..<tasks).map { taskCommand(binary: binary, dir: dir, task: $0, size: size) }
            try write(lines.joined(separator: "\n") + "\n", to: dir + "/tasks.txt")
            do { try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true) } catch {
                throw StudyError.output(path: dir + "/logs", reason: "cannot create the folder")
            }
            try write(sbatch(binary: binary, dir: dir, tasks: tasks, size: size, slurm: slurm), to: dir + "/study.sbatch")
        } catch {
            log("dlntui: \(error)")
            return error.exitStatus
        }
        print("""
            planned \(study.total) members (\(study.points.count) points x \(study.members)) as T = \(tasks) tasks of up to \(size) members in \(dir)
            run them with GNU parallel:  parallel -j 8 --joblog \(quote(dir + "/joblog")) < \(quote(dir + "/tasks.txt"))
                   or on Slurm:          sbatch \(quote(dir + "/study.sbatch"))
            then merge them:             \(quote(binary)) sweep collect \(quote(dir))
            """)
        return 0
    }

    static func write(_ text: String, to path: String) throws(StudyError) {
        do { try AtomicFile.write(text, to: path) } catch { throw .output(path: error.path, reason: error.reason) }
    }

    static func sbatch(binary: String, dir: String, tasks: Int, size: Int, slurm: SlurmOptions) -> String {
        var lines = [
            "#!/bin/bash",
            "# A dlntui study as a Slurm job array: task i runs members [i \(size), (i + 1) \(size)) of \(dir).",
            "#SBATCH --job-name=dlntui-study",
            "#SBATCH --array=0-\(tasks - 1)%\(max(1, min(slurm.concurrent, tasks)))",
            "#SBATCH --output=\(dir)/logs/%x_%A_%a.out",
            "#SBATCH --error=\(dir)/logs/%x_%A_%a.err",
            "#SBATCH --requeue",
            "#SBATCH --ntasks=1",
            "#SBATCH --cpus-per-task=1",
        ]
        if let p = slurm.partition { lines.append("#SBATCH --partition=\(p)") }
        if let a = slurm.account { lines.append("#SBATCH --account=\(a)") }
        if let t = slurm.time { lines.append("#SBATCH --time=\(t)") }
        if let m = slurm.memory { lines.append("#SBATCH --mem=\(m)") }
        lines += [
            "set -eu",
            "exec \(quote(binary)) sweep \(quote(dir + "/spec.toml")) --output \(quote(dir)) --task \"$SLURM_ARRAY_TASK_ID\" --task-size \(size) --quiet",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// One task of a plan: its members not yet recorded (a requeued task continues), into its own
    /// files. 0 once all its members are recorded, whatever their statuses; 2 if DIR holds another
    /// study; 130 on SIGINT.
    public static func runTask(_ study: Study, dir: String, task: Int, size: Int, jobs: Int, log: Log = standardError) -> Int32 {
        let range = taskRange(task, size: size, total: study.total)
        guard task >= 0, size >= 1, !range.isEmpty else {
            log("dlntui: task \(task) of size \(size) holds no member of this study (\(study.total) members)")
            return 64
        }
        do throws(StudyError) {
            guard let old = StudyFolder.readJSON(dir) else { throw StudyError.spec("\(dir)/study.json is missing: plan the study first (--plan)") }
            try StudyFolder.checkSame(study, old: old, dir: dir)
            let existing = ResultFile.readAll(folder: StudyFolder.resultsFolder(dir), prefix: "task-\(task)-")
            let todo = range.filter { existing[$0] == nil }
            let outcome = StudyRunner(study: study, dir: dir, jobs: jobs, progress: false).run(todo, writer: "task-\(task)")
            if let e = outcome.error { throw e }
            for w in stepWarnings(study, outcome.results) { log("dlntui: warning: " + w) }
            if let signal = outcome.signal {
                log("dlntui: task \(task) interrupted by signal \(signal) with \(existing.count + outcome.results.count) of \(range.count) members recorded")
                return signal == SIGINT ? 130 : 128 + signal
            }
            return 0
        } catch {
            log("dlntui: \(error)")
            return error.exitStatus
        }
    }

    /// `dlntui sweep collect DIR`: the tasks' results merged into summary.csv and quantiles.csv.
    /// Missing tasks are listed with the command that reruns each (status 3); otherwise 0, with
    /// the members' statuses counted.
    public static func collect(_ study: Study, dir: String, log: Log = standardError) -> Int32 {
        do throws(StudyError) {
            guard let old = StudyFolder.readJSON(dir) else { throw StudyError.spec("\(dir)/study.json is missing: not a study folder") }
            try StudyFolder.checkSame(study, old: old, dir: dir)
            let plan = old["plan"] as? [String: Any]
            let size = (plan?["task_size"] as? Int) ?? study.total
            let binary = (plan?["binary"] as? String) ?? "dlntui"
            let all = ResultFile.readAll(folder: StudyFolder.resultsFolder(dir))
            let tasks = (study.total + size - 1) / size
            let missing = (0..<tasks).filter { t in taskRange(t, size: size, total: study.total).contains { all[$0] == nil } }
            if !missing.isEmpty {
                log("dlntui: \(missing.count) of \(tasks) tasks incomplete (\(all.count) of \(study.total) members recorded); rerun each:")
                for t in missing { log(taskCommand(binary: binary, dir: dir, task: t, size: size)) }
                return 3
            }
            try StudyFolder.finish(study, dir: dir, results: all, started: StudyFolder.now())
            _ = report(study, all, dir: dir, log: log)
            return 0
        } catch {
            log("dlntui: \(error)")
            return error.exitStatus
        }
    }
}
