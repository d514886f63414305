import Foundation
import Testing
@testable import DLNEngine

/// Live edits as values: each reaches the trajectory (not just the displayed parameters), nothing
/// half-applies, and a flow change says and logs what it could not keep.
@Suite("Edits")
struct EditTests {
    private func parameters(_ flow: FlowKind) -> Parameters {
        var p = Parameters()
        p.energy = .completion; p.size = 6; p.depth = 3; p.targetRank = 2; p.observed = 0.6
        p.flow = flow; p.seed = 9; p.dt = 0.02
        p.initialization = .balanced; p.initScale = 0.5
        return p
    }

    /// (start flow, beta, kappa, the edit): every live parameter, each where it acts.
    static let cases: [(String, FlowKind, Double, Double, Edit)] = [
        ("beta", .upstairs, 200, 0, .beta(20)),
        ("beta, from inf", .freeEnergy, .infinity, 0, .beta(1e3)),
        ("beta, langevin", .langevin, 50, 1, .beta(5)),
        ("kappa", .langevin, 50, 1, .kappa(4)),
        ("kappa, rle-upstairs", .rleUpstairs, 50, 1, .kappa(4)),
        ("N upstairs", .upstairs, .infinity, 0, .depth(5)),
        ("N downstairs", .riemannian, .infinity, 0, .depth(5)),
        ("N = inf", .freeEnergy, 50, 0, .depth(Depth.infinite)),
        ("dt", .upstairs, .infinity, 0, .dt(0.04)),
        ("flow", .upstairs, .infinity, 0, .flow(.riemannian)),
        ("flow, noisy", .langevin, 50, 1, .flow(.rleUpstairs)),
        ("time scale", .upstairs, .infinity, 0, .timeScale(.depth)),
        ("time scale, noisy", .langevin, 50, 1, .timeScale(.depth)),
    ]

    @Test("an edited run equals its unedited twin up to the edit step and differs after it",
          arguments: cases.indices)
    func editedRunDivergesFromItsTwinAfterTheEdit(index: Int) throws {
        let (name, flow, beta, kappa, edit) = Self.cases[index]
        var p = parameters(flow)
        p.beta = beta; p.kappa = kappa
        let edited = try Simulation(parameters: p), twin = try Simulation(parameters: p)
        let k = 25
        for _ in 0..<k {
            try edited.advance(); try twin.advance()
            #expect(try edited.observe() == twin.observe(), "\(name): differs before the edit")
        }
        #expect(edited.endToEnd == twin.endToEnd)
        let applied = try edited.apply(edit)
        #expect(applied.changed && edited.edits.first?.step == k, "\(name)")
        // What the flow integrates is what the parameters say (the knobs are derived, never set apart).
        #expect(edited.flow.knobs == edited.parameters.knobs, "\(name)")
        #expect(edited.flow.kind == edited.parameters.flow, "\(name)")
        // W itself is kept by every edit here (a refactorisation moves it by rounding only).
        #expect((edited.endToEnd - twin.endToEnd).frobeniusNorm <= 1e-12 * twin.endToEnd.frobeniusNorm, "\(name)")
        try edited.advance(); try twin.advance()
        let gap = (edited.endToEnd - twin.endToEnd).frobeniusNorm
        // A rounding-level difference is not the edit acting: demand a difference well above it.
        #expect(gap > 1e-9 * twin.endToEnd.frobeniusNorm, "\(name): the edit did not reach the flow (gap \(gap))")
    }

    @Test("an edit that cannot apply changes nothing: parameters, knobs, state and log as before")
    func aRefusedEditChangesNothing() throws {
        var p = parameters(.upstairs)
        let sim = try Simulation(parameters: p)
        for _ in 0..<5 { try sim.advance() }
        let before = (sim.parameters, sim.flow.knobs, sim.state, sim.edits)
        #expect(throws: EditError.self) { try sim.apply(.beta(-1)) }
        #expect(throws: EditError.self) { try sim.apply(.dt(0)) }
        #expect(throws: EditError.self) { try sim.apply(.depth(.finite(Parameters.maxDepth + 1))) }
        #expect(sim.parameters == before.0 && sim.flow.knobs == before.1 && sim.state == before.2 && sim.edits == before.3)
        // Bures-Wasserstein is the N = 2 flow: another N is refused, not half-applied.
        p.flow = .buresWasserstein; p.depth = 2
        let bw = try Simulation(parameters: p)
        #expect(throws: EditError.self) { try bw.apply(.depth(3)) }
        #expect(bw.parameters.depth == 2 && bw.flow.knobs.depth == 2 && bw.edits.isEmpty)
        // An edit to the value in force logs nothing.
        #expect(try !sim.apply(.dt(sim.parameters.dt)).changed && sim.edits.isEmpty)
    }

