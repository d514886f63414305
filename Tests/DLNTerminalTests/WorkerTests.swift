import DLNEngine
import Foundation
import Testing
@testable import DLNTerminal

/// Waits (at most `seconds`) for a frame that satisfies `condition`.
func frame(from worker: Worker, within seconds: Double = 10, where condition: (WorkerFrame) -> Bool) -> WorkerFrame? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let f = worker.output.read(), condition(f) { return f }
        usleep(5_000)
    }
    return nil
}

@Suite(.serialized) struct WorkerTests {
    @Test func editsReachTheRunningTrajectory() throws {
        var p = Preset.named("completion")!.parameters
        p.speed = nil
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        let running = try #require(frame(from: worker) { $0.snapshot.observation.step > 50 })
        worker.send([.halveBeta, .doubleKappa, .depthUp, .dtUp])
        let edited = try #require(frame(from: worker) { $0.snapshot.parameters.dt == p.dt * 2 })
        #expect(edited.snapshot.parameters.beta == 1e6)
        #expect(edited.snapshot.parameters.kappa == 1e-3)
        #expect(edited.snapshot.parameters.depth == .finite(p.depth.factors! + 1))
        // Live edits keep the trajectory: no restart, and each is logged with its step.
        #expect(edited.snapshot.observation.step >= running.snapshot.observation.step)
        #expect(edited.edits.map(\.parameter) == ["beta", "kappa", "N", "dt"])
        #expect(edited.whole.first?.step == 0)
        // And they reach what is integrated, not only what is shown (read after the thread stopped).
        worker.stop()
        let knobs = worker.simulation.flow.knobs
        #expect(knobs.beta == 1e6 && knobs.kappa == 1e-3 && knobs.depth == .finite(p.depth.factors! + 1))
        #expect(knobs == worker.simulation.parameters.knobs)
    }

    @Test func pauseStopsTheStepsAndDotStepsOnce() throws {
        var p = Preset.named("two-by-two")!.parameters
        p.speed = 200
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        worker.send([.togglePause])
        let paused = try #require(frame(from: worker) { $0.paused })
        usleep(200_000)
        let still = try #require(worker.output.read())
        #expect(still.snapshot.observation.step == paused.snapshot.observation.step)
        worker.send([.stepOnce])
        let stepped = try #require(frame(from: worker) { $0.snapshot.observation.step == paused.snapshot.observation.step + 1 })
        #expect(stepped.paused)
        worker.send([.togglePause])
        #expect(frame(from: worker) { !$0.paused && $0.snapshot.observation.step > stepped.snapshot.observation.step + 5 } != nil)
    }

    @Test func aNonFiniteStepPausesAndNamesDt() throws {
        var p = Preset.named("completion")!.parameters
        p.useFixedStep()  // the Euler step that blows up (dopri5 would shrink its steps)
        p.dt = 1000
        p.speed = nil
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        let rejected = try #require(frame(from: worker) { $0.rejected })
        #expect(rejected.paused)
        let notice = try #require(rejected.notice)
        #expect(notice.warning && notice.text.contains("dt = 1000"))
        // What is shown is the last state that had finite observables.
        #expect(rejected.snapshot.observation.energy.isFinite)
        #expect(rejected.snapshot.observation.sigma.allSatisfy { $0.isFinite })
        // The blow-up was rolled back, so lowering dt (shown at once while paused) and resuming
        // runs on: no restart, the rollback logged among the edits.
        #expect(notice.text.contains("rolled back to step"), "\(notice.text)")
        worker.send(Array(repeating: .dtDown, count: 16))
        let lowered = try #require(frame(from: worker) { $0.snapshot.parameters.dt == 1000 / 65536 })
        #expect(lowered.paused)
        worker.send([.togglePause])
        let again = try #require(frame(from: worker) { !$0.paused && $0.snapshot.observation.step > rejected.snapshot.observation.step + 50 })
        #expect(!again.rejected && again.snapshot.parameters.dt == 1000 / 65536)
        #expect(again.edits.contains { $0.parameter == "rollback" } && again.whole.first?.step == 0)
    }

