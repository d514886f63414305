import DLNEngine
import DLNOutput
import Foundation
import Testing

/// The honest warning of a forced fixed step: step doubling on a copy (every 10 steps over the
/// first 100, then every 100) says once, on stderr, when the estimated error passes 1%, and leaves
/// the rows as they were.
@Suite struct StepErrorWarningTests {
    static let flags = ["run", "--preset", "completion", "--flow", "riemannian"]

    @Test func aLargeEulerStepWarnsOnceAndASmallOneDoesNot() throws {
        let coarse = try Binary.run(Self.flags + ["--dt", "0.1", "--steps", "4000", "--every", "1000"])
        #expect(coarse.status == 0, "\(coarse.stderr)")
        let warnings = coarse.stderr.components(separatedBy: "is too large for this flow here").count - 1
        #expect(warnings == 1, "\(coarse.stderr)")
        #expect(coarse.stderr.contains("dt = 0.1 ") && coarse.stderr.contains("% in sigma_") && coarse.stderr.contains("--integrator dopri5"))

        let fine = try Binary.run(Self.flags + ["--dt", "0.001", "--steps", "2000", "--every", "1000"])
        #expect(fine.status == 0 && !fine.stderr.contains("too large"), "\(fine.stderr)")
        // dopri5 controls its own error: no check, no warning.
        let adaptive = try Binary.run(Self.flags + ["--integrator", "dopri5", "--steps", "300", "--every", "100"])
        #expect(adaptive.status == 0 && !adaptive.stderr.contains("too large"), "\(adaptive.stderr)")
    }

    /// An escape over within the first 100 steps is seen: the 2 x 2 problem's at dt 0.05 (t = 0.5
    /// to 3), where euler on the riemannian flow is more than 1% off against dopri5 at rtol 1e-10
    /// (9% at t = 1.5), warns by t = 1; with checks only every 100 steps it said nothing. The
    /// preset's own rk4 at that dt says nothing.
    @Test func anEarlyEscapeIsWatched() throws {
        let flags = ["run", "--preset", "two-by-two", "--flow", "riemannian", "--every", "10"]
        let euler = try Binary.run(flags + ["--integrator", "euler", "--steps", "100"])
        let reference = try Binary.run(flags.dropLast(2) + ["--integrator", "dopri5", "--rtol", "1e-10", "--atol", "1e-14",
                                                            "--until-time", "5", "--every-time", "0.5"])
        #expect(euler.status == 0 && reference.status == 0, "\(euler.stderr) \(reference.stderr)")
        func sigma1(_ text: String) -> [Double] {
            let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let k = lines[0].firstIndex(of: "sigma_1")!
            return lines.dropFirst().map { Double($0[k])! }
        }
        let a = sigma1(euler.stdout), b = sigma1(reference.stdout)
        #expect(a.count == 11 && b.count == 11)
        let actual = zip(a, b).map { abs($0 - $1) / $1 }.max()!
        #expect(actual > 0.01, "euler's actual error \(actual)")
        let said = euler.stderr.components(separatedBy: "\n").first { $0.contains("is too large for this flow here") }
        #expect(said?.contains("step doubling every 10 steps") == true, "\(euler.stderr)")
        if let said, let t = said.components(separatedBy: "by t = ").last?.split(separator: " ").first.flatMap({ Double($0) }) {
            #expect(t <= 1, "warned at t = \(t)")
        }
        let rk4 = try Binary.run(flags + ["--steps", "100"])
        #expect(rk4.status == 0 && !rk4.stderr.contains("too large"), "\(rk4.stderr)")
    }

    /// The rows with the check (the binary) are byte for byte those of the same run stepped in
    /// process without it.
    @Test func theCheckLeavesTheRowsByteIdentical() throws {
        for integrator in ["euler", "rk4"] {
            let run = try Binary.run(Self.flags + ["--dt", "0.1", "--integrator", integrator, "--steps", "2500", "--every", "100"])
            // The euler run warned: the check ran, on its copy.
            #expect(run.status == 0 && (integrator != "euler" || run.stderr.contains("too large")), "\(run.stderr)")
            var p = Preset.named("completion")!.parameters
            p.flow = .riemannian; p.dt = 0.1; p.integrator = IntegratorKind(rawValue: integrator)!
            let sim = try Simulation(parameters: p)
            var lines = [Rows.csvLine(try sim.observe())]
            for _ in 0..<2500 {
                try sim.advance()
                if sim.stepCount % 100 == 0 { lines.append(Rows.csvLine(try sim.observe())) }
            }
            let rows = run.stdout.split(separator: "\n").dropFirst().map { String($0) + "\n" }
            #expect(rows == lines, "\(integrator)")
        }
    }

