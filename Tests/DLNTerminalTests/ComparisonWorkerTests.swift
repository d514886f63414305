import DLNEngine
import Foundation
import Testing
@testable import DLNTerminal

/// The worker's comparison, driven without its thread (the test is the thread that owns it):
/// runs follow the first in time, keys reach every run from its own value, c adds the
/// configuration in force, at most four runs; and a comparison frame names every run on screen.
@Suite struct ComparisonWorkerTests {
    static func worker(_ specs: [String], preset: String = "completion", change: (inout Parameters) -> Void = { _ in }) throws -> Worker {
        var p = Preset.named(preset)!.parameters
        p.speed = nil
        change(&p)
        let sims = try Comparison.configurations(specs, base: p).map { try Simulation(parameters: $0) }
        return Worker(simulations: sims, fps: 30)
    }

    @Test func runsFollowTheFirstInTimeWhateverTheirSteps() throws {
        // dopri5 beside a fixed step, a step half the first's and one three times it: all at the
        // first run's t (the larger step within one of its steps, never shortened).
        let w = try Self.worker(["dt=0.05", "integrator=dopri5", "dt=0.025", "dt=0.15"], preset: "two-by-two")
        for _ in 0..<201 { #expect(w.step()) }
        let t = w.simulation.time
        #expect(abs(t - 201 * 0.05) < 1e-9)
        for run in w.runs.dropFirst(1).prefix(2) { #expect(abs(run.simulation.time - t) <= 1e-12 * t, "\(run.simulation.parameters.integrator): t \(run.simulation.time) vs \(t)") }
        #expect(w.runs[2].simulation.stepCount == 402)
        #expect(w.runs[3].simulation.stepCount == 67 && abs(w.runs[3].simulation.time - t) < 1e-9, "dt 0.15: t \(w.runs[3].simulation.time)")
        #expect(w.runs[3].simulation.lastStepSize == 0.15)
        w.step()
        #expect(w.runs[3].simulation.stepCount == 67, "the larger step waits until a whole step fits")
        // The same fixed step as the first: the same plain steps, so the same numbers as alone.
        // Two runs of one configuration (which --compare refuses: nothing differs) built directly.
        var q = Preset.named("two-by-two")!.parameters
        q.speed = nil
        q.depth = 3
        let pair = Worker(simulations: [try Simulation(parameters: q), try Simulation(parameters: q)], fps: 30)
        let alone = try Simulation(parameters: pair.runs[1].simulation.parameters)
        for _ in 0..<50 { pair.step(); try alone.advance() }
        #expect(pair.runs[1].simulation.endToEnd.storage == alone.endToEnd.storage)
    }

    /// A following run whose step is refused goes back with the others: every run at the step
    /// and time it had, the run named in the message.
    @Test func aFollowerThatRefusesGoesBackWithTheOthers() throws {
        // The second run's huge dt diverges within a step or two.
        let w = try Self.worker(["dt=0.05", "dt=5"], preset: "two-by-two") { $0.steps = 1_000_000 }
        var refused = false
        for _ in 0..<100_000 where !refused { refused = !w.step() }
        #expect(refused)
        #expect(w.rejected, "the refusal is a rejection, not the horizon")
        let times = w.runs.map(\.simulation.time)
        #expect(w.runs[1].simulation.time <= times[0] + 1e-9, "times \(times)")
        #expect(w.runs.allSatisfy { $0.simulation.endToEnd.storage.allSatisfy(\.isFinite) })
    }

    @Test func keysReachEveryRunFromItsOwnValue() throws {
        let w = try Self.worker(["N=2", "N=4"])
        w.apply(.depthUp)
        #expect(w.runs.map { $0.simulation.parameters.depth } == [3, 5])
        w.apply(.halveBeta)
        #expect(w.runs.allSatisfy { $0.simulation.parameters.beta == Ladders.halveBeta(.infinity) })
        #expect(Comparison.labels(w.runParametersNow) == ["N=3", "N=5"])
    }

    @Test func cAddsTheConfigurationInForceUpToFour() throws {
        let w = try Self.worker(["N=2", "N=4"])
        for _ in 0..<10 { w.step() }
        // Nothing changed since the start: c says so and adds nothing.
        w.apply(.addRun)
        #expect(w.runs.count == 2)
        w.apply(.doubleKappa)
        w.apply(.addRun)
        #expect(w.runs.count == 3 && w.simulation.stepCount == 0, "c restarts every run at t = 0")
        // The runs restarted from their starts; the new one carries the edit.
        #expect(w.runs.map { $0.simulation.parameters.kappa } == [0, 0, Ladders.doubleKappa(0)])
        #expect(w.runs.map { $0.simulation.parameters.depth } == [2, 4, 2])
        w.apply(.halveBeta)
        w.apply(.addRun)
        #expect(w.runs.count == 4)
        w.apply(.doubleKappa)
        w.apply(.addRun)
        #expect(w.runs.count == 4, "at most four runs")
        // v ends the comparison.
        w.apply(.toggleVersus)
        #expect(w.runs.count == 1)
    }

    @Test func versusIsTheComparisonOfRleUpstairsWithLangevin() throws {
        var p = Preset.named("denoise")!.parameters
        p.speed = nil; p.beta = 30; p.kappa = 1
        let w = Worker(simulation: try Simulation(parameters: p), fps: 30)
        w.apply(.toggleVersus)
        #expect(w.runs.map { $0.simulation.parameters.flow } == [.rleUpstairs, .langevin])
        #expect(Comparison.labels(w.runParametersNow) == ["rle-upstairs", "langevin"])
        for _ in 0..<20 { w.step() }
        #expect(w.runs[0].simulation.stepCount == w.runs[1].simulation.stepCount)
        // f where the flows differ ends it.
        w.apply(.nextFlow)
        #expect(w.runs.count == 1)
    }

    @Test func aComparisonFrameNamesEveryRunInEveryChartAndThePanel() throws {
        let base = Preset.named("depth")!.parameters
        var frames: [WorkerFrame] = []
        for n in [1, 2, 3] { frames.append(try offlineFrame(preset: "depth", steps: 400, change: { $0.depth = .finite(n) })) }
        var frame = frames[0]
        frame.others = frames.dropFirst().map { CompanionFrame(snapshot: $0.snapshot, whole: $0.whole, recent: $0.recent) }
        #expect(frame.runLabels == ["N=1", "N=2", "N=3"])
        #expect(base.depth == 3)
        for (w, h) in [(80, 24), (120, 40), (160, 50)] {
            let text = Dashboard.render(input(frame), width: w, height: h).text
            #expect(text.contains("3 runs") || text.contains("σ_k"), "\(w)x\(h): no singular values")
            for (label, f) in zip(frame.runLabels, frames) {
                let o = f.snapshot.observation
                #expect(text.contains("│\(label)"), "\(w)x\(h): no panel row for \(label)")
                #expect(text.contains("err " + NumberText.compact(o.error!)), "\(w)x\(h): no error of \(label)")
                if w >= 120 {
                    #expect(text.contains("\(label) σ1"), "\(w)x\(h): no legend entry for \(label)")
                    #expect(text.contains("erank " + NumberText.compact(o.effectiveRank)), "\(w)x\(h): no effective rank of \(label)")
                }
            }
        }
        // Each run has its own style index (colour and dash), so the legend's swatches differ even in ASCII.
        let swatches = (0..<4).map { Legend.swatch(Dashboard.runStyle(input(frame), $0).index, glyphs: .ascii) }
        #expect(Set(swatches).count == 4)
        let dashes = (0..<4).map { Legend.swatch(Dashboard.runStyle(input(frame), $0).index, glyphs: .unicode) }
        #expect(Set(dashes).count == 4)
    }
}
