import DLNEngine
import DLNOutput
import Foundation
import Synchronization

/// Runs a study's members on J threads of this process. Each thread runs one member at a time with
/// its own simulation (its own workspaces) and one BLAS thread, and appends every finished member
/// to a result file of its own, so an interruption loses only the members in flight.
public final class StudyRunner: @unchecked Sendable {
    public let study: Study
    public let dir: String
    public let jobs: Int
    /// Show the progress line (callers pass: stderr is a terminal and not --quiet).
    public let progress: Bool

    private let state = Mutex(Shared())
    private struct Shared {
        var next = 0
        var results: [MemberResult] = []
        var failures = 0
        var error: StudyError? = nil
    }

    public init(study: Study, dir: String, jobs: Int, progress: Bool) {
        self.study = study
        self.dir = dir
        self.jobs = max(1, jobs)
        self.progress = progress
    }

    public struct Outcome {
        public var results: [MemberResult]
        public var error: StudyError?
        /// The signal that stopped the run, if one did.
        public var signal: Int32?
    }

    /// Runs the members `todo` (global numbers, in order of claim); `already` counts the members
    /// recorded before (for the progress line). Result files are DIR/results/<writer>-w<k>.bin.
    public func run(_ todo: [Int], writer: String, already: Int = 0, alreadyFailed: Int = 0) -> Outcome {
        Interrupt.install()
        let done = DispatchSemaphore(value: 0)
        let threads = min(jobs, max(1, todo.count))
        let started = Monotonic.now()
        for k in 0..<threads {
            let thread = Thread { [self] in
                self.work(todo, writer: ResultWriter(path: StudyFolder.resultsFolder(self.dir) + "/\(writer)-w\(k).bin"))
                done.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        var finished = 0
        var lastShown = 0.0
        while finished < threads {
            if done.wait(timeout: .now() + .milliseconds(200)) == .success { finished += 1; continue }
            let now = Monotonic.now()
            if progress && now - lastShown >= 0.5 {
                lastShown = now
                let (count, failures) = state.withLock { ($0.results.count, $0.failures) }
                showProgress(done: already + count, new: count, failed: alreadyFailed + failures,
                             remaining: todo.count - count, elapsed: now - started)
            }
        }
        let outcome = state.withLock { s in Outcome(results: s.results, error: s.error, signal: Interrupt.pending) }
        if progress {
            showProgress(done: already + outcome.results.count, new: outcome.results.count,
                         failed: alreadyFailed + outcome.results.filter { $0.status.isFailure }.count,
                         remaining: todo.count - outcome.results.count, elapsed: Monotonic.now() - started)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return outcome
    }

    private func work(_ todo: [Int], writer: ResultWriter) {
        defer { writer.close() }
        let stop: () -> Bool = { [self] in Interrupt.pending != nil || state.withLock { $0.error != nil } }
        while !stop() {
            let claimed: Int? = state.withLock { s in
                guard s.next < todo.count else { return nil }
                defer { s.next += 1 }
                return todo[s.next]
            }
            guard let g = claimed else { return }
            var rows: String? = study.memberRows ? Rows.csvHeader(size: study.points[g / study.members].parameters.size) : nil
            let collect: ((String) -> Void)? = study.memberRows ? { rows! += $0 } : nil
            guard let result = MemberRun.run(study, member: g, rows: collect, stop: stop) else { return }
            do {
                if let rows {
                    let path = dir + "/members/" + Self.memberRowsName(study, g)
                    do { try AtomicFile.write(rows, to: path) } catch { throw StudyError.output(path: error.path, reason: error.reason) }
                }
                try writer.append(result)
            } catch let e as StudyError {
                state.withLock { if $0.error == nil { $0.error = e } }
                return
            } catch {
                return
            }
            state.withLock { s in
                s.results.append(result)
                if result.status.isFailure { s.failures += 1 }
            }
        }
    }

    /// members/point-P-member-I.csv: the member's rows, as `dlntui run` writes them.
    public static func memberRowsName(_ study: Study, _ g: Int) -> String {
        "point-\(g / study.members)-member-\(g % study.members).csv"
    }

    private func showProgress(done: Int, new: Int, failed: Int, remaining: Int, elapsed: Double) {
        let rate = elapsed > 0 ? Double(new) / elapsed : 0
        let eta = rate > 0 ? Double(remaining) / rate : .infinity
        let etaText = eta.isFinite ? String(format: "%.0f s", eta) : "?"
        let line = "\r\u{1B}[Kmembers \(done)/\(study.total), \(failed) failed, "
            + String(format: "%.1f", rate) + " members/s, ETA " + etaText
        FileHandle.standardError.write(Data(line.utf8))
    }
}