    /// The estimate itself: euler's accumulated estimate at dt 0.1 against the error it makes,
    /// measured against dopri5 at rtol 1e-9 to the same time (an independent, converged curve).
    @Test func theEstimateIsOfTheSizeOfTheErrorMade() throws {
        var p = Preset.named("completion")!.parameters
        p.flow = .riemannian; p.dt = 0.1
        p.useFixedStep()  // the forced fixed step the watch is for
        let coarse = try Simulation(parameters: p)
        let watch = StepDoublingWatch()
        var message: String?
        while message == nil && coarse.stepCount < 4000 {
            try coarse.advance()
            message = watch.check(coarse)
        }
        let t = coarse.time
        p.integrator = .dopri5; p.rtol = 1e-9; p.atol = 1e-12
        let fine = try Simulation(parameters: p)
        while fine.time < t { try fine.advance(landingAt: t) }
        let a = try coarse.observe().sigma, b = try fine.observe().sigma
        let floor = p.rankTol * coarse.problem.scale
        let actual = (0..<a.count).map { abs(a[$0] - b[$0]) / max(b[$0], floor) }.max()!
        let estimated = watch.accumulated.max()!
        // Warned when the error made had in fact passed 1%, and the estimate within a factor 30 of it.
        #expect(message != nil && actual > 0.01, "actual \(actual), estimated \(estimated) at t = \(t)")
        #expect(estimated < 30 * actual && actual < 30 * estimated, "actual \(actual), estimated \(estimated) at t = \(t)")
    }

    /// A study says it too: the first members of each point watch their step (`dlntui ensemble`,
    /// `dlntui sweep`), the warning names the point and how many of them warned, on stderr and in
    /// study.json (euler at the preset's dt 0.05); dopri5 (error controlled) and the preset's rk4
    /// have none. (That the watch changes no result is
    /// MemberTests': their members, all watched, against `run --member i`.)
    @Test func aStudyWarnsPerPointOnStderrAndInStudyJSON() throws {
        let dir = Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let flags = ["--preset", "two-by-two", "--flow", "riemannian", "--time-scale", "depth", "-N", "5", "--steps", "1000", "--every", "100"]
        let euler = try Binary.run(["ensemble"] + flags + ["--integrator", "euler", "--members", "12", "--output", dir + "/euler"])
        #expect(euler.status == 0, "\(euler.stderr)")
        let lines = euler.stderr.split(separator: "\n").filter { $0.contains("is too large for this flow here") }
        #expect(lines.count == 1, "\(euler.stderr)")
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("dlntui: warning: point 0: ") && line.contains(" of the 10 first members warn; member ") && line.contains("dopri5"), "\(line)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/euler/study.json"))) as? [String: Any]
        let recorded = json?["warnings"] as? [String]
        #expect(recorded == [String(line.dropFirst("dlntui: warning: ".count))], "\(recorded ?? [])")
        // The member it names warns alone too.
        if let m = line.components(separatedBy: "; member ").last?.split(separator: ":").first {
            let alone = try Binary.run(["run"] + flags + ["--integrator", "euler", "--member", String(m)])
            #expect(alone.stderr.contains("is too large for this flow here"), "member \(m): \(alone.stderr)")
        }

        let adaptive = try Binary.run(["ensemble"] + flags.dropLast(4) + ["--integrator", "dopri5", "--until-time", "50", "--every-time", "5",
                                                                          "--members", "12", "--output", dir + "/dopri5"])
        #expect(adaptive.status == 0 && !adaptive.stderr.contains("too large"), "\(adaptive.stderr)")
        let quiet = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/dopri5/study.json"))) as? [String: Any]
        #expect(quiet?["warnings"] == nil)
        // The preset's own fixed step (rk4 at dt 0.05) is watched and right: nothing said.
        let preset = try Binary.run(["ensemble"] + flags + ["--members", "12", "--output", dir + "/rk4"])
        #expect(preset.status == 0 && !preset.stderr.contains("too large"), "\(preset.stderr)")
    }
}