    /// A step that would multiply the state's norm a thousandfold is refused before the state goes
    /// bad, so lowering dt and resuming continues the same trajectory (no restart).
    @Test func aRefusedBlowUpResumesAfterLoweringDt() throws {
        var p = Preset.named("denoise")!.parameters
        p.useFixedStep()  // the Euler step that blows up (dopri5 would shrink its steps)
        p.initialization = .balanced
        p.initScale = 1
        p.dt = 1000
        p.speed = nil
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        let rejected = try #require(frame(from: worker) { $0.rejected })
        #expect(rejected.snapshot.observation.step == 0 && rejected.paused)
        worker.send(Array(repeating: .dtDown, count: 16))
        _ = try #require(frame(from: worker) { $0.snapshot.parameters.dt == 1000 / 65536 })
        worker.send([.togglePause])
        let again = try #require(frame(from: worker) { !$0.paused && $0.snapshot.observation.step > 50 })
        #expect(!again.rejected && again.snapshot.observation.energy.isFinite)
        #expect(again.snapshot.observation.energy < rejected.snapshot.observation.energy)
    }

    /// LAPACK non-convergence (forced with the SVD's fault hook) pauses the run with a message and
    /// leaves the state as it was: `.` retries the step, space resumes, no restart.
    @Test func svdNonConvergencePausesAndTheSameRunResumes() throws {
        var p = Preset.named("denoise")!.parameters
        p.speed = nil
        // W itself stepped, so an SVD is taken (the balanced lift takes none).
        p.lift = .ambient
        let sim = try Simulation(parameters: p)
        let svd = try #require((sim.flow as? DownstairsFlow)?.frame.svd)
        svd.simulatedNonConvergence = 2
        let worker = Worker(simulation: sim, fps: 60)
        worker.start()
        defer { worker.stop() }
        let rejected = try #require(frame(from: worker) { $0.rejected })
        #expect(rejected.paused && rejected.snapshot.observation.step == 0)
        let notice = try #require(rejected.notice)
        #expect(notice.warning && notice.text.contains("step 1") && notice.text.contains("SVD did not converge"), "\(notice.text)")
        // The second forced failure: still paused, a new message, still step 0.
        worker.send([.stepOnce])
        let again = try #require(frame(from: worker) { ($0.notice?.serial ?? 0) > notice.serial })
        #expect(again.paused && again.rejected && again.snapshot.observation.step == 0)
        #expect(again.notice?.text.contains("SVD did not converge") == true)
        // The hook exhausted: the same step now goes through, then the run resumes.
        worker.send([.stepOnce])
        let stepped = try #require(frame(from: worker) { $0.snapshot.observation.step == 1 })
        #expect(stepped.paused)
        worker.send([.togglePause])
        let running = try #require(frame(from: worker) { !$0.paused && $0.snapshot.observation.step > 100 })
        #expect(!running.rejected && running.snapshot.observation.energy < rejected.snapshot.observation.energy)
    }

