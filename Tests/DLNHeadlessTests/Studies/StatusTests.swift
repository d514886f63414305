import Foundation
import Testing

/// Statuses, stopping rules and the exit status of a study with failed members.
@Suite struct StatusTests {
    /// dt far too large for some members: they diverge or go non-finite, are recorded, and the
    /// study exits 3 after finishing the others.
    @Test func failedMembersAreRecordedAndExit3() throws {
        let dir = StudyTest.folder()
        let r = try StudyTest.ensemble(["--preset", "two-by-two", "--init", "balanced", "--init-scale", "1.3", "--dt", "0.9",
                                        "--steps", "400", "--members", "12"], output: dir)
        let t = try CSVTable(path: dir + "/summary.csv")
        let statuses = t.column("status")
        #expect(statuses.count == 12)
        let failed = statuses.filter { ["non-finite", "diverged", "svd-failed"].contains($0) }
        #expect(!failed.isEmpty, "\(statuses)")
        #expect(r.status == (failed.isEmpty ? 0 : 3))
        // A failed member stopped before its horizon; the others ran to it.
        for (k, s) in statuses.enumerated() {
            let steps = Int(t.column("steps")[k])!
            #expect(failed.contains(s) ? steps < 400 : steps == 400)
        }
    }

    /// A preset that is an ensemble (hyperbola, 300 members) gives its count headless as live; a
    /// single-run preset without --members is refused naming the presets that have one.
    @Test func aPresetsOwnMembers() throws {
        let dir = StudyTest.folder()
        let r = try StudyTest.ensemble(["--preset", "hyperbola", "--steps", "3"], output: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CSVTable(path: dir + "/summary.csv").column("status").count == 300)
        let single = try StudyTest.ensemble(["--preset", "two-by-two", "--steps", "3"], output: StudyTest.folder())
        #expect(single.status == 64 && single.stderr.contains("--members M is needed") && single.stderr.contains("hyperbola"), "\(single.stderr)")
    }

    /// --until-energy stops a member at the first step where E < X (that row is its last);
    /// those that never get there run to the horizon as not-converged.
    @Test func untilEnergyStopsEachMember() throws {
        let dir = StudyTest.folder()
        let r = try StudyTest.ensemble(["--preset", "two-by-two", "--steps", "600", "--members", "10", "--until-energy", "0.01"], output: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let t = try CSVTable(path: dir + "/summary.csv")
        for (k, s) in t.column("status").enumerated() {
            let e = Double(t.column("energy")[k])!, steps = Int(t.column("steps")[k])!
            if s == "ok" { #expect(e < 0.01 && steps < 600) } else { #expect(s == "not-converged" && e >= 0.01 && steps == 600) }
            // The stopping step is the one dlntui run --until-energy stops at.
            let run = try Binary.run(["run", "--preset", "two-by-two", "--steps", "600", "--until-energy", "0.01", "--member", "\(k)"])
            #expect(run.stdout.lines.last!.split(separator: ",").first.map(String.init) == "\(steps)")
        }
    }

    /// --until-converged: a stopped member's W changed by less than TOL relative, per unit time,
    /// over its last window (checked here from its rows, by the formula, not by dlntui).
    @Test func untilConvergedStopsOnTheRelativeChangeOfW() throws {
        let dir = StudyTest.folder()
        let tol = 1e-3
        let r = try StudyTest.ensemble(["--preset", "two-by-two", "--flow", "riemannian", "--steps", "4000", "--every", "50",
                                        "--members", "6", "--until-converged", "\(tol)"], output: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let t = try CSVTable(path: dir + "/summary.csv")
        #expect(t.column("status").contains("ok"))
        for (k, s) in t.column("status").enumerated() where s == "ok" {
            let steps = Int(t.column("steps")[k])!
            #expect(steps % 50 == 0 && steps < 4000)
            // W at the last two windows' ends, from dlntui run's final matrix.
            func w(_ n: Int) throws -> [Double] {
                let path = dir + "/w\(k)-\(n).csv"
                _ = try Binary.run(["run", "--preset", "two-by-two", "--flow", "riemannian", "--steps", "\(n)", "--member", "\(k)",
                                    "--final-matrix", path])
                return try String(contentsOfFile: path, encoding: .utf8).lines.flatMap { $0.split(separator: ",").map { Double($0)! } }
            }
            let now = try w(steps), before = try w(steps - 50), earlier = try w(steps - 100)
            func rate(_ a: [Double], _ b: [Double]) -> Double {
                let diff = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
                return diff / (a.map { $0 * $0 }.reduce(0, +).squareRoot() * 50 * 0.05)
            }
            #expect(rate(now, before) < tol)
            #expect(rate(before, earlier) >= tol, "it would have stopped a window earlier")
        }
    }
}
