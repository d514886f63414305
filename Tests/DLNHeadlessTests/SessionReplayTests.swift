import DLNEngine
import DLNOutput
import Foundation
import Testing

/// Reads a CSV's rows by step.
private func rowsByStep(_ text: String) -> [Int: String] {
    var out: [Int: String] = [:]
    for line in text.split(separator: "\n").dropFirst() {
        if let step = Int(line.prefix { $0 != "," }) { out[step] = String(line) }
    }
    return out
}

private func sidecar(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
}

/// Honest sidecars and `run --from`: a recorded session reruns bit for bit.
@Suite struct SessionReplayTests {
    @Test func sha256AgreesWithSha256sum() throws {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let dir = Binary.temporaryDirectory()
        var rng = Xoshiro256(seed: 3)
        // Lengths either side of the padding's block boundaries.
        for n in [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 4097] {
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let path = dir + "/f\(n)"
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            p.arguments = [path]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(SHA256.hex(ofFile: path) == String(text.prefix(64)), "length \(n)")
        }
    }

    /// A depth-normalised run and an N = inf run rerun from their sidecars give the same bytes
    /// (the 0.2.0 sidecar omitted the time scale and wrote N = inf as 9223372036854775807).
    @Test(arguments: [["--preset", "completion", "-N", "4", "--time-scale", "depth"],
                      ["--preset", "completion", "--flow", "riemannian", "-N", "inf", "--init", "balanced", "--init-scale", "0.5"],
                      ["--preset", "langevin", "--kappa", "0.5", "--beta", "300"],
                      // The integrator and its tolerances are part of the start (euler would differ).
                      ["--preset", "denoise", "--integrator", "dopri5", "--rtol", "1e-5", "--atol", "1e-10"],
                      ["--preset", "denoise", "--integrator", "rk4", "--dt", "0.2"]])
    func aHeadlessRunRerunsFromItsSidecar(flags: [String]) throws {
        let dir = Binary.temporaryDirectory()
        let first = try Binary.run(["run"] + flags + ["--steps", "120", "--every", "10", "--output", dir + "/a.csv"])
        #expect(first.status == 0, "\(first.stderr)")
        let json = try sidecar(dir + "/a.csv.json")
        let start = try #require(json["start"] as? [String: Any])
        #expect(json["steps_done"] as? Int == 120 && (json["edits"] as? [Any])?.isEmpty == true)
        if flags.contains("inf") { #expect(start["N"] as? String == "inf" && start["time_scale"] as? String == "depth") }
        if flags.contains("--time-scale") { #expect(start["time_scale"] as? String == "depth" && start["N"] as? Int == 4) }
        #expect(start["dt"] is NSNumber && start["seed"] as? Int == 1)
        let again = try Binary.run(["run", "--from", dir + "/a.csv.json", "--output", dir + "/b.csv"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == String(contentsOfFile: dir + "/b.csv", encoding: .utf8))
        #expect(try sidecar(dir + "/b.csv.json")["replayed_from"] as? String == dir + "/a.csv.json")
    }

    /// A session with every kind of entry (edits of beta, dt, kappa, N, flow and time scale, a
    /// refused step and a rollback), recorded as the interface records it, reruns to the same rows
    /// at every step both files have; without its edits the same start differs after the first.
    @Test func aRecordedSessionWithRollbacksRerunsBitForBit() throws {
        var p = Preset.named("completion")!.parameters
        p.flow = .langevin; p.beta = 200; p.kappa = 1; p.every = 10; p.size = 6; p.targetRank = 2; p.depth = 3  // the apply(.depth(4)) below is an edit
        let sim = try Simulation(parameters: p)
        var rows: [Int: String] = [0: Rows.csvLine(try sim.observe())]
        func steps(_ n: Int) throws {
            for _ in 0..<n {
                try sim.advance()
                if sim.stepCount % 5 == 0 { rows[sim.stepCount] = Rows.csvLine(try sim.observe()) }
            }
        }
        try steps(33)
        try sim.apply(.beta(50))
        try steps(20)
        let checkpoint = sim.checkpoint()  // step 53
        try sim.apply(.dt(0.2))
        try steps(7)
        try sim.apply(.dt(1e4))
        do { try sim.advance(); Issue.record("dt = 1e4 was not refused") } catch { sim.logRefusedStep(error) }
        #expect(sim.restore(checkpoint))
        rows = rows.filter { $0.key <= 53 }
        try sim.apply(.dt(0.01))
        try steps(40)
        try sim.apply(.kappa(2))
        try sim.apply(.depth(4))
        try steps(30)
        try sim.apply(.flow(.rleUpstairs))
        try steps(20)
        try sim.apply(.timeScale(.depth))
        try steps(17)
        let saved = sim.stepCount
        rows[saved] = Rows.csvLine(try sim.observe())
        #expect(sim.edits.map(\.parameter) == ["beta", "dt", "dt", "refused", "rollback", "dt", "kappa", "N", "flow", "time-scale"])

        let dir = Binary.temporaryDirectory()
        let csv = Rows.csvHeader(size: 6) + rows.keys.sorted().map { rows[$0]! }.joined()
        try csv.write(toFile: dir + "/s.csv", atomically: true, encoding: .utf8)
        let json = Sidecar.json(start: sim.start, parameters: sim.parameters, problem: sim.problem, edits: sim.edits, inputs: [],
                                extra: [("saved_at_step", "\(saved)")])
        try json.write(toFile: dir + "/s.csv.json", atomically: true, encoding: .utf8)
        let r = try Binary.run(["run", "--from", dir + "/s.csv.json", "--every", "5", "--output", dir + "/r.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let replayed = rowsByStep(try String(contentsOfFile: dir + "/r.csv", encoding: .utf8))
        let recorded = rowsByStep(csv)
        let common = Set(replayed.keys).intersection(recorded.keys)
        #expect(common.count == recorded.count && replayed.keys.max() == saved, "\(common.count) of \(recorded.count) steps")
        for step in common.sorted() { #expect(replayed[step] == recorded[step], "step \(step)") }
        // The rows of the abandoned branch (steps 54-60 before the rollback) are not in the replay's file.
        let replayedSteps = try String(contentsOfFile: dir + "/r.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { Int($0.prefix { $0 != "," })! }
        #expect(replayedSteps == replayedSteps.sorted() && Set(replayedSteps).count == replayedSteps.count)
        // The replay's sidecar logs the same entries.
        #expect((try sidecar(dir + "/r.csv.json")["edits"] as? [Any])?.count == sim.edits.count)

        // The same start without the edits: equal up to the first edit (step 33), different after.
        var bare = try sidecar(dir + "/s.csv.json")
        bare["edits"] = []
        try JSONSerialization.data(withJSONObject: bare).write(to: URL(fileURLWithPath: dir + "/bare.json"))
        let b = try Binary.run(["run", "--from", dir + "/bare.json", "--every", "5", "--output", dir + "/b.csv"])
        #expect(b.status == 0, "\(b.stderr)")
        let unedited = rowsByStep(try String(contentsOfFile: dir + "/b.csv", encoding: .utf8))
        for step in recorded.keys.sorted() where step <= 33 { #expect(unedited[step] == recorded[step], "step \(step)") }
        for step in recorded.keys.sorted() where step > 33 { #expect(unedited[step] != recorded[step], "step \(step)") }

        // A flag overrides a start value (not the edits): another seed is another run from step 0.
        let seeded = try Binary.run(["run", "--from", dir + "/s.csv.json", "--seed", "2", "--steps", "20"])
        #expect(seeded.status == 0 && rowsByStep(seeded.stdout)[10] != recorded[10])
    }

    @Test func aLogOrFileThatDoesNotFitIsStatusTwo() throws {
        let dir = Binary.temporaryDirectory()
        let made = try Binary.run(["run", "--preset", "completion", "--steps", "0", "--save-problem", dir])
        #expect(made.status == 0)
        let run = try Binary.run(["run", "--target", dir + "/target.csv", "--mask", dir + "/mask.csv", "--steps", "30",
                                  "--output", dir + "/a.csv"])
        #expect(run.status == 0, "\(run.stderr)")
        var json = try sidecar(dir + "/a.csv.json")
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["role"] as? String } == ["target", "mask"])
        #expect(inputs[0]["sha256"] as? String == SHA256.hex(ofFile: dir + "/target.csv"))
        #expect(try Binary.run(["run", "--from", dir + "/a.csv.json", "--output", dir + "/b.csv"]).status == 0)

        func replay(edits: [[String: Any]]) throws -> Invocation {
            json["edits"] = edits
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: dir + "/e.json"))
            return try Binary.run(["run", "--from", dir + "/e.json"])
        }
        let unknown = try replay(edits: [["step": 5, "parameter": "gamma", "value": 1]])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown parameter 'gamma'"), "\(unknown.stderr)")
        let disorder = try replay(edits: [["step": 10, "parameter": "beta", "value": 100], ["step": 5, "parameter": "dt", "value": 0.01]])
        #expect(disorder.status == 2 && disorder.stderr.contains("out of order"), "\(disorder.stderr)")
        let badValue = try replay(edits: [["step": 5, "parameter": "flow", "value": "sideways"]])
        #expect(badValue.status == 2 && badValue.stderr.contains("not a value for flow"), "\(badValue.stderr)")
        let outOfRange = try replay(edits: [["step": 5, "parameter": "beta", "value": -1]])
        #expect(outOfRange.status == 2 && outOfRange.stderr.contains("--beta"), "\(outOfRange.stderr)")
        // A forced entry the replay does not make: the log does not fit the run.
        let forced = try replay(edits: [["step": 5, "parameter": "N", "value": 2, "cause": "flow"]])
        #expect(forced.status == 2, "\(forced.stderr)")

        // A data file whose bytes changed since.
        let target = try String(contentsOfFile: dir + "/target.csv", encoding: .utf8)
        // A blank line more: the same matrix, other bytes.
        try (target + "\n").write(toFile: dir + "/target.csv", atomically: true, encoding: .utf8)
        let changed = try Binary.run(["run", "--from", dir + "/a.csv.json"])
        #expect(changed.status == 2 && changed.stderr.contains("--target") && changed.stderr.contains("changed since"), "\(changed.stderr)")

        #expect(try Binary.run(["run", "--from", dir + "/a.csv.json", "--preset", "completion"]).status == 64)
        #expect(try Binary.run(["run", "--from", dir + "/no-such.json"]).status == 2)
        try "not json".write(toFile: dir + "/x.json", atomically: true, encoding: .utf8)
        #expect(try Binary.run(["run", "--from", dir + "/x.json"]).status == 2)
    }
}