    /// Versus mode steps rle-upstairs and langevin in lockstep. When the companion's step is
    /// refused (its SVD fails), the main run's step is undone too: both stay at the same step, and
    /// the retry after the failure moves both on together.
    @Test func aRefusedCompanionStepKeepsTheTwoRunsInLockstep() throws {
        var p = Preset.named("completion")!.parameters
        p.size = 4
        p.depth = 2
        p.speed = nil
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        worker.send([.toggleVersus])
        _ = try #require(frame(from: worker) { $0.companion != nil && $0.snapshot.observation.step > 20 })
        worker.send([.togglePause])
        let paused = try #require(frame(from: worker) { $0.paused })
        // Paused, the worker thread does not step: the hook can be set from here.
        let companion = try #require(worker.companion)
        let svd = try #require((companion.flow as? DownstairsFlow)?.frame.svd)
        let mainStep = worker.simulation.stepCount
        #expect(companion.stepCount == mainStep)
        #expect(companion.time == worker.simulation.time, "lockstep in steps is lockstep in time")
        svd.simulatedNonConvergence = 1
        worker.send([.stepOnce])
        let refused = try #require(frame(from: worker) { ($0.notice?.serial ?? 0) > (paused.notice?.serial ?? 0) && $0.rejected })
        #expect(refused.notice?.text.contains("SVD did not converge") == true)
        #expect(refused.snapshot.observation.step == mainStep, "the main run's step was undone")
        #expect(worker.simulation.stepCount == companion.stepCount)
        worker.send([.stepOnce])
        let stepped = try #require(frame(from: worker) { $0.snapshot.observation.step == mainStep + 1 })
        #expect(!stepped.rejected)
        #expect(worker.simulation.stepCount == companion.stepCount)
    }

    /// Raising dt from 1000/2^14 to 1000 makes the completion run grow a few hundredfold a step,
    /// and from 1.9/16 to 1.9 by a growing factor over some 17 steps: no single step trips the
    /// integrator's thousandfold test until the state is garbage (||W|| 500 and 5e5 against 1.7).
    /// The worker rolls back to the checkpoint from before the blow-up, so lowering dt and resuming
    /// continues from a sane state; the charts' histories are cut back to the rolled-back step.
    @Test(arguments: [(1000.0, 14), (1.9, 4)])
    func aGradualBlowUpRollsBackToASaneCheckpoint(raisedDt: Double, doublings: Int) throws {
        var p = Preset.named("completion")!.parameters
        p.useFixedStep()  // the Euler step that blows up (dopri5 would shrink its steps)
        p.dt = raisedDt / Double(1 << doublings)
        p.speed = nil
        p.steps = 1_000_000  // no pause at the preset's horizon
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        _ = try #require(frame(from: worker, within: 30) { $0.snapshot.observation.step > 6000 })
        worker.send([.togglePause])
        let before = try #require(frame(from: worker) { $0.paused })
        let raisedAt = before.snapshot.observation.step
        let normBefore = before.snapshot.endToEnd.frobeniusNorm
        worker.send(Array(repeating: .dtUp, count: doublings) + [.togglePause])
        let rejected = try #require(frame(from: worker, within: 30) { $0.rejected })
        let notice = try #require(rejected.notice?.text)
        #expect(rejected.paused)
        #expect(notice.contains("dt = \(NumberText.compact(raisedDt, digits: 4))") && notice.contains("rolled back to step")
                && notice.contains("lower dt"), "\(notice)")
        let back = rejected.snapshot.observation.step
        // The rollback lands at or after the raise (the checkpoint taken just before the edit), on
        // a state no larger than a sane one.
        #expect(back >= raisedAt && notice.contains("rolled back to step \(back) "), "\(notice)")
        let normBack = rejected.snapshot.endToEnd.frobeniusNorm
        #expect(normBack.isFinite && normBack <= 10 * normBefore, "||W|| \(normBack) after the rollback, \(normBefore) before the raise")
        // The histories end at the rolled-back step: nothing of the blow-up is charted.
        #expect(rejected.whole.last.map { $0.step <= back } ?? false)
        #expect(rejected.recent.allSatisfy { $0.step <= back } && rejected.trace.allSatisfy { $0.step <= back })
        print("blow-up: raised at step \(raisedAt) (||W|| \(normBefore)); \(notice)")