    @Test("f into bures-wasserstein logs N 3 -> 2 and the change of W; the next flow change restores both")
    func flowChangeSaysAndLogsWhatItCouldNotKeep() throws {
        let sim = try Simulation(parameters: parameters(.langevin))
        for _ in 0..<10 { try sim.advance() }
        let w = sim.endToEnd
        let into = try sim.apply(.flow(.buresWasserstein))
        #expect(sim.parameters.depth == 2 && sim.flow.knobs.depth == 2)
        #expect(into.logged.map(\.parameter) == ["flow", "N", "W"])
        #expect(into.forced.allSatisfy { $0.cause == "flow" && $0.step == 10 })
        #expect(into.logged[1].value == .integer(2))
        // The W change reported is the one made: the PSD part of the symmetric part, independently formed.
        let newW = sim.endToEnd
        #expect(abs(into.wChange - (newW - w).frobeniusNorm) <= 1e-12 * w.frobeniusNorm && into.wChange > 1e-3)
        let sym = 0.5 * (w + w.transposed)
        #expect((newW - newW.transposed).frobeniusNorm <= 1e-12 && (newW - sym).frobeniusNorm <= (w - sym).frobeniusNorm + into.wChange)
        // No step since: the next flow change puts back the user's N and W.
        // dyson holds only sym(W) of the user's W: said so, not called a restoration, and the
        // memory kept, so the next flow change (no step between) gives back W itself.
        let out = try sim.apply(.flow(.dyson))
        #expect(sim.parameters.depth == 3 && out.logged.map(\.parameter) == ["flow", "N", "W"])
        #expect(out.wNote?.hasPrefix("restored") == false && out.wNote?.contains("not restored exactly") == true, "\(out.wNote ?? "")")
        #expect((sim.endToEnd - 0.5 * (w + w.transposed)).frobeniusNorm <= 1e-12 * w.frobeniusNorm, "dyson starts from sym(W) of the user's W")
        let full = try sim.apply(.flow(.upstairs))
        #expect(full.wNote == "restored to the W before bures-wasserstein", "\(full.wNote ?? "")")
        #expect((sim.endToEnd - w).frobeniusNorm <= 1e-10 * w.frobeniusNorm, "the user's W itself")
        _ = try sim.apply(.flow(.dyson))
        // After steps in bures-wasserstein, N comes back but the trajectory's W stays.
        _ = try sim.apply(.flow(.buresWasserstein))
        for _ in 0..<3 { try sim.advance() }
        let moved = sim.endToEnd
        let back = try sim.apply(.flow(.upstairs))
        #expect(sim.parameters.depth == 3 && back.wNote == nil)
        #expect((sim.endToEnd - moved).frobeniusNorm <= 1e-10 * moved.frobeniusNorm)
    }

    @Test("N = inf into a factor flow logs N = 1000; back downstairs N = inf returns")
    func infiniteDepthIsRestored() throws {
        var p = parameters(.riemannian)
        p.depth = Depth.infinite
        p.size = 3; p.targetRank = 1
        let sim = try Simulation(parameters: p)
        try sim.advance()
        let up = try sim.apply(.flow(.rleUpstairs))
        #expect(sim.parameters.depth == .finite(Parameters.maxDepth))
        #expect(up.logged.contains { $0.parameter == "N" && $0.value == .integer(1000) && $0.cause == "flow" })
        try sim.advance()
        _ = try sim.apply(.flow(.buresWasserstein))
        try sim.advance()
        let down = try sim.apply(.flow(.dyson))
        #expect(sim.parameters.isInfiniteDepth && down.logged.contains { $0.parameter == "N" && $0.value == "inf" })
        #expect(sim.parameters.timeScale == .depth && sim.flow.knobs == sim.parameters.knobs)
    }

    @Test("a refused step is logged, and its replay draws the same noise")
    func refusalIsLoggedAndReenacted() throws {
        var p = parameters(.langevin)
        p.beta = 50; p.kappa = 1
        let live = try Simulation(parameters: p), replay = try Simulation(parameters: p)
        for _ in 0..<5 { try live.advance(); try replay.advance() }
        // A huge dt makes the next step diverge (refused, state kept, noise drawn).
        try live.apply(.dt(1e6)); try replay.apply(.dt(1e6))
        #expect(throws: StepError.self) { try live.advance() }
        live.logRefusedStep(.diverged(quantity: "W"))
        #expect(replay.reenactRefusedStep())
        try live.apply(.dt(0.02)); try replay.apply(.dt(0.02))
        for _ in 0..<5 { try live.advance(); try replay.advance() }
        #expect(live.state == replay.state)
        // Without the reenacted refusal the noise is out of step.
        let skipped = try Simulation(parameters: p)
        for _ in 0..<5 { try skipped.advance() }
        try skipped.apply(.dt(0.02))
        for _ in 0..<5 { try skipped.advance() }
        #expect(skipped.state != live.state)
        #expect(live.edits.map(\.parameter) == ["dt", "refused", "dt"])
    }
}
