import DLNEngine
import Foundation
import Testing

/// How flags meet a preset's time horizon: `--dt` alone is euler at that dt for the preset's steps
/// (the rows such a command always wrote), `--steps` and `--every` replace the preset's horizon and
/// row times, `--integrator` keeps them.
@Suite struct PresetHorizonFlagsTests {
    static func rows(_ arguments: [String]) throws -> [String] {
        let r = try Binary.run(["run"] + arguments, timeout: 120)
        #expect(r.status == 0, "\(arguments): \(r.stderr)")
        return r.stdout.lines
    }

    static func column(_ lines: [String], _ name: String) -> [Double] {
        let header = lines[0].split(separator: ",").map(String.init)
        let k = header.firstIndex(of: name)!
        return lines.dropFirst().map { Double($0.split(separator: ",", omittingEmptySubsequences: false)[k])! }
    }

    @Test func dtAloneIsEulerForThePresetsSteps() throws {
        let p = Preset.named("sensing")!.parameters
        let alone = try Self.rows(["--preset", "sensing", "--dt", "0.05"])
        let spelled = try Self.rows(["--preset", "sensing", "--integrator", "euler", "--dt", "0.05",
                                     "--steps", "\(p.steps)", "--every", "\(p.every)"])
        #expect(alone == spelled)
        #expect(Self.column(alone, "step").last == Double(p.steps))
    }

    @Test func theDefaultEndsAtThePresetsTimeWithRowsAtItsMultiples() throws {
        let p = Preset.named("bures-wasserstein")!.parameters
        let lines = try Self.rows(["--preset", "bures-wasserstein"])
        let t = Self.column(lines, "time")
        let h = p.everyTime!
        #expect(t.count == Int((p.untilTime! / h).rounded()) + 1)
        for (k, time) in t.enumerated() { #expect(time == Double(k) * h, "row \(k) at t = \(time)") }
    }

    @Test func stepsAndEveryReplaceThePresetsHorizon() throws {
        let lines = try Self.rows(["--preset", "bures-wasserstein", "--steps", "40", "--every", "8"])
        #expect(Self.column(lines, "step") == [0, 8, 16, 24, 32, 40])
        // Still dopri5 (--steps counts its accepted steps): its steps are not all the first dt.
        let t = Self.column(lines, "time")
        #expect(t.last! != 40 * Preset.named("bures-wasserstein")!.parameters.dt)
    }

    @Test func anotherIntegratorKeepsThePresetsTimeHorizon() throws {
        let p = Preset.named("bures-wasserstein")!.parameters
        let lines = try Self.rows(["--preset", "bures-wasserstein", "--integrator", "rk4", "--dt", "0.05"])
        #expect(Self.column(lines, "time").last == p.untilTime)
    }

    @Test func theSidecarRecordsTheDefaults() throws {
        let dir = Binary.temporaryDirectory()
        _ = try Self.rows(["--preset", "bures-wasserstein", "--output", dir + "/r.csv"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.csv.json"))) as! [String: Any]
        let start = json["start"] as! [String: Any]
        #expect(start["integrator"] as? String == "dopri5")
        // Foundation's JSON reader may be an ulp off (the sidecar reader parses numbers exactly).
        #expect(abs((start["rtol"] as? Double ?? 0) / 1e-8 - 1) < 1e-12 && abs((start["atol"] as? Double ?? 0) / 1e-12 - 1) < 1e-12)
        #expect(start["until_time"] as? Double == 150)
    }
}
