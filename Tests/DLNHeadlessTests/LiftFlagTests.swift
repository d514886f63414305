import Foundation
import Testing

/// `--lift` as a user meets it: refused where it cannot apply, recorded in the sidecar, replayed by
/// `run --from`; and `bench --until-time`'s in-process timing of whole integrations.
@Suite("Lift flag")
struct LiftFlagTests {
    @Test("--lift balanced where Theorem 2 does not give it, or a bad value: status 64 naming --lift", arguments: [
        (["--flow", "upstairs"], "steps its factors already"),
        (["--flow", "langevin", "--beta", "5", "--kappa", "0"], "entropic force"),
        (["--flow", "free-energy", "--beta", "5"], "entropic force"),
        (["--flow", "riemannian", "-N", "inf"], "N = inf has no factors"),
        (["--flow", "riemannian", "--lift-typo"], "lift-typo"),
    ])
    func refused(_ c: ([String], String)) throws {
        var args = ["run", "--preset", "completion", "-d", "4", "--steps", "2"] + c.0
        if !c.0.contains("--lift-typo") { args += ["--lift", "balanced"] }
        let r = try Binary.run(args)
        #expect(r.status == 64, "\(c.0): status \(r.status)")
        #expect(r.stderr.contains(c.1), "\(c.0): \(r.stderr)")
        let bad = try Binary.run(["run", "--preset", "completion", "--flow", "riemannian", "--lift", "factors"])
        #expect(bad.status == 64 && bad.stderr.contains("--lift"))
    }

    @Test("the sidecar records lift and what was stepped; run --from replays the rows bit for bit, and --lift none beside it steps W")
    func sidecarRoundTrip() throws {
        let dir = Binary.temporaryDirectory()
        let out = dir + "/lifted.csv"
        let r = try Binary.run(["run", "--preset", "completion", "-d", "6", "--flow", "riemannian", "--until-time", "60",
                                "--every-time", "20", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let side = try String(contentsOfFile: out + ".json", encoding: .utf8)
        #expect(side.contains("\"lift\": \"auto\"") && side.contains("\"stepped\": \"balanced factors W_N...W_1\""))
        let rows = try String(contentsOfFile: out, encoding: .utf8)
        // The balance defect column is the stepped factors' (small), not empty as for W.
        let defect = rows.lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[8] }
        #expect(defect.allSatisfy { Double($0).map { $0 < 1e-6 } ?? false }, "\(defect)")
        let replay = try Binary.run(["run", "--from", out + ".json"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout == rows)
        let ambient = try Binary.run(["run", "--from", out + ".json", "--lift", "none", "--output", dir + "/w.csv"])
        #expect(ambient.status == 0, "\(ambient.stderr)")
        let wSide = try String(contentsOfFile: dir + "/w.csv.json", encoding: .utf8)
        #expect(wSide.contains("\"lift\": \"none\"") && wSide.contains("\"stepped\": \"W\""))
        let wRows = try String(contentsOfFile: dir + "/w.csv", encoding: .utf8)
        #expect(wRows != rows && wRows.lines.count == rows.lines.count)
    }

    @Test("bench --until-time times whole integrations in the process and prints evaluations and the singular values")
    func benchIntegration() throws {
        let dir = Binary.temporaryDirectory()
        let made = try Binary.run(["run", "--preset", "completion", "-d", "5", "--steps", "0", "--save-problem", dir,
                                   "--final-matrix", dir + "/w0.csv"])
        #expect(made.status == 0, "\(made.stderr)")
        let files = ["--target", dir + "/target.csv", "--mask", dir + "/mask.csv", "--initial", dir + "/w0.csv"]
        var sigmas: [String: [Double]] = [:]
        for lift in ["balanced", "none"] {
            let r = try Binary.run(["bench", "--until-time", "30", "-N", "3", "--repeat", "2", "--rtol", "1e-10", "--atol", "1e-14", "--lift", lift] + files)
            #expect(r.status == 0, "\(r.stderr)")
            let seconds = r.stdout.lines.first { $0.hasPrefix("integration_seconds=") }.flatMap { Double($0.dropFirst(20)) }
            #expect((seconds ?? 0) > 0, "\(r.stdout)")
            #expect(r.stdout.contains("evaluations="))
            sigmas[lift] = r.stdout.lines.first { $0.hasPrefix("sigma=") }!.dropFirst(6).split(separator: ",").map { Double($0)! }
        }
        // The two ways of stepping the riemannian flow agree at this tolerance.
        for (a, b) in zip(sigmas["balanced"]!, sigmas["none"]!) where b > 1e-2 * sigmas["none"]![0] {
            #expect(abs(a - b) / b < 1e-6)
        }
        let missing = try Binary.run(["bench", "--until-time", "30"])
        #expect(missing.status == 64 && missing.stderr.contains("--target"))
        let stray = try Binary.run(["bench", "--lift", "balanced"])
        #expect(stray.status == 64 && stray.stderr.contains("--until-time"))
    }
}