        worker.send(Array(repeating: .dtDown, count: doublings))
        _ = try #require(frame(from: worker) { $0.snapshot.parameters.dt == p.dt })
        worker.send([.togglePause])
        var last = try #require(frame(from: worker) { !$0.paused })
        var largest = 0.0
        var refusals = 0
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let f = worker.output.read() ?? last
            if f.rejected { refusals += 1 }
            let norm = f.snapshot.endToEnd.frobeniusNorm
            largest = max(largest, norm.isFinite ? norm : .infinity)
            last = f
            if f.snapshot.observation.step > back + 600 { break }
            usleep(2_000)
        }
        #expect(refusals == 0)
        let resumed = last
        #expect(resumed.snapshot.observation.step > back + 600)
        #expect(largest <= 10 * normBefore, "||W|| reached \(largest) after resuming; \(normBefore) before the raise")
        // The charts' histories run on from the rolled-back step, in increasing steps, all finite.
        for steps in [resumed.whole.map(\.step), resumed.recent.map(\.step), resumed.trace.map(\.step)] {
            #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 < $1 })
        }
        #expect(resumed.whole.allSatisfy { $0.energy.isFinite && $0.sigma.allSatisfy(\.isFinite) })
        #expect(resumed.whole.contains { $0.step > back } && resumed.whole.first?.step == 0)
        // The rollback is logged where it happened, with the step it went back to.
        #expect(resumed.edits.contains { $0.parameter == "rollback" && $0.value == .integer(back) && $0.step > back })
        print("resumed to step \(resumed.snapshot.observation.step): largest ||W|| \(largest)")
    }

    @Test func presetAndRestartKeys() throws {
        var p = Preset.named("completion")!.parameters
        p.speed = nil
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        _ = frame(from: worker) { $0.snapshot.observation.step > 100 }
        worker.send([.restart(newSeed: true)])
        let reseeded = try #require(frame(from: worker) { $0.snapshot.parameters.seed == p.seed + 1 })
        #expect(reseeded.edits.isEmpty && reseeded.whole.first?.step == 0)
        worker.send([.nextPreset])
        let next = try #require(frame(from: worker) { $0.snapshot.parameters.preset == "two-by-two" })
        #expect(next.snapshot.parameters.seed == p.seed + 1)
        #expect(next.speed == Preset.named("two-by-two")!.parameters.speed)
        worker.send([.faster])
        let faster = try #require(frame(from: worker) { $0.speed != next.speed })
        #expect(faster.speed == Ladders.faster(next.speed))
    }
}

@Suite struct SnapshotTests {
    @Test func csvHasTheRunFormatAndTheSidecarTheEdits() throws {
        // d = 12, N = 3 from a start the entropy's gradient does not blow up at beta = 100.
        let frame = try offlineFrame(steps: 300, edit: { sim in try sim.apply(.beta(100)) },
                                     change: { $0.size = 12; $0.depth = 3; $0.dt = 0.1; $0.initScale = 1e-3 })
        let dir = temporaryFolder()
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let paths = try SnapshotWriter.save(frame, screen: "screen text", folder: dir, date: date)
        // CSV, sidecar, screen text and the charts as SVG.
        #expect(paths.count == 4 && paths[3].hasSuffix(".svg"))
        let csv = try String(contentsOfFile: paths[0], encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines[0].hasPrefix("step,time,energy,entropy,free_energy") && lines[0].hasSuffix("sigma_12,error,error_unobserved"))
        #expect(lines.count == frame.series(recent: false).count + 1)
        #expect(lines[1].hasPrefix("0,0,") && lines.last!.hasPrefix("300,"))
        let json = try String(contentsOfFile: paths[1], encoding: .utf8)
        #expect(json.contains("\"parameter\": \"beta\"") && json.contains("every \(frame.wholeStride) steps"))
        #expect(try String(contentsOfFile: paths[2], encoding: .utf8) == "screen text\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 4)
        // Nowhere to write: an error, not a crash or a half-written file.
        #expect(throws: (any Error).self) { try SnapshotWriter.save(frame, screen: "", folder: dir + "/no/such/folder") }
    }
}
