import Foundation
import Testing
@testable import DLNEngine

/// A Runge-Kutta step evaluates the downstairs flow at stage points within one step of each other,
/// each in a `SpectralFrame` of its own: every frame tracks from the frame updated last (not from its
/// own, a step old, nor cold), and the result is still the SVD of the stage's W.
@Suite("Stage frames")
struct StageFrameTests {
    @Test("a later stage's frame tracks from the last updated frame: no LAPACK call, the SVD to 1e-12",
          arguments: [FlowKind.riemannian, .langevin])
    func stageFrameTracksFromLastFrame(flow kind: FlowKind) throws {
        var p = TrackingSVDTests.parameters(kind, size: 12, initialization: .balanced)
        p.dt = 0.01
        let sim = try Simulation(parameters: p)
        let flow = try #require(sim.flow as? DownstairsFlow)
        for _ in 0..<5 { try sim.advance() }
        #expect(flow.frame.trackedCount >= 4)
        // A stage point: the state moved on by a few more steps.
        var stage = sim.state
        for _ in 0..<3 { try sim.advance() }
        swap(&stage, &sim.state)
        var later = flow.makeEvaluation(like: stage)
        let frame = try #require(later.frame as? SpectralFrame)
        #expect(frame !== flow.frame)
        try flow.evaluate(at: stage, into: &later)
        #expect(frame.lapackCount == 0 && frame.trackedCount == 1, "lapack \(frame.lapackCount), tracked \(frame.trackedCount)")
        let e = try TrackingSVDTests.errors(frame, of: stage.parts[0])
        #expect(e.worst <= 1e-12, "\(e)")
        // And back: the step's own frame now starts from the stage's, and stays exact.
        swap(&stage, &sim.state)
        let lapackBefore = flow.frame.lapackCount
        let w = sim.state.parts[0]
        try sim.advance()
        #expect(flow.frame.lapackCount == lapackBefore)
        let back = try TrackingSVDTests.errors(flow.frame, of: w)
        #expect(back.worst <= 1e-12, "\(back)")
    }
}
