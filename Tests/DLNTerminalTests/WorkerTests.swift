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
        #expect(edited.snapshot.parameters.depth == p.depth + 1)
        // Live edits keep the trajectory: no restart, and each is logged with its step.
        #expect(edited.snapshot.observation.step >= running.snapshot.observation.step)
        #expect(edited.edits.map(\.parameter) == ["beta", "kappa", "N", "dt"])
        #expect(edited.whole.first?.step == 0)
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
        // Lowering dt shows at once while paused; a restart with it runs.
        worker.send(Array(repeating: .dtDown, count: 16))
        let lowered = try #require(frame(from: worker) { $0.snapshot.parameters.dt == 1000 / 65536 })
        #expect(lowered.paused)
        worker.send([.restart(newSeed: false)])
        let again = try #require(frame(from: worker) { !$0.paused && $0.snapshot.observation.step > 50 })
        #expect(!again.rejected && again.snapshot.parameters.dt == 1000 / 65536)
    }

    /// A step that would multiply the state's norm a thousandfold is refused before the state goes
    /// bad, so lowering dt and resuming continues the same trajectory (no restart).
    @Test func aRefusedBlowUpResumesAfterLoweringDt() throws {
        var p = Preset.named("denoise")!.parameters
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
        let frame = try offlineFrame(steps: 300) { sim in sim.setBeta(100) }
        let dir = temporaryFolder()
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let paths = try SnapshotWriter.save(frame, screen: "screen text", folder: dir, date: date)
        #expect(paths.count == 3)
        let csv = try String(contentsOfFile: paths[0], encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines[0].hasPrefix("step,time,energy,entropy,free_energy") && lines[0].hasSuffix("sigma_12"))
        #expect(lines.count == frame.series(recent: false).count + 1)
        #expect(lines[1].hasPrefix("0,0,") && lines.last!.hasPrefix("300,"))
        let json = try String(contentsOfFile: paths[1], encoding: .utf8)
        #expect(json.contains("\"parameter\": \"beta\"") && json.contains("every \(frame.wholeStride) steps"))
        #expect(try String(contentsOfFile: paths[2], encoding: .utf8) == "screen text\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 3)
        // Nowhere to write: an error, not a crash or a half-written file.
        #expect(throws: (any Error).self) { try SnapshotWriter.save(frame, screen: "", folder: dir + "/no/such/folder") }
    }
}
