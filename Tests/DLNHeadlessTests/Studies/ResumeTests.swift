import Foundation
import Testing

/// Issue 14, "Running": interruption loses at most the members in flight; --resume finishes the
/// study with the summary of an uninterrupted one; a changed spec is refused.
@Suite struct ResumeTests {
    static let flags = ["--preset", "two-by-two", "--steps", "3000", "--every", "100", "--members", "120", "--seed", "9"]

    /// Starts `dlntui ensemble` and waits until at least one member is recorded.
    func startAndWaitForRecords(_ dir: String, extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["ensemble"] + Self.flags + extra + ["--output", dir, "--quiet", "--jobs", "2"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/results")) ?? []
            let bytes = files.reduce(0) { sum, f in
                sum + (((try? FileManager.default.attributesOfItem(atPath: dir + "/results/" + f))?[.size] as? Int) ?? 0)
            }
            if bytes > 0 { break }
            usleep(20_000)
        }
        return process
    }

    @Test func sigkillThenResumeEqualsUninterrupted() throws {
        let whole = StudyTest.folder(), broken = StudyTest.folder()
        let run = try Binary.run(["ensemble"] + Self.flags + ["--output", whole, "--quiet"], timeout: 300)
        #expect(run.status == 0, "\(run.stderr)")
        let process = try startAndWaitForRecords(broken)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // Killed part-way: no summary yet, the study recorded before its first member.
        #expect(!FileManager.default.fileExists(atPath: broken + "/summary.csv"))
        #expect(FileManager.default.fileExists(atPath: broken + "/study.json"))
        let again = try Binary.run(["ensemble"] + Self.flags + ["--output", broken, "--quiet"])
        #expect(again.status == 2 && again.stderr.contains("--resume"), "a non-empty folder needs --resume")
        let resumed = try Binary.run(["ensemble"] + Self.flags + ["--output", broken, "--quiet", "--resume"], timeout: 300)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let a = try CSVTable(path: whole + "/summary.csv"), b = try CSVTable(path: broken + "/summary.csv")
        #expect(a.rows.count == 120)
        #expect(a.header == b.header)
        #expect(a.deterministic == b.deterministic)
        #expect(try String(contentsOfFile: whole + "/quantiles.csv", encoding: .utf8)
                == String(contentsOfFile: broken + "/quantiles.csv", encoding: .utf8))
    }

    @Test func sigintReportsAndExits130() throws {
        let dir = StudyTest.folder()
        let process = try startAndWaitForRecords(dir)
        let err = Pipe()
        _ = err
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let resumed = try Binary.run(["ensemble"] + Self.flags + ["--output", dir, "--quiet", "--resume"], timeout: 300)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try CSVTable(path: dir + "/summary.csv").rows.count == 120)
    }

    @Test func aChangedSpecIsRefusedNamingTheChange() throws {
        let dir = StudyTest.folder()
        let small = ["--preset", "two-by-two", "--steps", "20", "--members", "3"]
        #expect(try StudyTest.ensemble(small, output: dir).status == 0)
        let changed = try StudyTest.ensemble(small + ["--dt", "0.01", "--resume"], output: dir)
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("dt: 0.05 -> 0.01"), "\(changed.stderr)")
        let more = try StudyTest.ensemble(["--preset", "two-by-two", "--steps", "20", "--members", "4", "--resume"], output: dir)
        #expect(more.status == 2 && more.stderr.contains("members=3") == false && more.stderr.contains("members: 3 -> 4"), "\(more.stderr)")
        // The same spec resumes (nothing left to do) and rewrites the same summary.
        let before = try CSVTable(path: dir + "/summary.csv")
        #expect(try StudyTest.ensemble(small + ["--resume", "--jobs", "1"], output: dir).status == 0)
        #expect(try CSVTable(path: dir + "/summary.csv").rows == before.rows)
    }

    @Test func resumeOnAnEmptyFolderStarts() throws {
        let dir = StudyTest.folder()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let r = try StudyTest.ensemble(["--preset", "two-by-two", "--steps", "10", "--members", "2", "--resume"], output: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CSVTable(path: dir + "/summary.csv").rows.count == 2)
    }
}
