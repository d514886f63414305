import DLNEngine
import DLNStudy
import Foundation
import Testing
@testable import DLNTerminal

/// The ensemble view without a terminal: the screen it composes, its keys, and its worker's
/// commands applied between rounds on the calling thread.
@Suite struct EnsembleViewTests {
    static func screen(_ e: EnsembleWorkerFrame, view: ViewState? = nil, width: Int = 140, height: Int = 44) throws -> String {
        var v = view ?? ViewState()
        v.ensemble = true
        var i = input(try offlineFrame(preset: "two-by-two", steps: 5), view: v)
        i.ensemble = e
        return Dashboard.render(i, width: width, height: height).text
    }

    /// The fixture: four finished members (three with sigma_2 / sigma_1 < 0.05), one running, one failed.
    @Test func theScreenShowsCountsBandsCloudAndTheRankOneFractionWithItsInterval() throws {
        let text = try Self.screen(try EnsembleFixtures.workerFrame())
        #expect(text.contains("members     6 on 2 threads"), "\(text)")
        #expect(text.contains("finished    4"), "\(text)")
        #expect(text.contains("failed      1"), "\(text)")
        #expect(text.contains("running     1"))
        #expect(text.contains("rank one    3/4 = 75.0%"), "\(text)")
        // Wilson at 3 of 4: the roots of (3/4 - p)^2 = z^2 p (1 - p) / 4, 0.301 and 0.954.
        #expect(text.contains("[30.1%, 95.4%]"), "\(text)")
        #expect(text.contains("95% CI (Wilson)"))
        #expect(text.contains("limits: σ2/σ1<0.05"), "\(text)")
        #expect(text.contains("singular values"))
        #expect(text.contains("5-25-50-75-95%"))
        #expect(text.contains("(W12, W21) of 5 members"))
        #expect(text.contains("histogram W12"))
        #expect(text.contains("num. rank   1: 75%, 2: 25%"), "\(text)")
    }

    /// The panel names the scheme the members step with: the preset's rk4, and euler once halving
    /// beta gives the flow noise (Euler-Maruyama whatever the integrator in force).
    @Test func thePanelNamesTheMembersScheme() throws {
        let w = try Self.worker(members: 4, steps: 10)
        w.ensemble.round(toStep: 2)
        let problem = try EnsembleFixtures.workerFrame().problem
        func panel() throws -> String {
            let f = EnsembleWorkerFrame(generation: 1, ensemble: w.ensemble.frame(), paused: false, stopped: nil, speed: nil,
                                        rate: 0, jobs: 2, problem: problem, notice: nil)
            return try Self.screen(f)
        }
        let before = try panel()
        #expect(before.contains("dt, seed    0.05 (rk4), 1"), "\(before)")
        w.apply(.halveBeta)
        let noisy = try panel()
        #expect(noisy.contains("dt, seed    0.05 (euler, noise), 1"), "\(noisy)")
    }

    @Test func theViewKeysSwitchViewsAndCycleTheStatistic() {
        var view = ViewState()
        let e = KeyMap.handle(.character("e"), view: view)
        #expect(e.view.ensemble && e.commands.isEmpty && e.message == "ensemble view")
        view = e.view
        let back = KeyMap.handle(.character("e"), view: view)
        #expect(!back.view.ensemble && back.message == "single-run view")
        var statistics: [EnsembleStatistic] = []
        for _ in 0..<8 {
            view = KeyMap.handle(.character("h"), view: view).view
            statistics.append(EnsembleStatistic.chosen(view.statistic, size: 2, groundTruth: false))
        }
        // d = 2 without a ground truth: W12, effective and numerical rank, sigma_2/sigma_1, t_rank_1, t_rank_2; then around.
        #expect(statistics == [.effectiveRank, .numericalRank, .sigmaRatio, .rankTime(1), .rankTime(2), .w12, .effectiveRank, .numericalRank])
        #expect(EnsembleStatistic.all(size: 3, groundTruth: true).last == .error)
        #expect(!EnsembleStatistic.all(size: 3, groundTruth: true).contains(.w12))
    }

    @Test func theHistogramKeyChangesTheChartTitle() throws {
        var view = ViewState()
        view.statistic = 3  // after W12, the effective and the numerical rank: sigma_2/sigma_1
        let text = try Self.screen(try EnsembleFixtures.workerFrame(), view: view)
        #expect(text.contains("histogram sigma_2/sigma_1"), "\(text)")
    }

    static func worker(members: Int = 8, steps: Int = 40, integrator: IntegratorKind? = nil) throws -> EnsembleWorker {
        var p = Preset.named("two-by-two")!.parameters
        p.steps = steps
        if let integrator { p.integrator = integrator }
        let ensemble = try LiveEnsemble(point: p, members: members, jobs: 2)
        return EnsembleWorker(ensemble: ensemble, speed: nil, fps: 30)
    }

    static func runToEnd(_ w: EnsembleWorker) {
        while !w.ensemble.finished { w.ensemble.round(toStep: w.ensemble.nextStop(due: Int.max / 2)) }
    }

