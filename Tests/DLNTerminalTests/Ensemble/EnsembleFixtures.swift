import DLNEngine
import DLNStudy
@testable import DLNTerminal

/// Small fixed ensembles for the ensemble view's tests: numbers written here, not simulated.
enum EnsembleFixtures {
    /// Five saved times 0 ... 4; one band whose quantiles are 1, 2, 3, 4, 5 at every time but the
    /// median, which climbs 2, 2.5, 3, 3.5, 4.
    static let band: EnsembleBand = {
        var b = EnsembleBand(name: "energy")
        b.q05 = [1, 1, 1, 1, 1]; b.q25 = [2, 2, 2, 2, 2]; b.q50 = [2, 2.5, 3, 3.5, 4]
        b.q75 = [4, 4, 4, 4, 4]; b.q95 = [5, 5, 5, 5, 5]
        return b
    }()

    /// Six members: numerical ranks 1, 1, 1, 2, 2, 0 (failed), at (1, 1), (-1, -1), (0.99, 1.01),
    /// (0.5, 0.5), (-0.2, 0.3) and one that failed.
    static let members: [MemberNow] = [
        MemberNow(status: .ok, effectiveRank: 1.0, numericalRank: 1, sigmaRatio: 0.001, error: .nan, rankTimes: [1, nil], w12: 1, w21: 1),
        MemberNow(status: .ok, effectiveRank: 1.1, numericalRank: 1, sigmaRatio: 0.01, error: .nan, rankTimes: [2, nil], w12: -1, w21: -1),
        MemberNow(status: .ok, effectiveRank: 1.2, numericalRank: 1, sigmaRatio: 0.04, error: .nan, rankTimes: [1.5, nil], w12: 0.99, w21: 1.01),
        MemberNow(status: .ok, effectiveRank: 1.9, numericalRank: 2, sigmaRatio: 0.5, error: .nan, rankTimes: [0.5, 3], w12: 0.5, w21: 0.5),
        MemberNow(status: nil, effectiveRank: 2.0, numericalRank: 2, sigmaRatio: 0.9, error: .nan, rankTimes: [0.5, 0.5], w12: -0.2, w21: 0.3),
        MemberNow(status: .diverged, effectiveRank: .nan, numericalRank: -1, sigmaRatio: .nan, error: .nan, rankTimes: [nil, nil]),
    ]

    static func frame() -> EnsembleFrame {
        var p = Preset.named("two-by-two")!.parameters
        p.steps = 4
        p.dt = 1
        var sigma1 = band, sigma2 = band, erank = band
        sigma1.name = "sigma_1"; sigma2.name = "sigma_2"; erank.name = "effective_rank"
        sigma2.q05 = sigma2.q05.map { $0 / 100 }; sigma2.q25 = sigma2.q25.map { $0 / 100 }; sigma2.q50 = sigma2.q50.map { $0 / 100 }
        sigma2.q75 = sigma2.q75.map { $0 / 100 }; sigma2.q95 = sigma2.q95.map { $0 / 100 }
        return EnsembleFrame(parameters: p, size: 2, step: 4, time: 4, times: [0, 1, 2, 3, 4],
                             bands: [band, erank, sigma1, sigma2], members: members)
    }

    static func workerFrame() throws -> EnsembleWorkerFrame {
        let problem = try Simulation(parameters: Preset.named("two-by-two")!.parameters).problem
        return EnsembleWorkerFrame(generation: 1, ensemble: frame(), paused: false, stopped: nil, speed: 400, rate: 1234,
                                   jobs: 2, problem: problem, notice: nil)
    }
}
