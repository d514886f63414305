import DLNEngine
import DLNOutput
import DLNStudy
import Foundation

/// The ensemble worker's commands. An edit of beta, kappa, dt (or rtol), the integrator or the time
/// scale applies to every member at once; one that changes the question (N, the flow, the preset's
/// problem) restarts every member from its start with the same member seeds, so the comparison
/// stays paired; the restart log (the snapshot's sidecar) records it.
extension EnsembleWorker {
    func apply(_ command: Command) {
        let p = ensemble.parameters
        let m = ensemble.members
        switch command {
        case .togglePause:
            paused.toggle()
            anchor(at: Monotonic.now())
            say(paused ? "ensemble paused at step \(ensemble.step); space resumes, . steps to the next saved time" : "ensemble running")
        case .stepOnce:
            guard paused else { say("'.' steps while paused (space pauses)"); return }
            ensemble.round(toStep: ensemble.nextStop(due: Int.max / 2))
            say("one round: step \(ensemble.step)")
        case .slower, .faster:
            speed = command == .faster ? Ladders.faster(speed) : Ladders.slower(speed)
            anchor(at: Monotonic.now())
            say("speed: \(Worker.speedText(speed)) for each member")
        case .nextPreset:
            let all = Preset.all
            let index = all.firstIndex { $0.name == p.preset } ?? -1
            let preset = all[(index + 1) % all.count]
            var q = preset.parameters
            q.seed = p.seed
            speed = q.speed
            restart(q, reason: "preset \(preset.name)", what: "preset \(preset.name): \(preset.shows); \(m) members restarted")
        case .restart(let newSeed):
            var q = point(p)
            if newSeed { q.seed = q.seed &+ 1 }
            restart(q, reason: newSeed ? "restart with seed \(q.seed)" : "restart",
                    what: "\(m) members restarted (seed \(q.seed)\(newSeed ? ", new member seeds" : ", same member seeds"))")
        case .toggleVersus, .addRun:
            say("comparisons are for the single-run view (e switches)")
        case .depthDown, .depthUp, .nextFlow:
            guard let edit = command.edit(from: p) else { say(command.limitText(p)); return }
            // The question changed: every member restarts at the new parameters from its own start.
            let probe: Simulation
            do {
                probe = try Simulation(parameters: MemberSeed.parameters(point(p), member: 0, varyProblem: false))
                _ = try probe.apply(edit)
            } catch {
                say("\(command): \(error)", warning: true)
                return
            }
            let q = point(probe.parameters)
            let what = command == .nextFlow ? "flow \(q.flow.rawValue)" : "N = \(q.depthText)"
            restart(q, reason: what, what: "\(what): \(m) members restarted from the same member seeds")
        case .halveBeta, .doubleBeta, .halveKappa, .doubleKappa, .dtDown, .dtUp, .nextIntegrator, .toggleTimeScale:
            guard let edit = command.edit(from: p) else { say(command.limitText(p)); return }
            if let refusal = ensemble.apply(edit) {
                say("\(command): \(refusal)", warning: true)
            } else {
                let q = ensemble.parameters
                say("\(Self.describe(edit, q)) for all \(m) members at step \(ensemble.step)")
            }
        }
    }

    /// The point's parameters from a member's: the member number dropped.
    func point(_ p: Parameters) -> Parameters {
        var q = p
        q.member = nil
        return q
    }

    private func restart(_ q: Parameters, reason: String, what: String) {
        do {
            try ensemble.restart(q, reason: reason)
            paused = false
            stopped = nil
            anchor(at: Monotonic.now())
            say(what)
        } catch {
            say("cannot restart: \(error)", warning: true)
        }
    }

    static func describe(_ edit: Edit, _ q: Parameters) -> String {
        switch edit {
        case .beta: return "beta = \(NumberText.compact(q.beta, digits: 4))"
        case .kappa: return "kappa = \(NumberText.compact(q.kappa, digits: 4))"
        case .dt: return "dt = \(NumberText.compact(q.dt, digits: 4))"
        case .rtol: return "rtol = \(NumberText.compact(q.rtol))"
        case .integrator: return "integrator \(q.integrator.rawValue)"
        case .timeScale: return "time: \(q.effectiveTimeScale == .depth ? "depth-normalised" : "plain")"
        default: return "\(edit)"
        }
    }
}
