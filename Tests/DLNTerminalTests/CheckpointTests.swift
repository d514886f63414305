import Foundation
@testable import DLNEngine
import Testing
@testable import DLNTerminal

/// Where a rollback lands (`Checkpoints.target`), how checkpoints are thinned, and the histories'
/// truncation that keeps the charts right after a rollback.
@Suite struct CheckpointTests {
    /// Checkpoint norms over steps, the floor (sane size) 1.
    private func target(_ points: [(Int, Double)], now: (Int, Double)) -> Int? {
        Checkpoints.target(steps: points.map(\.0), norms: points.map(\.1), currentStep: now.0, currentNorm: now.1, floor: 1)
    }

    @Test func aFastBlowUpRollsBackToTheLastCheckpointBeforeIt() {
        // Steady near 2, then a hundredfold a step from step 100 on.
        let points = [(0, 2.0), (32, 2.1), (64, 2.05), (96, 2.0), (100, 2.0), (128, 1e56)]
        #expect(target(points, now: (140, 1e80)) == 4)
        // W no longer finite at the refusal: the same.
        #expect(target(points, now: (140, .nan)) == 4)
    }

    @Test func aCheckpointAtTheRefusedStepItselfDoesNotBlockTheRollback() {
        // A routine checkpoint taken at the very state whose next step is refused (one refusal in
        // 32), or an edit checkpoint taken on a garbage state: comparing the state with itself must
        // not read "not growing".
        #expect(target([(0, 2), (32, 2), (64, 1e25)], now: (64, 1e25)) == 1)
        #expect(target([(0, 2), (32, 2), (40, 1e30)], now: (40, 1e30)) == 1)
        // The sane case right after an edit checkpoint: a single jump from a good state, nothing to undo.
        #expect(target([(0, 2), (32, 2), (64, 2)], now: (64, 2)) == nil)
        // Only the current state's own checkpoint: nothing earlier to go back to.
        #expect(target([(64, 1e25)], now: (64, 1e25)) == nil)
    }

    @Test func aCheckpointFarAboveTheSaneSizeIsNotATarget() {
        // Thinned checkpoints 32 steps apart at the end, 480 before: a blow-up that began just
        // before step 480 averages to a slow rate over the long gap, but 2048 x the sane size is no
        // state to resume from.
        #expect(target([(0, 2), (480, 2048), (512, 1e20)], now: (520, 1e30)) == 0)
        // Large but sane-sized norms are not affected.
        #expect(target([(0, 2), (480, 500), (512, 1e20)], now: (520, 1e30)) == 1)
    }

    @Test func aSlowBlowUpIsTracedBackThroughEveryCheckpointOnTheWayUp() {
        // Growing 1.1-fold a step from step 64: every later checkpoint is already suspect,
        // though none jumped much.
        var points = [(0, 2.0), (32, 2.0), (64, 2.0)]
        var norm = 2.0
        for step in stride(from: 96, through: 320, by: 32) {
            norm *= pow(1.1, 32)
            points.append((step, norm))
        }
        #expect(target(points, now: (330, norm * pow(1.1, 10))) == 2)
    }

    @Test func growthBelowTheSaneSizeDoesNotCount() {
        // A small start escaping zero grows exponentially, and rightly: below the floor it is no
        // blow-up, so the newest such checkpoint is kept.
        let points = [(0, 1e-5), (32, 1e-3), (64, 0.1), (96, 0.9)]
        #expect(target(points, now: (100, 1e40)) == 3)
    }

    @Test func aSingleRefusedJumpFromAGoodStateNeedsNoRollback() {
        let points = [(0, 2.0), (32, 2.0)]
        #expect(target(points, now: (40, 2.1)) == nil)
        #expect(target([], now: (40, .infinity)) == nil)
        // Growing at every checkpoint: the oldest is the best there is.
        #expect(target([(0, 2.0), (32, 1e3), (64, 1e6)], now: (70, 1e9)) == 0)
    }

    @Test func thinningKeepsTheFirstAndNewestAndSpreadsTheRest() throws {
        let sim = try Simulation(parameters: Preset.named("two-by-two")!.parameters)
        var c = Checkpoints(stateSize: 16, floor: 1)
        #expect(c.capacity == 8)
        for step in stride(from: 0, through: 3200, by: 32) {
            let point = sim.checkpoint()
            c.add(Checkpoints.Entry(main: SimulationCheckpoint(state: point.state, step: step, time: 0, flow: point.flow, depth: point.depth),
                                    companion: nil, norm: 1))
        }
        let steps = c.entries.map(\.step)
        #expect(steps.count == 8 && steps.first == 0 && steps.last == 3200)
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 < $1 })
        // Older gaps are wider: the far past coarsely, the recent past finely.
        let gaps = zip(steps.dropFirst(), steps).map { $0 - $1 }
        #expect(gaps.first! > 4 * gaps.last!, "\(steps)")
        #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $0 >= $1 }, "\(steps)")
        // A non-finite W is never a checkpoint; one at an existing step replaces it.
        c.add(Checkpoints.Entry(main: sim.checkpoint(), companion: nil, norm: .infinity))
        #expect(c.entries.count == 8)
        c.drop(after: 1000)
        #expect(c.entries.allSatisfy { $0.step <= 1000 })
        // The largest states keep at least two.
        #expect(Checkpoints(stateSize: 200 * 200 * 200, floor: 1).capacity == 2)
    }

    @Test func truncatedHistoriesRecordOnFromTheRolledBackStep() {
        var recorder = RunRecorder(size: 1, recentCapacity: 8)
        var trace = StateTrace(capacity: 16)
        func record(_ steps: ClosedRange<Int>) {
            for step in steps {
                recorder.record(observation(step: step))
                trace.record(TraceSample(step: step, time: 0, balanceDefects: [], gaugeDistances: [], offDiagonal: nil))
            }
        }
        record(0...20)
        recorder.truncate(after: 16)
        trace.truncate(after: 16)
        #expect(recorder.whole.samples.map(\.step) == Array(0...16))
        #expect(recorder.recent.samples.map(\.step) == [13, 14, 15, 16])
        #expect(trace.samples.last!.step <= 16 && trace.samples.last!.step >= 16 - trace.stride)
        // The rewound steps are recorded again, in order, and the ring wraps as before.
        record(17...30)
        #expect(recorder.whole.samples.map(\.step) == Array(0...30))
        #expect(recorder.recent.samples.map(\.step) == Array(23...30))
        let traced = trace.samples.map(\.step)
        #expect(zip(traced, traced.dropFirst()).allSatisfy { $0 < $1 } && traced.last! > 30 - trace.stride)
    }
}
