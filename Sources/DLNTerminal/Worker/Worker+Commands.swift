import DLNEngine
import DLNOutput
import Foundation

/// The worker's commands: keys turned into edits of the running trajectory, restarts and the
/// versus companion. Run on the worker thread only, between steps.
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
            say("speed: \(Worker.speedText(speed))")
        case .nextPreset:
            let all = Preset.all
            let index = all.firstIndex { $0.name == p.preset } ?? -1
            let preset = all[(index + 1) % all.count]
            var q = preset.parameters
            q.seed = p.seed
            restart(q, speed: q.speed, versus: false, what: "preset \(preset.name): \(preset.shows)")
        case .restart(let newSeed):
            var q = p
            if newSeed { q.seed = q.seed &+ 1 }
            restart(q, speed: speed, versus: companion != nil, what: newSeed ? "restarted with seed \(q.seed)" : "restarted (seed \(q.seed))")
        case .toggleVersus:
            if companion != nil {
                dropCompanion()
                say("versus off: \(p.flow.rawValue) alone")
            } else if p.isInfiniteDepth {
                say("versus needs a finite N for rle-upstairs: press n", warning: true)
            } else {
                var q = p
                q.flow = .rleUpstairs
                restart(q, speed: speed, versus: true,
                        what: "versus: rle-upstairs (left) and langevin (right) from the same W, seed \(q.seed); their laws should agree (12.12)")
            }
        case .halveBeta, .doubleBeta, .halveKappa, .doubleKappa, .depthDown, .depthUp, .dtDown, .dtUp, .nextFlow, .nextIntegrator, .toggleTimeScale:
            guard let edit = command.edit(from: p) else { say(command.limitText(p)); return }
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
            // The other runs take the same edit, so all keep one set of parameters; a flow
            // change ends the comparison (it is rle-upstairs beside langevin).
            if case .flow = edit {
                dropCompanion()
            } else {
                for run in runs.dropFirst() {
                    do { try run.simulation.apply(edit) } catch {
                        dropCompanion()
                        say("versus off: the \(run.simulation.parameters.flow.rawValue) run refused the edit (\(error))", warning: true)
                        break
                    }
                }
            }
        } catch {
            say("\(command): \(error)", warning: true)
        }
    }

    func dropCompanion() {
        runs.removeLast(runs.count - 1)
    }

    private func restart(_ q: Parameters, speed newSpeed: Double?, versus: Bool = false, what: String) {
        do {
            var fresh = [Run(try Simulation(parameters: q))]
            if versus {
                // Same parameters and seed, and (Simulation's start) the same end-to-end W.
                var cq = q
                cq.flow = .langevin
                fresh.append(Run(try Simulation(parameters: cq)))
            }
            runs = fresh
            checkpoints = Checkpoints(for: simulation)
            speed = newSpeed
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

    public static func speedText(_ s: Double?) -> String {
        guard let s else { return "unlimited" }
        return NumberText.compact(s) + " steps/s"
    }
}
