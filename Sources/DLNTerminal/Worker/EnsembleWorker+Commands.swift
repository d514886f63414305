import DLNEngine
import DLNOutput
import DLNStudy
import Foundation

/// The ensemble worker's commands. An edit of beta, kappa, dt (or rtol), the integrator or the time
/// scale applies to every member at once; one that changes the question (N, the flow, the preset's
/// problem) restarts every member from its start with the same member seeds, so the comparison
/// stays paired; the restart log (the snapshot's sidecar) records it. Compared ensembles take
/// every key in each configuration, from its own value (N = 2 and 4 become 3 and 5).
extension EnsembleWorker {
    func apply(_ command: Command) {
        let p = ensemble.parameters
        let m = ensemble.members
        switch command {
        case .togglePause:
            paused.toggle()
            anchor(at: Monotonic.now())
            say(paused ? "ensemble paused at step \(step); space resumes, . steps to the next saved time" : "ensemble running")
        case .stepOnce:
            guard paused else { say("'.' steps while paused (space pauses)"); return }
            round(due: Int.max / 2)
            say("one round: step \(step)")
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
            // A comparison preset's configurations (checked by its tests) become compared ensembles.
            let configurations = (try? Comparison.configurations(preset.compare, base: q)) ?? [q]
            restart(configurations, reason: "preset \(preset.name)", what: "preset \(preset.name): \(preset.shows); \(m) members restarted")
        case .restart(let newSeed):
            let seed = newSeed ? p.seed &+ 1 : p.seed
            let all = ensembles.map { e -> Parameters in
                var q = point(e.parameters)
                q.seed = seed
                return q
            }
            restart(all, reason: newSeed ? "restart with seed \(seed)" : "restart",
                    what: "\(m) members restarted (seed \(seed)\(newSeed ? ", new member seeds" : ", same member seeds"))")
        case .toggleVersus, .addRun:
            say(ensembles.count > 1 ? "compared ensembles: the configurations are fixed (e switches to the single-run comparison)"
                : "comparisons are for the single-run view (e switches)")
        case .depthDown, .depthUp, .nextFlow:
            // The question changed: every member of every configuration restarts at the new
            // parameters (each configuration's own, from its value) from its own start.
            var all: [Parameters] = []
            for e in ensembles {
                let pe = e.parameters
                guard let edit = command.edit(from: pe) else { say(command.limitText(pe)); return }
                do {
                    let probe = try Simulation(parameters: MemberSeed.parameters(point(pe), member: 0, varyProblem: false))
                    _ = try probe.apply(edit)
                    all.append(point(probe.parameters))
                } catch {
                    say("\(command): \(error)", warning: true)
                    return
                }
            }
            let q = all[0]
            let what = ensembles.count > 1 ? Comparison.labels(all).joined(separator: " | ")
                : command == .nextFlow ? "flow \(q.flow.rawValue)" : "N = \(q.depthText)"
            restart(all, reason: what, what: "\(what): \(m) members restarted from the same member seeds")
        case .halveBeta, .doubleBeta, .halveKappa, .doubleKappa, .dtDown, .dtUp, .nextIntegrator, .toggleTimeScale:
            // Each configuration takes the key from its own value (as the single-run comparison).
            var edits: [Edit] = []
            for e in ensembles {
                guard let edit = command.edit(from: e.parameters) else { say(command.limitText(e.parameters)); return }
                edits.append(edit)
            }
            for (e, edit) in zip(ensembles, edits) {
                if let refusal = e.apply(edit) {
                    say("\(command): \(refusal)", warning: true)
                    return
                }
            }
            let q = ensemble.parameters
            let each = ensembles.count > 1 ? " of each configuration" : ""
            say("\(Self.describe(edits[0], q)) for all \(m) members\(each) at step \(step)")
        }
    }

    /// The point's parameters from a member's: the member number dropped.
    func point(_ p: Parameters) -> Parameters {
        var q = p
        q.member = nil
        return q
    }

    /// Every configuration again from its start at `parameters` (one per configuration; a preset
    /// may bring another number), with the same member seeds (paired).
    private func restart(_ all: [Parameters], reason: String, what: String) {
        do {
            if all.count == ensembles.count {
                for (e, q) in zip(ensembles, all) { try e.restart(q, reason: reason) }
            } else {
                let e = ensemble
                var fresh: [LiveEnsemble] = []
                for q in all { fresh.append(try LiveEnsemble(point: q, members: e.members, untilConverged: e.study.untilConverged, jobs: e.jobs)) }
                ensembles = fresh
            }
            paused = false
            stopped = nil
            stepWarned = false
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
