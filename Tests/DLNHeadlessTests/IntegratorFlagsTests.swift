import Foundation
import Testing

/// `--integrator`, `--rtol`, `--atol`, `--until-time`, `--every-time` as a user meets them.
@Suite("Integrator flags")
struct IntegratorFlagsTests {
    static func rows(_ r: Invocation) -> [[String]] {
        r.stdout.lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("usage errors exit 64 and name the flag", arguments: [
        (["--steps", "10", "--until-time", "1"], "--until-time"),
        (["--every", "3", "--every-time", "1"], "--every-time"),
        (["--integrator", "dopri5", "--rtol", "0"], "--rtol"),
        (["--integrator", "dopri5", "--rtol", "-1e-6"], "--rtol"),
        (["--integrator", "dopri5", "--rtol", "nan"], "--rtol"),
        (["--integrator", "dopri5", "--atol", "0"], "--atol"),
        (["--integrator", "dopri5", "--atol", "inf"], "--atol"),
        (["--until-time", "0"], "--until-time"),
        (["--until-time=-2"], "--until-time"),
        (["--every-time", "inf"], "--every-time"),
        (["--integrator", "rk5"], "--integrator"),
        (["--integrator", "rk4", "--flow", "langevin", "--beta", "5", "--kappa", "1"], "--integrator"),
        (["--integrator", "heun", "--flow", "upstairs", "--beta", "5"], "--integrator"),
        (["--integrator", "dopri5", "--flow", "rle-upstairs"], "--integrator"),
        (["--integrator", "rk4", "--flow", "dyson"], "--integrator"),
        // Tolerances a fixed-step run would record unread.
        (["--rtol", "1e-3"], "--rtol"),
        (["--integrator", "rk4", "--atol", "1e-9"], "--atol"),
        (["--dt", "0.01", "--rtol", "1e-6"], "--rtol"),
        // Depth time is the only time at N = inf.
        (["-N", "inf", "--flow", "riemannian", "--time-scale", "plain"], "--time-scale"),
        // 1e300 rows.
        (["--until-time", "1", "--every-time", "1e-300"], "--every-time"),
    ])
    func usage(_ c: ([String], String)) throws {
        let r = try Binary.run(["run", "--preset", "two-by-two"] + c.0)
        #expect(r.status == 64, "\(c.0): status \(r.status)")
        #expect(r.stderr.contains(c.1), "\(c.0): \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("a tiny but valid dt runs (0.5 / dt overflowed Int in the growth watch's stride: a trap)", arguments: ["1e-20", "1e-300"])
    func tinyStep(_ dt: String) throws {
        let r = try Binary.run(["run", "--preset", "two-by-two", "--dt", dt, "--steps", "5"])
        #expect(r.status == 0, "\(dt): \(r.stderr)")
        #expect(Self.rows(r).count == 2)
    }

    @Test("a dopri5 step shortened to land on a time below the step floor (1e-12) is not a collapse")
    func shortLanding() throws {
        let r = try Binary.run(["run", "--preset", "two-by-two", "--integrator", "dopri5", "--until-time", "1e-13"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.rows(r).last?[1] == "1e-13")
    }

    @Test("the deterministic settings of the flows that can be noisy accept every integrator")
    func deterministicSettingsAccepted() throws {
        for extra in [["--flow", "langevin", "--beta", "5", "--kappa", "0"], ["--flow", "upstairs", "--beta", "inf"],
                      ["--flow", "free-energy", "--beta", "5"]] {
            let r = try Binary.run(["run", "--preset", "two-by-two", "--integrator", "rk4", "--steps", "3", "--every", "1"] + extra)
            #expect(r.status == 0, "\(extra): \(r.stderr)")
            #expect(Self.rows(r).count == 4)
        }
    }

    @Test("--until-time and --every-time land exactly on the requested times", arguments: ["euler", "heun", "rk4", "dopri5"])
    func landing(_ method: String) throws {
        let r = try Binary.run(["run", "--preset", "two-by-two", "--integrator", method, "--dt", "0.07",
                                "--until-time", "1.7", "--every-time", "0.3"])
        #expect(r.status == 0, "\(r.stderr)")
        let times = Self.rows(r).map { $0[1] }
        #expect(times == ["0", "0.29999999999999999", "0.59999999999999998", "0.89999999999999991",
                          "1.2", "1.5", "1.7"], "\(method): \(times)")
        // The step column counts accepted steps, increasing.
        let steps = Self.rows(r).compactMap { Int($0[0]) }
        #expect(steps == steps.sorted() && Set(steps).count == steps.count && steps.first == 0)
    }

    @Test("--until-time overrides the preset's steps; --every-time its every")
    func overridePreset() throws {
        let r = try Binary.run(["run", "--preset", "two-by-two", "--until-time", "0.5"])
        #expect(r.status == 0)
        let rows = Self.rows(r)
        // dt 0.05: 10 steps; the preset's every (10) still writes the row at step 10, which is the end.
        #expect(rows.map { $0[0] } == ["0", "10"] && rows.last?[1] == "0.5")
    }

    @Test("--dt without --integrator is euler at that dt, row for row")
    func dtMeansEuler() throws {
        let plain = try Binary.run(["run", "--preset", "two-by-two", "--dt", "0.02", "--steps", "50"])
        let euler = try Binary.run(["run", "--preset", "two-by-two", "--dt", "0.02", "--steps", "50", "--integrator", "euler"])
        #expect(plain.status == 0 && plain.stdout == euler.stdout)
        let rk4 = try Binary.run(["run", "--preset", "two-by-two", "--dt", "0.02", "--steps", "50", "--integrator", "rk4"])
        #expect(rk4.stdout != euler.stdout)
    }

    @Test("dopri5 keeps the row contract: same header, --steps and --every count accepted steps")
    func rowContract() throws {
        let euler = try Binary.run(["run", "--preset", "completion", "--steps", "2", "--every", "1"])
        let r = try Binary.run(["run", "--preset", "completion", "--integrator", "dopri5", "--steps", "30", "--every", "10"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.lines.first == euler.stdout.lines.first)
        let rows = Self.rows(r)
        #expect(rows.map { $0[0] } == ["0", "10", "20", "30"])
        let times = rows.compactMap { Double($0[1]) }
        #expect(times == times.sorted() && times.count == 4 && times[3] > times[2])
        for row in rows { #expect(row.count == rows[0].count && row.allSatisfy { !$0.isEmpty }) }
    }
}
