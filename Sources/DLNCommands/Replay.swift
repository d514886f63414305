import ArgumentParser
import DLNTerminal
import Foundation

/// `dlntui replay ROWS.csv`: a recorded run in the live interface's dashboard, read-only.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch a recorded run's rows (CSV or JSONL) in the live interface's dashboard.",
        discussion: "Reads ROWS and its sidecar ROWS.json when present (a snapshot's edits and rollbacks are shown where they happened). Never integrates: W and the per-layer trace are not in the rows and their panels say so. A last line without its newline is left out; --follow reads rows as they are written. A study folder (of dlntui ensemble or sweep) shows its quantile bands over its saved times, a histogram of a member statistic (h: the next) and, for d = 2, the members' limits on the hyperbola.")

    @Argument(help: "A row file of `dlntui run` or of a snapshot (CSV or JSONL), or a finished study's folder (its summary and quantile charts).")
    var rows: String

    @Flag(help: "Keep reading as rows arrive (like tail -f), to watch a running headless job.")
    var follow = false

    @Option(help: "Theme: a name from `dlntui themes` or a path to a .theme file.")
    var theme: String?

    @Option(parsing: .unconditional, help: "Frames per second, 1...240.")
    var fps: Typed<Int> = Typed(argument: "30")!

    func validate() throws {
        var isDirectory: ObjCBool = false
        if follow, FileManager.default.fileExists(atPath: rows, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("--follow reads a row file as it is written; a study folder is replayed once it is finished (without --follow)")
        }
        guard (1...240).contains(fps.value) else { throw ValidationError("invalid value '\(fps.text)' for --fps: expected an integer in 1...240") }
    }

    func run() throws {
        let status = ReplayApp.run(path: rows, follow: follow, theme: theme, fps: fps.value)
        if status != 0 { throw ExitCode(status) }
    }
}
