import DLNEngine
import Foundation

/// `dlntui bench --frame`: how long the interface takes to draw a full dashboard, off-screen (issue 7:
/// at most 2 ms at 160 x 50, median). The frames are those a live run would publish: the preset is
/// integrated for a few thousand steps, recorded as the worker records it, so every chart is full;
/// then a sequence of frames a few steps apart is captured and drawn in turn, each compared with the
/// one before as the screen does before writing (so the cells that change are real changes).
public enum FrameBench {
    public struct Result: Sendable {
        public var medianMilliseconds: Double
        public var p90Milliseconds: Double
        /// The median of this thread's CPU time per frame: on a loaded machine wall time also
        /// counts the other processes' turns.
        public var cpuMedianMilliseconds: Double
        public var frames: Int
        /// Cells that differ between consecutive frames, on average: what the screen would rewrite.
        public var meanChangedCells: Double
        /// The last frame drawn, for a caller (a test) to check what a frame holds.
        public var lastBuffer: Buffer
    }

    /// `count` frames of the preset's run, `every` steps apart, after `steps` steps.
    public static func frames(preset name: String = Preset.defaultName, steps: Int = 3000, count: Int = 16,
                              every: Int = 25) throws -> [WorkerFrame] {
        guard let preset = Preset.named(name) else { throw SetupError.parameter(ParameterError(flag: "--preset", accepted: Preset.names, given: name)) }
        let sim = try Simulation(parameters: preset.parameters)
        // Recorded as the worker records its runs.
        let run = Run(sim)
        run.recorder.recent.stride = 8
        func advance(_ k: Int) throws {
            for _ in 0..<k {
                try sim.advance()
                run.recordIfWanted()
            }
        }
        run.recordIfWanted()
        try advance(steps)
        var out: [WorkerFrame] = []
        for g in 0..<max(1, count) {
            if g > 0 { try advance(every) }
            out.append(WorkerFrame(
                generation: g + 1, snapshot: try sim.snapshot(stepsPerSecond: 400), whole: run.recorder.whole.samples,
                wholeStride: run.recorder.whole.stride, recent: run.recorder.recent.samples, paused: false,
                rejected: false, speed: nil, problem: sim.problem, edits: sim.edits,
                notice: nil, trace: run.trace.samples))
        }
        return out
    }

    /// Times `repeats` draws (render into a `Buffer`, then the diff against the previous frame), cycling
    /// through `frames`, after one warm-up pass over them; with the allocator tuned as the interface
    /// tunes it.
    public static func measure(_ frames: [WorkerFrame], width: Int = 160, height: Int = 50,
                               repeats: Int = 400) -> Result {
        measure(inputs: frames.map {
            DashboardInput(frame: $0, view: ViewState(), theme: .builtIn, glyphs: .unicode, colorful: true,
                           message: Notice(serial: 1, text: "running"))
        }, width: width, height: height, repeats: repeats)
    }

    /// The same for ready inputs (the ensemble view's).
    public static func measure(inputs: [DashboardInput], width: Int = 160, height: Int = 50, repeats: Int = 400) -> Result {
        precondition(!inputs.isEmpty)
        AllocatorTuning.keepFreedMemory()
        var previous: Buffer? = nil
        for i in inputs { previous = Dashboard.render(i, width: width, height: height) }
        var times: [Double] = [], cpu: [Double] = []
        times.reserveCapacity(repeats)
        cpu.reserveCapacity(repeats)
        var changed = 0
        for r in 0..<max(1, repeats) {
            let start = Monotonic.now(), cpuStart = threadCPUSeconds()
            let buffer = Dashboard.render(inputs[r % inputs.count], width: width, height: height)
            changed += buffer.changes(from: previous).count
            times.append(Monotonic.now() - start)
            cpu.append(threadCPUSeconds() - cpuStart)
            previous = buffer
        }
        times.sort()
        cpu.sort()
        return Result(
            medianMilliseconds: 1e3 * times[times.count / 2],
            p90Milliseconds: 1e3 * times[min(times.count - 1, times.count * 9 / 10)],
            cpuMedianMilliseconds: 1e3 * cpu[cpu.count / 2],
            frames: times.count, meanChangedCells: Double(changed) / Double(times.count),
            lastBuffer: previous!)
    }

    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