    @Test func anEditReachesEveryMemberAndAQuestionChangeRestartsThemAll() throws {
        let w = try Self.worker()
        w.ensemble.round(toStep: 10)
        w.apply(.halveBeta)  // beta is inf: halved to 1e6
        #expect(w.ensemble.steppers.allSatisfy { $0.simulation?.parameters.beta == 1e6 })
        #expect(w.ensemble.step == 10 && w.ensemble.restarts.isEmpty)
        w.apply(.depthUp)
        #expect(w.ensemble.step == 0)
        #expect(w.ensemble.point.depthText == "5")
        #expect(w.ensemble.restarts == ["step 10: N = 5"])
        // The same member seeds: member i starts where member i of a fresh ensemble at N = 5 starts.
        w.ensemble.round(toStep: 1)
        var q = w.ensemble.point
        q.member = 3
        let fresh = try Simulation(parameters: q)
        try fresh.advance()
        #expect(w.ensemble.steppers[3].simulation?.endToEnd == fresh.endToEnd)
        w.apply(.toggleVersus)
        #expect(w.ensemble.step == 1)
    }

    /// The live members are `dlntui ensemble`'s: the snapshot's summary.csv equals the command's,
    /// row for row (wall-clock column aside), after a restart at a new N.
    @Test func theLiveSummaryIsTheEnsembleCommandsRowForRow() throws {
        let binary = try #require(builtBinary(), "the dlntui binary is not beside the tests")
        let w = try Self.worker(members: 12, steps: 300)
        w.apply(.depthDown)  // N 4 -> 3, a restart
        Self.runToEnd(w)
        let live = w.ensemble.files().summary
        let dir = NSTemporaryDirectory() + "dlntui-live-ensemble-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = run([binary, "ensemble", "--preset", "two-by-two", "-N", "3", "--steps", "300", "--members", "12", "--output", dir, "--quiet"])
        #expect(r.status == 0)
        let theirs = try String(contentsOfFile: dir + "/summary.csv", encoding: .utf8)
        func dropWall(_ s: String) -> [String] { s.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") } }
        #expect(dropWall(live) == dropWall(theirs))
    }

    /// --until-converged lets members finish at their own times; --until-ci W stops the rest once
    /// the interval over the first members, all finished, is narrower than W, and not before.
    @Test func untilCIStopsTheMembersOnceTheIntervalIsNarrowEnough() throws {
        let p = Preset.named("two-by-two")!.parameters
        let ensemble = try LiveEnsemble(point: p, members: 60, untilConverged: 1e-3, jobs: 2)
        let w = EnsembleWorker(ensemble: ensemble, speed: nil, fps: 30, untilCI: 0.35, untilConverged: 1e-3)
        var widths: [Double] = []
        while w.stopped == nil && !ensemble.finished {
            ensemble.round(toStep: ensemble.nextStop(due: Int.max / 2))
            let f = ensemble.frame()
            if !f.firstFinished.isEmpty { widths.append(f.firstRankOne.width) }
            w.checkStopRule()
        }
        let f = ensemble.frame()
        #expect(w.stopped != nil)
        #expect(!f.firstFinished.isEmpty, "stopped before member 0 had finished")
        #expect(f.firstRankOne.width < 0.35, "\(f.firstRankOne)")
        // Every earlier width (over fewer first members) was not below W: it stopped at the first.
        #expect(widths.dropLast().allSatisfy { $0 >= 0.35 }, "\(widths)")
        #expect(f.running > 0, "every member had finished: the rule stopped nothing")
    }

    /// The honest warning live: euler at the preset's dt 0.05 is too large for the 2 x 2 problem's
    /// escape (the watch estimates 10-15% in sigma_1 by t = 5), and the message row says so once,
    /// naming a member; a restart watches afresh; at dt 0.001, and with the preset's own rk4 at
    /// dt 0.05, nothing is said.
    @Test func aTooLargeStepIsSaidOnceAndAgainAfterARestart() throws {
        let w = try Self.worker(members: 12, steps: 400, integrator: .euler)
        Self.runToEnd(w)
        w.sayStepWarning()
        let said = try #require(w.notice, "no notice")
        #expect(said.warning && said.text.hasPrefix("member ") && said.text.contains("dt = 0.05 is too large for this flow here"), "\(said.text)")
        w.sayStepWarning()
        #expect(w.notice?.serial == said.serial, "said twice")
        w.apply(.depthUp)  // a restart
        Self.runToEnd(w)
        w.sayStepWarning()
        #expect(w.notice?.serial != said.serial && w.notice?.text.contains("is too large") == true, "\(w.notice?.text ?? "")")

        var p = Preset.named("two-by-two")!.parameters
        p.steps = 400
        p.dt = 0.001
        p.integrator = .euler
        let fine = EnsembleWorker(ensemble: try LiveEnsemble(point: p, members: 12, jobs: 2), speed: nil, fps: 30)
        Self.runToEnd(fine)
        #expect(fine.stepWarning() == nil)
        let preset = try Self.worker(members: 12, steps: 400)
        Self.runToEnd(preset)
        #expect(preset.stepWarning() == nil, "\(preset.stepWarning() ?? "")")
    }
}
