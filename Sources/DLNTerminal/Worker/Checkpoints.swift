import DLNEngine
import Foundation

/// A few saved points of the interactive run, so that a blow-up can be undone. The integrator
/// refuses a step only when a part grows `StepCheck.jumpFactor`-fold at once or passes
/// `divergenceBound`; a gradual blow-up (say 100-fold a step at too large a dt) passes both tests
/// for a while, so by the refusal the state is garbage and lowering dt would not save it. The
/// worker then rolls back to the newest checkpoint taken before the blow-up began.
///
/// Checkpoints are taken every `interval` steps and just before each live edit (the usual cause
/// of a blow-up); beyond `capacity` they are thinned so that the recent past is kept finely and
/// the far past coarsely (the first one always stays), which covers slow blow-ups too.
struct Checkpoints {
    struct Entry {
        /// Every run's state at the same step (the runs are stepped in lockstep), the first run's first.
        let states: [SimulationCheckpoint]
        /// ||W||_F at the checkpoint, the largest over the runs (always finite).
        let norm: Double
        var main: SimulationCheckpoint { states[0] }
        var step: Int { main.step }

        init(states: [SimulationCheckpoint], norm: Double) {
            self.states = states
            self.norm = norm
        }

        init(main: SimulationCheckpoint, companion: SimulationCheckpoint?, norm: Double) {
            self.init(states: [main] + (companion.map { [$0] } ?? []), norm: norm)
        }
    }

    /// "Growing fast": ||W|| doubling within 32 steps or quicker (see `target`).
    static let maxGrowthRate = log(2.0) / 32
    /// A norm this many times the sane size is inside a blow-up whatever its trend.
    static let insaneFactor = 1e3
    /// Steps between routine checkpoints.
    static let interval = 32

    let capacity: Int
    /// Norms below this count as this: the magnitude of a sane W (see `target`).
    let floor: Double
    private(set) var entries: [Entry] = []

    /// `stateSize`: the number of doubles in a state; checkpoints cost at most about 32 MB.
    init(stateSize: Int, floor: Double) {
        capacity = max(2, min(8, (1 << 22) / max(1, stateSize)))
        self.floor = floor.isFinite && floor > 0 ? floor : 1
    }

    /// The capacity and floor for a simulation: the floor is sqrt(d) times the problem's scale
    /// (sigma_1 of the target), the Frobenius norm of a d x d matrix whose singular values are all
    /// that of the target: no sane W of the problem is larger.
    init(for sim: Simulation) {
        self.init(stateSize: sim.state.parts.reduce(0) { $0 + $1.storage.count },
                  floor: Double(sim.problem.size).squareRoot() * sim.problem.scale)
    }

    func isDue(step: Int) -> Bool {
        guard let last = entries.last else { return true }
        return step >= last.step + Self.interval
    }

    /// Adds a checkpoint (replacing one at the same step); one whose W is not finite is dropped.
    mutating func add(_ entry: Entry) {
        guard entry.norm.isFinite else { return }
        entries.removeAll { $0.step >= entry.step }
        entries.append(entry)
        while entries.count > capacity { thin() }
    }

    /// Removes the interior checkpoint whose removal leaves the smallest gap relative to that gap's
    /// age (the older on a tie): with checkpoints arriving at a steady pace the spacing becomes
    /// roughly geometric (ages 32, 96, 192, 480, ... at step 3200), the first always kept.
    private mutating func thin() {
        guard entries.count > 2 else { entries.removeFirst(); return }
        let newest = entries[entries.count - 1].step
        var best = 1
        var bestCost = Double.infinity
        for i in 1..<(entries.count - 1) {
            let gap = Double(entries[i + 1].step - entries[i - 1].step)
            let cost = gap / Double(newest - entries[i + 1].step + Self.interval)
            if cost < bestCost { best = i; bestCost = cost }
        }
        entries.remove(at: best)
    }

    mutating func clear() { entries.removeAll() }

    /// Forgets the checkpoints after `step` (they belong to a future a rollback undid).
    mutating func drop(after step: Int) { entries.removeAll { $0.step > step } }

    /// The checkpoint to roll back to after a refused step, or nil when there is none or none is
    /// needed. `current`: the step and ||W||_F of the state the refused step started from (a
    /// non-finite norm when W cannot even be formed).
    func target(currentStep: Int, currentNorm: Double) -> Entry? {
        Self.target(steps: entries.map(\.step), norms: entries.map(\.norm), currentStep: currentStep,
                    currentNorm: currentNorm, floor: floor).map { entries[$0] }
    }

    /// Where the blow-up began, read off the norms (an index into the checkpoints, or nil).
    ///
    /// A point is "growing fast" when ||W|| grew from the point before at more than
    /// `maxGrowthRate` per step, counting norms below `floor` as `floor`: below the size of a sane W
    /// a state is harmless whatever its trend (a small start escaping zero grows exponentially, and
    /// rightly so), while above it a sane flow does not double its norm within a few dozen steps.
    /// If the current state is not growing fast, the refused step was a single jump from a good
    /// state (the integrator's one-step test caught it in time): nothing to undo. Otherwise the
    /// newest checkpoint not growing fast is the last one from before the blow-up: the blow-up may
    /// have started shortly after it, but not before, since the norm had not yet taken off at it;
    /// and every later checkpoint was already on the way up, so already suspect.
    static func target(steps: [Int], norms: [Double], currentStep: Int, currentNorm: Double,
                       floor: Double) -> Int? {
        // A checkpoint at the current step is the current state itself: comparing the state with
        // it would always read "not growing" and refuse every rollback (one refusal in 32 would land
        // right after a routine checkpoint, and an edit checkpoint taken on a garbage state would
        // then block every later rollback). Only checkpoints strictly before count.
        guard let last = steps.lastIndex(where: { $0 < currentStep }) else { return nil }
        func growing(from a: (Int, Double), to b: (Int, Double)) -> Bool {
            guard b.1.isFinite else { return true }
            let rate = log(max(b.1, floor) / max(a.1, floor)) / Double(max(1, b.0 - a.0))
            return rate > maxGrowthRate
        }
        if !growing(from: (steps[last], norms[last]), to: (currentStep, currentNorm)) { return nil }
        var i = last
        // After thinning, a gap can span hundreds of steps, so a blow-up that began shortly before an
        // old checkpoint averages to a slow rate over the gap; a norm far above any sane W's
        // (`insaneFactor` x floor) marks such a checkpoint as already inside the blow-up.
        while i > 0 && (growing(from: (steps[i - 1], norms[i - 1]), to: (steps[i], norms[i]))
                        || norms[i] > insaneFactor * floor) { i -= 1 }
        return i
    }
}
