import DLNEngine
import DLNOutput
import Foundation
import Testing

/// The integrator and dopri5's tolerances as live edits: logged in the sidecar, replayed by
/// `run --from` to the same bytes, and an edited run leaves its unedited twin only after the edit.
@Suite struct IntegratorEditTests {
    private static func rowsByStep(_ text: String) -> [Int: String] {
        var out: [Int: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            if let step = Int(line.prefix { $0 != "," }) { out[step] = String(line) }
        }
        return out
    }

    /// Runs `script` (steps and edits) on a small completion run, writes rows every 5 steps and the
    /// sidecar as the interface does, reruns it with `run --from` and with its edits removed.
    private func session(start integrator: IntegratorKind, firstEdit: Int,
                         _ script: (Simulation, (Int) throws -> Void) throws -> Void) throws {
        var p = Preset.named("completion")!.parameters
        p.flow = .riemannian; p.size = 6; p.targetRank = 2; p.every = 5; p.integrator = integrator; p.dt = 0.1
        // The flags' tolerances, so that the edits below change them (the preset's are 1e-8, 1e-12).
        p.rtol = 1e-6; p.atol = 1e-9
        let sim = try Simulation(parameters: p)
        var rows: [Int: String] = [0: Rows.csvLine(try sim.observe())]
        try script(sim) { n in
            for _ in 0..<n {
                try sim.advance()
                if sim.stepCount % 5 == 0 { rows[sim.stepCount] = Rows.csvLine(try sim.observe()) }
            }
        }
        let dir = Binary.temporaryDirectory()
        let csv = Rows.csvHeader(size: 6) + rows.keys.sorted().map { rows[$0]! }.joined()
        let json = Sidecar.json(start: sim.start, parameters: sim.parameters, problem: sim.problem, edits: sim.edits, inputs: [],
                                extra: [("saved_at_step", "\(sim.stepCount)")])
        try json.write(toFile: dir + "/s.csv.json", atomically: true, encoding: .utf8)
        let r = try Binary.run(["run", "--from", dir + "/s.csv.json", "--every", "5", "--output", dir + "/r.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let replayed = Self.rowsByStep(try String(contentsOfFile: dir + "/r.csv", encoding: .utf8))
        let recorded = Self.rowsByStep(csv)
        #expect(Set(replayed.keys) == Set(recorded.keys))
        for step in recorded.keys.sorted() { #expect(replayed[step] == recorded[step], "step \(step)") }

        var bare = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/s.csv.json"))) as! [String: Any]
        bare["edits"] = []
        try JSONSerialization.data(withJSONObject: bare).write(to: URL(fileURLWithPath: dir + "/bare.json"))
        let b = try Binary.run(["run", "--from", dir + "/bare.json", "--every", "5", "--output", dir + "/b.csv"])
        #expect(b.status == 0, "\(b.stderr)")
        let unedited = Self.rowsByStep(try String(contentsOfFile: dir + "/b.csv", encoding: .utf8))
        for step in recorded.keys.sorted() where step <= firstEdit { #expect(unedited[step] == recorded[step], "step \(step)") }
        for step in recorded.keys.sorted() where step > firstEdit { #expect(unedited[step] != recorded[step], "step \(step)") }
    }

    @Test func integratorEditsReplayAndDivergeOnlyAfterTheEdit() throws {
        try session(start: .euler, firstEdit: 20) { sim, steps in
            try steps(20)
            try sim.apply(.integrator(.dopri5))
            try steps(20)
            try sim.apply(.rtol(1e-8))
            try sim.apply(.atol(1e-12))
            try steps(15)
            try sim.apply(.integrator(.rk4))
            try steps(10)
            #expect(sim.edits.map(\.parameter) == ["integrator", "rtol", "atol", "integrator"])
            #expect(sim.edits.map(\.step) == [20, 40, 40, 55])
        }
    }

    /// An rtol edit alone changes dopri5's steps from the edit on.
    @Test func anRtolEditReplaysAndDivergesOnlyAfterIt() throws {
        try session(start: .dopri5, firstEdit: 15) { sim, steps in
            try steps(15)
            let dp = try #require(sim.integrator as? DormandPrince5)
            try sim.apply(.rtol(1e-9))
            #expect(dp.tolerances.relative == 1e-9 && sim.integrator === dp)
            try steps(15)
        }
    }

    /// A flow with noise keeps euler: the edit is refused and nothing changes.
    @Test func aNoisyFlowRefusesAnotherIntegrator() throws {
        var p = Preset.named("langevin")!.parameters
        p.size = 4; p.targetRank = 1
        let sim = try Simulation(parameters: p)
        #expect(p.keepsEuler)
        #expect(throws: EditError.self) { try sim.apply(.integrator(.rk4)) }
        #expect(sim.parameters.integrator == .euler && sim.edits.isEmpty)

        // Noise made by another edit keeps the integrator asked for, and Euler-Maruyama steps meanwhile.
        var u = Preset.named("completion")!.parameters
        u.size = 4; u.targetRank = 1; u.integrator = .rk4
        let up = try Simulation(parameters: u)
        try up.apply(.beta(1e6))
        #expect(up.parameters.integrator == .rk4 && up.steppingIntegrator.kind == .euler)
        try up.apply(.beta(.infinity))
        #expect(up.steppingIntegrator.kind == .rk4)
    }
}
