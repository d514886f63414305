import DLNEngine
import Foundation
import Testing
@testable import DLNTerminal

/// The live interface honours the run's horizon: it pauses at the preset's (or --steps') last
/// step with a message, and space continues past it.
@Suite(.serialized) struct HorizonTests {
    @Test func pausesAtTheHorizonAndSpaceContinues() throws {
        var p = Preset.named("two-by-two")!.parameters
        p.speed = nil
        p.steps = 300
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        let stopped = try #require(frame(from: worker, within: 30) { $0.paused })
        #expect(stopped.snapshot.observation.step == 300)
        #expect(stopped.notice?.text.contains("horizon") == true, "\(stopped.notice?.text ?? "")")
        #expect(!stopped.rejected)
        worker.send([.togglePause])
        let on = try #require(frame(from: worker, within: 30) { $0.snapshot.observation.step > 400 })
        #expect(!on.paused)
    }

    /// Under a time horizon (a dopri5 preset's, or --until-time) the run pauses at it: the step that
    /// would pass it is shortened to land there, so the time shown is T exactly (it was the end of
    /// the adaptive step past it: t = 1950.3 for the default preset's 1950).
    @Test func pausesAtTheTimeHorizon() throws {
        var p = Preset.named("bures-wasserstein")!.parameters
        p.speed = nil
        p.untilTime = 3
        #expect(p.integrator == .dopri5)
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        let stopped = try #require(frame(from: worker, within: 30) { $0.paused })
        let o = stopped.snapshot.observation
        #expect(o.time == 3, "paused at t = \(o.time), last step \(stopped.snapshot.stepSize)")
        #expect(stopped.notice?.text.contains("horizon") == true, "\(stopped.notice?.text ?? "")")
        #expect(stopped.speedInTime)
    }
}
