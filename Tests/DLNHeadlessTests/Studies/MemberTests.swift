import DLNEngine
import Foundation
import Testing

/// Issue 14: member i of an ensemble of seed S is `dlntui run --seed S --member i`, bit for bit.
@Suite struct MemberTests {
    /// SplitMix64 as Steele, Lea and Flood give it: state += golden gamma, then the mix; written here
    /// from the paper, not from dlntui's code.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func memberSeedIsTheSplitMixOutput() {
        // The published first output of SplitMix64 seeded with 0.
        #expect(MemberSeed.of(study: 0, member: 0) == 0xE220_A839_7B1D_CDAF)
        for seed: UInt64 in [1, 42, 0xFFFF_FFFF_FFFF_FFFF] {
            var g = SplitMix64(state: seed)
            for i in 0..<50 { #expect(MemberSeed.of(study: seed, member: i) == g.next()) }
        }
    }

    /// Rows (through --member-rows) and the final W (summary's w_i_j against --final-matrix) of every
    /// member, for a noiseless flow and a noisy one (the noise stream is the member's too).
    @Test(arguments: [["--preset", "two-by-two", "--steps", "150", "--seed", "7"],
                      ["--preset", "langevin", "--steps", "60", "--every", "7", "-d", "4", "--seed", "3"],
                      // Adaptive steps, rows in time and a horizon in time: the schedule `run` keeps.
                      ["--preset", "completion", "-d", "5", "--integrator", "dopri5", "--every-time", "7",
                       "--until-time", "40", "--seed", "2"]])
    func membersAreReproducibleAlone(_ flags: [String]) throws {
        let dir = StudyTest.folder()
        let e = try StudyTest.ensemble(flags + ["--members", "5", "--jobs", "2", "--member-rows"], output: dir)
        #expect(e.status == 0, "\(e.stderr)")
        let summary = try CSVTable(path: dir + "/summary.csv")
        let d = Int(summary.header.filter { $0.hasPrefix("sigma_") }.count)
        var lastRows: Set<String> = []
        for i in 0..<5 {
            let matrix = dir + "/fm-\(i).csv"
            let run = try Binary.run(["run"] + flags + ["--member", "\(i)", "--final-matrix", matrix])
            #expect(run.status == 0, "\(run.stderr)")
            let rows = try String(contentsOfFile: dir + "/members/point-0-member-\(i).csv", encoding: .utf8)
            #expect(rows == run.stdout, "member \(i): rows differ from dlntui run --member \(i)")
            lastRows.insert(run.stdout.lines.last!)
            let w = try String(contentsOfFile: matrix, encoding: .utf8).lines.flatMap { $0.split(separator: ",").map(String.init) }
            let row = summary.rows[i]
            #expect(row[summary.header.firstIndex(of: "member")!] == "\(i)")
            let fromSummary = (1...d).flatMap { a in (1...d).map { b in row[summary.header.firstIndex(of: "w_\(a)_\(b)")!] } }
            #expect(fromSummary.map { Double($0)! } == w.map { Double($0)! }, "member \(i): final W")
        }
        // The members differ from one another: their starts do.
        #expect(lastRows.count == 5)
    }

    /// Quantiles are taken at times every member shares: rows in time land there exactly; members
    /// whose rows would fall at their own times (adaptive steps counted in steps) are refused.
    @Test func quantileTimesAreTheSchedulesTimes() throws {
        let dir = StudyTest.folder()
        let flags = ["--preset", "completion", "-d", "5", "--integrator", "dopri5", "--seed", "2", "--members", "3"]
        let e = try StudyTest.ensemble(flags + ["--every-time", "7", "--until-time", "40"], output: dir)
        #expect(e.status == 0, "\(e.stderr)")
        let q = try CSVTable(path: dir + "/quantiles.csv")
        let times = Set(q.rows.map { Double($0[q.header.firstIndex(of: "time")!])! })
        #expect(times == [0, 7, 14, 21, 28, 35, 40])
        let refused = try StudyTest.ensemble(flags + ["--steps", "50"], output: StudyTest.folder())
        #expect(refused.status == 2 && refused.stderr.contains("--every-time"), "\(refused.stderr)")
    }

    /// The problem is the seed's for every member; with --vary-problem it is the member's.
    @Test func theProblemStaysTheSeedsUnlessVaried() throws {
        let dir = StudyTest.folder()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let base = ["--preset", "completion", "-d", "5", "--steps", "0", "--seed", "11"]
        var targets: [String] = []
        for extra in [[], ["--member", "0"], ["--member", "1"], ["--member", "1", "--vary-problem"]] {
            let folder = dir + "/p\(targets.count)"
            let r = try Binary.run(["run"] + base + extra + ["--save-problem", folder])
            #expect(r.status == 0, "\(r.stderr)")
            targets.append(try String(contentsOfFile: folder + "/target.csv", encoding: .utf8))
        }
        #expect(targets[0] == targets[1] && targets[1] == targets[2])
        #expect(targets[3] != targets[0])
        let bad = try Binary.run(["run"] + base + ["--vary-problem"])
        #expect(bad.status == 64 && bad.stderr.contains("--vary-problem needs --member"))
    }

    /// A member's sidecar names the member, so `run --from` replays that member, not the seed's own run.
    @Test func aMembersSidecarRerunsTheMember() throws {
        let dir = StudyTest.folder()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let flags = ["--preset", "langevin", "-d", "4", "--steps", "40", "--every", "5", "--seed", "3"]
        let member = try Binary.run(["run"] + flags + ["--member", "2", "--output", dir + "/m.csv"])
        #expect(member.status == 0, "\(member.stderr)")
        let rows = try String(contentsOfFile: dir + "/m.csv", encoding: .utf8)
        let rerun = try Binary.run(["run", "--from", dir + "/m.csv.json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout == rows, "run --from a member's sidecar must give that member's rows")
        let plain = try Binary.run(["run"] + flags)
        #expect(plain.stdout != rows)
    }

    /// Results do not depend on the number of workers.
    @Test func jobsDoNotChangeTheSummary() throws {
        let flags = ["--preset", "two-by-two", "--steps", "200", "--every", "20", "--members", "24", "--seed", "5"]
        let one = StudyTest.folder(), two = StudyTest.folder()
        #expect(try StudyTest.ensemble(flags + ["--jobs", "1"], output: one).status == 0)
        #expect(try StudyTest.ensemble(flags + ["--jobs", "2"], output: two).status == 0)
        let a = try CSVTable(path: one + "/summary.csv"), b = try CSVTable(path: two + "/summary.csv")
        #expect(a.header == b.header)
        #expect(a.rows.count == 24)
        #expect(a.deterministic == b.deterministic)
        #expect(try String(contentsOfFile: one + "/quantiles.csv", encoding: .utf8)
                == String(contentsOfFile: two + "/quantiles.csv", encoding: .utf8))
    }
}
