import DLNEngine
import DLNStudy
import Foundation

/// `dlntui bench --frame`'s ensemble case (issue 15: at most 4 ms at 160 x 50 for 1,000 members,
/// median): the two-by-two preset's ensemble, integrated as the live view integrates it to its
/// horizon, a frame captured every few rounds on the way, so the bands, the histogram and the
/// cloud are those of a real run; then drawn as `FrameBench.measure` draws the single run.
extension FrameBench {
    public static func ensembleFrames(members: Int = 1000, preset name: String = "two-by-two", count: Int = 16) throws -> [DashboardInput] {
        guard let preset = Preset.named(name) else { throw SetupError.parameter(ParameterError(flag: "--preset", accepted: Preset.names, given: name)) }
        let single = try frames(preset: name, steps: 200, count: 1)[0]
        let ensemble = try LiveEnsemble(point: preset.parameters, members: members, jobs: ProcessInfo.processInfo.activeProcessorCount)
        let p = preset.parameters
        // The last `count` frames are kept, `every` rounds apart, ending at the horizon.
        let saved = p.steps / p.every
        let gap = max(1, saved / (4 * count))
        var captured: [EnsembleFrame] = []
        var round = 0
        while !ensemble.finished {
            ensemble.round(toStep: ensemble.nextStop(due: Int.max / 2))
            round += 1
            if round % gap == 0 || ensemble.finished {
                captured.append(ensemble.frame())
                if captured.count > count { captured.removeFirst() }
            }
        }
        return captured.enumerated().map { (g, f) in
            var view = ViewState()
            view.ensemble = true
            var input = DashboardInput(frame: single, view: view, theme: .builtIn, glyphs: .unicode, colorful: true,
                                       message: Notice(serial: 1, text: "running"))
            input.ensemble = EnsembleWorkerFrame(generation: g + 1, ensemble: f, paused: false, stopped: nil, speed: 400,
                                                 rate: 4e5, jobs: ensemble.jobs, problem: single.problem, notice: nil)
            return input
        }
    }
}
