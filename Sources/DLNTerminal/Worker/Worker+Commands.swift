import DLNEngine
import DLNOutput
import Foundation

/// The worker's commands: keys turned into edits of the running trajectory and restarts
/// (the comparison's own in Worker+Comparison.swift). Run on the worker thread only, between steps.
extension Worker {
    func apply(_ command: Command) {
        dirty = true
        let p = simulation.parameters
        switch command {
        case .togglePause:
            paused.toggle()
            if !paused {
                rejected = false
                anchor(at: Monotonic.now())
            }
            say(paused ? "paused at step \(simulation.stepCount); space resumes, . steps" : "running")
        case .stepOnce:
            guard paused else { say("'.' steps while paused (space pauses)"); return }
            if step() {
                rejected = false  // the refused step has now gone through
                say("one step: step \(simulation.stepCount)")
            }
        case .slower, .faster:
            speed = command == .faster ? Ladders.faster(speed) : Ladders.slower(speed)
            anchor(at: Monotonic.now())
            updateRecentStride()
            say("speed: \(Worker.speedText(speed, inTime: pacer.inTime))")
        case .nextPreset:
            let all = Preset.all
            let index = all.firstIndex { $0.name == p.preset } ?? -1
            let preset = all[(index + 1) % all.count]
            var q = preset.parameters
            q.seed = p.seed
            // A comparison preset's configurations are checked by its tests: they always apply.
            let configurations = (try? Comparison.configurations(preset.compare, base: q)) ?? [q]
            restart(configurations, speed: q.speed, presetSpeed: true, what: "preset \(preset.name): \(preset.shows)")
        case .restart(let newSeed):
            // Every run restarts with its parameters now, all with one seed.
            let seed = newSeed ? p.seed &+ 1 : p.seed
            let all = runs.map { run -> Parameters in
                var q = run.simulation.parameters
                q.seed = seed
                return q
            }
            restart(all, speed: speed, what: newSeed ? "restarted with seed \(seed)" : "restarted (seed \(seed))")
        case .toggleVersus:
            toggleVersus()
        case .addRun:
            addCurrentConfiguration()
        case .halveBeta, .doubleBeta, .halveKappa, .doubleKappa, .depthDown, .depthUp, .dtDown, .dtUp, .nextFlow, .nextIntegrator, .toggleTimeScale:
            guard let edit = command.edit(from: p) else {
                if runs.count > 1 { applyToOthers(command) }
                say(command.limitText(p))
                return
            }
            apply(edit, by: command)
        }
    }

    /// Applies a live edit to the running trajectory (and to the versus companion, so both runs
    /// keep one set of parameters); the message says what the edit did.
    private func apply(_ edit: Edit, by command: Command) {
        let p = simulation.parameters
        // The state before an edit is the one to come back to if the edit makes the run blow up.
        takeCheckpoint()
        defer {
            // A new N or flow changes the state's shape: older checkpoints no longer fit.
            if simulation.parameters.depth != p.depth || simulation.parameters.flow != p.flow {
                checkpoints = Checkpoints(for: simulation)  // the memory cap depends on the state's size
                takeCheckpoint()
            }
        }
        do {
            let applied = try simulation.apply(edit)
            say(applied.changed ? EditMessage.text(applied, by: command) : command.limitText(p))
            // The other runs take the key too, each from its own value (N up: every run's N + 1),
            // so what differs stays what differs; a flow change where the flows differ (versus)
            // ends the comparison.
            if case .flow = edit, Comparison.differing(runParameters(before: p)).contains("flow") {
                dropCompanion()
            } else {
                applyToOthers(command)
            }
        } catch {
            say("\(command): \(error)", warning: true)
        }
    }

    /// Starts the runs afresh from the seed's problem and start (every run of a comparison: the
    /// same seed, so the same problem, and for flows of one N the same end-to-end W).
    /// `presetSpeed`: the speed is the preset's, in the preset's unit; otherwise it is the run's
    /// speed, converted when the new first run paces the other unit.
    func restart(_ all: [Parameters], speed newSpeed: Double?, presetSpeed: Bool = false, what: String) {
        do {
            var fresh: [Run] = []
            for q in all { fresh.append(Run(try Simulation(parameters: q))) }
            runs = fresh
            checkpoints = Checkpoints(for: simulation)
            let q = all[0]
            let wasInTime = pacer.inTime
            pacer.inTime = q.pacesTime
            speed = presetSpeed || wasInTime == q.pacesTime ? newSpeed : Parameters.convertSpeed(newSpeed, toTime: q.pacesTime, step: q.dt)
            paused = false
            rejected = false
            let now = Monotonic.now()
            anchor(at: now)
            pacer.resetRate(at: now)
            updateRecentStride()
            recordIfWanted()
            takeCheckpoint()
            say(what)
        } catch {
            say("cannot restart: \(error)", warning: true)
        }
    }

    public static func speedText(_ s: Double?, inTime: Bool = false) -> String {
        guard let s else { return "unlimited" }
        return NumberText.compact(s) + (inTime ? " t/s (simulated time per second)" : " steps/s")
    }
}
