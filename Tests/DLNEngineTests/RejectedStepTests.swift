import Foundation
import Testing
@testable import DLNEngine

/// Issue 4: LAPACK non-convergence is a rejected step (state, step and time as before), and a
/// restored checkpoint puts a run back where it was.
@Suite("Rejected steps and checkpoints")
struct RejectedStepTests {
    /// The denoise preset runs the riemannian flow: a downstairs flow, whose step needs an SVD.
    private func downstairs(steps: Int) throws -> (Simulation, SVD) {
        var p = Preset.named("denoise")!.parameters
        p.useFixedStep()  // steps of dt: the test counts them in time
        let sim = try Simulation(parameters: p)
        for _ in 0..<steps { try sim.advance() }
        let svd = try #require((sim.flow as? DownstairsFlow)?.frame.svd)
        return (sim, svd)
    }

    @Test("a step whose SVD does not converge throws and leaves state, step and time unchanged")
    func svdNonConvergenceRejectsTheStep() throws {
        let (sim, svd) = try downstairs(steps: 25)
        let state = sim.state, time = sim.time
        svd.simulatedNonConvergence = 2
        for _ in 0..<2 {
            #expect(throws: StepError.linearAlgebra(.svdDidNotConverge(info: 1))) { try sim.advance() }
            #expect(sim.state == state && sim.stepCount == 25 && sim.time == time)
        }
        // The hook exhausted, the same step goes through, and matches an undisturbed run's.
        #expect(svd.simulatedNonConvergence == 0)
        try sim.advance()
        let (reference, _) = try downstairs(steps: 26)
        #expect(sim.stepCount == 26 && sim.state == reference.state)
        #expect(StepError.linearAlgebra(.svdDidNotConverge(info: 1)).description.contains("SVD did not converge"))
    }

    @Test("restore puts back state, step and time, logs the rollback where it happened, and refuses a changed flow")
    func restoreRewindsTheTrajectory() throws {
        var p = Preset.named("completion")!.parameters
        p.dt = 0.05
        p.useFixedStep()  // steps of dt: the test counts them in time
        let sim = try Simulation(parameters: p)
        for _ in 0..<40 { try sim.advance() }
        let c = sim.checkpoint()
        let state40 = sim.state
        for _ in 0..<10 { try sim.advance() }
        try sim.apply(.dt(0.1))
        for _ in 0..<10 { try sim.advance() }
        #expect(abs(sim.time - (50 * 0.05 + 10 * 0.1)) < 1e-12)
        #expect(sim.restore(c))
        #expect(sim.stepCount == 40 && sim.state == state40)
        // Time is that of step 40, and goes on at the dt now in force.
        #expect(abs(sim.time - 40 * 0.05) < 1e-12)
        try sim.advance()
        #expect(abs(sim.time - (40 * 0.05 + 0.1)) < 1e-12)
        #expect(sim.edits.map(\.parameter) == ["dt", "rollback"])
        // The log is in the order things happened: dt at step 50, then at step 60 back to 40.
        #expect(sim.edits.map(\.step) == [50, 60])
        #expect(sim.edits[0].value == .number(0.1) && sim.edits[1].value == .integer(40))
        // The same trajectory as a run that had dt = 0.1 from step 40 (no noise: bit-identical).
        let twin = try Simulation(parameters: p)
        for _ in 0..<40 { try twin.advance() }
        try twin.apply(.dt(0.1))
        try twin.advance()
        #expect(twin.state == sim.state)
        // Another flow's state does not fit.
        try sim.apply(.flow(.riemannian))
        #expect(!sim.restore(c))
        #expect(sim.stepCount == 41)
    }
}
