import DLNEngine
@testable import DLNTerminal

/// A worker frame made without a thread: `steps` steps of a preset, recorded as the worker records.
func offlineFrame(preset: String = "completion", steps: Int, edit: ((Simulation) throws -> Void)? = nil,
                  change: (inout Parameters) -> Void = { _ in }) throws -> WorkerFrame {
    var p = Preset.named(preset)!.parameters
    change(&p)
    let sim = try Simulation(parameters: p)
    try edit?(sim)
    var recorder = RunRecorder(size: sim.problem.size)
    var trace = StateTrace()
    recorder.recent.stride = 8
    if recorder.wants(step: 0) { recorder.record(try sim.observe()); trace.record(TraceSample.of(sim)) }
    for _ in 0..<steps {
        try sim.advance()
        if recorder.wants(step: sim.stepCount) { recorder.record(try sim.observe()); trace.record(TraceSample.of(sim)) }
    }
    return WorkerFrame(generation: 1, snapshot: try sim.snapshot(stepsPerSecond: 400), whole: recorder.whole.samples,
                       wholeStride: recorder.whole.stride, recent: recorder.recent.samples, paused: false, rejected: false,
                       speed: 400, problem: sim.problem, edits: sim.edits, notice: nil, trace: trace.samples)
}

func input(_ frame: WorkerFrame, view: ViewState = ViewState(), glyphs: Glyphs = .unicode, colorful: Bool = true) -> DashboardInput {
    DashboardInput(frame: frame, view: view, theme: .builtIn, glyphs: glyphs, colorful: colorful,
                   message: Notice(serial: 1, text: "running"))
}
