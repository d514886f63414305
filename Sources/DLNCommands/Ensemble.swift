import ArgumentParser
import DLNEngine
import DLNOutput
import DLNStudy

/// `dlntui ensemble`: M members of one parameter point, on every core.
struct Ensemble: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run M members of one point (same problem, own start and noise) into a study folder.",
        discussion: """
            Member i of seed S is `dlntui run <the same flags> --seed S --member i`, bit for bit. Writes \
            DIR/study.json first, then DIR/results/ as members finish, and at the end DIR/summary.csv (one \
            row per member) and DIR/quantiles.csv. Exit status 3 if any member failed, 130 on SIGINT.
            """)

    @OptionGroup var point: StudyPointOptions
    @OptionGroup var running: StudyRunOptions

    @Option(help: "Members of the point (>= 1); default: the preset's, for a preset that is an ensemble (hyperbola: 300).")
    var members: Int?

    /// --members, else the preset's own count (the live view opens the same ensemble).
    var memberCount: Int? { members ?? point.simulation.preset.flatMap { Preset.named($0)?.members } }

    @Option(help: "Stop a member once the relative change of W per unit time, between two saved rows (a window of --every steps, or of --every-time), is below TOL.")
    var untilConverged: Double?

    @Flag(help: "Also write each member's rows to DIR/members/point-0-member-I.csv.")
    var memberRows = false

    func validate() throws {
        guard let members = memberCount else {
            throw ValidationError("--members M is needed: the preset \(point.simulation.preset ?? Preset.defaultName) is a single run (presets with their own members: \(Preset.all.filter { $0.members != nil }.map(\.name).joined(separator: ", ")))")
        }
        guard (1...100_000_000).contains(members) else { throw ValidationError("invalid value '\(members)' for --members: expected an integer in 1...100000000") }
        if let tol = untilConverged, !(tol > 0 && tol.isFinite) { throw ValidationError("invalid value '\(tol)' for --until-converged: expected a finite number > 0") }
    }

    func run() throws {
        BLAS.configureThreads(1)
        let p = try point.parameters()
        let members = memberCount!  // validate() refused nil
        var spec: [(String, String)] = [
            ("command", JSON.string("ensemble")),
            ("arguments", "[" + CommandLine.arguments.dropFirst().map(JSON.string).joined(separator: ", ") + "]"),
            ("members", "\(members)"),
            ("seed", "\(p.seed)"),
            ("vary-problem", point.simulation.varyProblem ? "true" : "false"),
            ("member-rows", memberRows ? "true" : "false"),
        ]
        spec.append(("until-converged", untilConverged.map(JSON.number) ?? "null"))
        let study = Study(points: [StudyPoint(index: 0, parameters: p, grid: [])], members: members,
                          varyProblem: point.simulation.varyProblem, untilConverged: untilConverged,
                          memberRows: memberRows, spec: spec)
        let status = StudySession.run(study, dir: running.output, jobs: running.workerCount, resume: running.resume,
                                      progress: running.showsProgress)
        if status != 0 { throw ExitCode(status) }
    }
}
