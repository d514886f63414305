import DLNEngine

/// Side by side runs: the worker's runs as 2 to 4 configurations of one problem and start.
/// Versus mode (the key v) is the comparison of rle-upstairs with langevin; the key c adds the
/// current configuration as a run. Worker thread only.
extension Worker {
    var runParametersNow: [Parameters] { runs.map(\.simulation.parameters) }

    /// The runs' parameters with the first's replaced by `first` (before an edit reached it).
    func runParameters(before first: Parameters) -> [Parameters] {
        [first] + runs.dropFirst().map(\.simulation.parameters)
    }

    /// The message that opens a comparison: its runs, and what a run whose F_beta has no minimum shows.
    func comparisonText() -> String {
        let labels = Comparison.labels(runParametersNow)
        // Another energy is another problem, drawn from the same seed.
        let same = Comparison.differing(runParametersNow).contains("energy") ? "one seed" : "one problem, seed"
        var text = "comparing \(labels.joined(separator: " | ")) (\(same) \(simulation.parameters.seed))"
        if let i = runParametersNow.firstIndex(where: Landscape.unboundedBelow) {
            text += "; \(labels[i]): " + Landscape.message
        }
        return text
    }

    /// Most steps a following run takes in one step of the first: a much stiffer run falls behind
    /// for a while rather than stall the frame.
    static let maxFollowSteps = 1000

    /// Advances another run of a comparison to the first run's time `t`, so charts against t
    /// compare the runs at one time: a fixed step takes its own dt, plain, as often as it fits
    /// (the same steps as alone; a larger dt waits, lagging by less than one of its steps); an
    /// adaptive method takes its own steps, the last shortened to land on t.
    func follow(_ sim: Simulation, to t: Double) throws(StepError) {
        var taken = 0
        if sim.steppingIntegrator.kind.isAdaptive {
            while sim.time < t && taken < Self.maxFollowSteps {
                try sim.advance(landingAt: t)
                taken += 1
            }
        } else {
            let dt = sim.parameters.dt
            while sim.time + dt <= t + 1e-9 * dt && taken < Self.maxFollowSteps {
                try sim.advance()
                taken += 1
            }
        }
    }

    /// The other runs take the key, each from its own value; a run that refuses ends the comparison.
    func applyToOthers(_ command: Command) {
        for run in runs.dropFirst() {
            guard let edit = command.edit(from: run.simulation.parameters) else { continue }
            do { try run.simulation.apply(edit) } catch {
                let label = Comparison.labels(runParametersNow)[runs.firstIndex { $0 === run } ?? 0]
                dropCompanion()
                say("comparison off: the run \(label) refused the edit (\(error))", warning: true)
                return
            }
        }
    }

    /// Back to the first run alone.
    func dropCompanion() {
        runs.removeLast(runs.count - 1)
    }

    /// v: rle-upstairs beside langevin from the same W and seed (the comparison 'flow=rle-upstairs'
    /// 'flow=langevin' over the parameters in force), or back to one run.
    func toggleVersus() {
        let p = simulation.parameters
        if runs.count > 1 {
            let was = Comparison.differing(runParametersNow).contains("flow") && runs.count == 2 ? "versus" : "comparison"
            dropCompanion()
            say("\(was) off: \(p.flow.rawValue) alone")
        } else if p.isInfiniteDepth {
            say("versus needs a finite N for rle-upstairs: press n", warning: true)
        } else {
            do {
                // Both sides Euler-Maruyama at one dt, step for step (a dopri5 preset's noiseless
                // langevin at beta = inf would otherwise take steps of its own).
                var base = p
                base.integrator = .euler
                let both = try Comparison.configurations(["flow=rle-upstairs", "flow=langevin"], base: base)
                restart(both, speed: speed,
                        what: "versus: rle-upstairs and langevin from the same W, seed \(p.seed); their laws should agree (12.12)")
            } catch {
                say("versus: \(error)", warning: true)
            }
        }
    }

    /// c: the runs restart from the seed's start with the configurations they started from, and the
    /// current one (the first run's parameters now, live edits included) beside them.
    func addCurrentConfiguration() {
        let current = simulation.parameters
        var starts = runs.map { run -> Parameters in
            var q = run.simulation.start
            q.seed = current.seed
            return q
        }
        if let same = starts.firstIndex(where: { Comparison.differing([$0, current]).isEmpty }) {
            let what = runs.count > 1 ? "run \(same + 1) (\(Comparison.labels(starts)[same]))" : "the run's"
            say("c adds the configuration in force as a new run: it is \(what) already; change beta, kappa, N, dt, flow or integrator first")
            return
        }
        guard starts.count < Comparison.maxRuns else {
            say("at most \(Comparison.maxRuns) runs side by side: v goes back to one run", warning: true)
            return
        }
        starts.append(current)
        restart(starts, speed: speed, what: "")
        say(comparisonText() + "; all restarted from t = 0")
    }
}
