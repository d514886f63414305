import DLNEngine
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
                anchor(at: monotonicSeconds())
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
            anchor(at: monotonicSeconds())
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
        case .halveBeta, .doubleBeta, .halveKappa, .doubleKappa, .depthDown, .depthUp, .dtDown, .dtUp, .nextFlow, .toggleTimeScale:
            edit(command.applied(to: p), by: command)
        }
    }

    /// Applies a live edit to the running trajectory.
    private func edit(_ q: Parameters, by command: Command) {
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
            if q.flow != p.flow { dropCompanion() }
            try editCompanion(q)
            if q.beta != p.beta {
                simulation.setBeta(q.beta)
                say("beta = \(NumberText.compact(q.beta, digits: 4))" + (command == .halveBeta ? " (halved)" : " (doubled)"))
            } else if q.kappa != p.kappa {
                simulation.setKappa(q.kappa)
                say("kappa = \(NumberText.compact(q.kappa, digits: 4))" + (command == .halveKappa ? " (halved)" : " (doubled)")
                    + (p.flow == .langevin || p.flow == .rleUpstairs ? "" : "; kappa acts on the langevin and rle-upstairs flows"))
            } else if q.depth != p.depth {
                try simulation.setDepth(q.depth)
                say("N = \(simulation.parameters.depthText), W kept" + (p.flow.isUpstairs ? " (refactored into balanced factors)" : ""))
            } else if q.dt != p.dt {
                simulation.setDt(q.dt)
                say("dt = \(NumberText.compact(q.dt, digits: 4))")
            } else if q.timeScale != p.timeScale {
                simulation.setTimeScale(q.timeScale)
                say(q.timeScale == .depth ? "time depth-normalised: the generator is divided by N = \(p.depthText)"
                    : "time plain: the generator of the seed, not divided by N")
            } else if q.flow != p.flow {
                try simulation.setFlow(q.flow)
                say("flow: \(q.flow.rawValue), W kept")
            } else {
                say(limitText(command))
            }
        } catch {
            say("\(command): \(error)", warning: true)
        }
    }

    private func limitText(_ c: Command) -> String {
        let p = simulation.parameters
        switch c {
        case .halveBeta: return "beta is at its lowest, \(NumberText.compact(p.beta))"
        case .doubleBeta: return "beta is already inf"
        case .halveKappa: return "kappa is already 0"
        case .doubleKappa: return "kappa is at its highest"
        case .depthDown: return "N is already 1"
        case .depthUp: return "N is already \(simulation.parameters.depthText)" + (p.flow.needsFiniteDepth ? " (the largest for the \(p.flow.rawValue) flow)" : "")
        case .dtDown: return "dt is at its lowest"
        case .dtUp: return "dt is at its highest"
        case .toggleTimeScale: return "N = inf: time is always depth-normalised"
        default: return ""
        }
    }

    /// The same edit on the companion, so both runs keep one set of parameters.
    private func editCompanion(_ q: Parameters) throws(StepError) {
        guard let c = companion else { return }
        let p = c.parameters
        if q.beta != p.beta { c.setBeta(q.beta) }
        if q.kappa != p.kappa { c.setKappa(q.kappa) }
        if q.dt != p.dt { c.setDt(q.dt) }
        if q.timeScale != p.timeScale { c.setTimeScale(q.timeScale) }
        if q.depth != p.depth { try c.setDepth(q.depth) }
    }

    func dropCompanion() {
        companion = nil
        companionRecorder = nil
        companionGood = nil
    }

    private func restart(_ q: Parameters, speed newSpeed: Double?, versus: Bool = false, what: String) {
        do {
            let sim = try Simulation(parameters: q)
            dropCompanion()
            if versus {
                // Same parameters and seed, and (Simulation's start) the same end-to-end W.
                var cq = q
                cq.flow = .langevin
                let c = try Simulation(parameters: cq)
                companion = c
                companionRecorder = RunRecorder(size: c.problem.size)
            }
            simulation = sim
            lastGood = nil
            trace = StateTrace()
            checkpoints = Checkpoints(for: sim)
            recorder = RunRecorder(size: sim.problem.size)
            speed = newSpeed
            paused = false
            rejected = false
            measuredRate = 0
            anchor(at: monotonicSeconds())
            rateStart = anchorTime
            rateSteps = 0
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
