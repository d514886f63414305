import DLNEngine
import DLNOutput

/// One run of the interface as a value the worker holds: the simulation and what is kept of it
/// (the observation history, the per-layer trace, the last state that could be observed, the data
/// files it read). The worker holds 1...K runs (2 to 4 compared) and steps them in one loop.
final class Run {
    let simulation: Simulation
    var recorder: RunRecorder
    var trace = StateTrace()
    /// The last snapshot whose observables were finite (shown when W overflows).
    var lastGood: Snapshot?
    /// Hashed when the simulation read them (for the snapshot's sidecar).
    let inputs: [InputFile]
    /// Says once when a fixed step's estimated error passes 1% (step doubling on a copy).
    let errorWatch = StepDoublingWatch()

    init(_ simulation: Simulation) {
        self.simulation = simulation
        recorder = RunRecorder(size: simulation.problem.size)
        inputs = InputFile.of(simulation.start)
    }

    /// Records the current state if the history wants its step (the one recording of the
    /// interface, its frame benchmark and its tests).
    func recordIfWanted() {
        guard recorder.wants(step: simulation.stepCount) else { return }
        if let o = try? simulation.observe() { recorder.record(o) }
        trace.record(TraceSample.of(simulation))
    }

    /// Forgets what was recorded after `step` (a rollback rewound the run to it).
    func truncate(after step: Int) {
        recorder.truncate(after: step)
        trace.truncate(after: step)
        lastGood = nil
    }

    /// The run's frame for the renderer: a fresh snapshot, or the last good one when W cannot be
    /// observed (nil if there never was one).
    func frame(stepsPerSecond: Double) -> CompanionFrame? {
        if let fresh = try? simulation.snapshot(stepsPerSecond: stepsPerSecond) { lastGood = fresh }
        guard let good = lastGood else { return nil }
        return CompanionFrame(snapshot: good, whole: recorder.whole.samples, recent: recorder.recent.samples, start: simulation.start)
    }
}
