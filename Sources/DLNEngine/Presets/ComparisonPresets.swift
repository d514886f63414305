/// The comparison presets: one problem and one start, several configurations side by side.
extension Preset {
    /// Arora, Cohen, Hu and Luo (2019): depth as an implicit bias towards low rank. The seed's
    /// rank-2 10 x 10 target from half its entries (36 degrees of freedom, 50 entries), factors
    /// from 1e-4: at t = 1000 (`dlntui run -N k`, seed 1) N = 1 fits the observed entries and
    /// leaves the rest at the start (error 0.717, effective rank 6.10), N = 2 fills them in
    /// part (0.320, 2.92), N = 3 recovers the target (error 0.0009, effective rank 2.00); N = 3 is
    /// below 0.01 from t = 300 to t = 8000 and at dt = 0.1 too (DepthPresetTests pins it).
    static let depth: Preset = {
        var p = Parameters()
        p.preset = "depth"
        p.energy = .completion; p.flow = .upstairs; p.size = 10; p.depth = 3
        p.beta = .infinity; p.kappa = 0; p.targetRank = 2; p.observed = 0.5
        p.initialization = .small; p.initScale = 1e-4; p.dt = 0.2; p.steps = 5000; p.every = 20
        // dopri5: euler at dt 0.2 was 27% off in sigma_1 at N = 2 (t = 4) and 24% at N = 3 (t = 32).
        p.adaptiveDefaults(untilTime: 1000, everyTime: 4, timePerSecond: 100)
        return Preset(name: "depth", shows: "one completion problem (rank 2, half the entries) at N = 1, 2, 3 side by side (Arora, Cohen, Hu and Luo 2019): N = 1 fits the observed entries only (error 0.72, effective rank 6.1), N = 3 recovers the target (error below 0.01, effective rank 2.0)",
                      parameters: p, compare: ["N=1", "N=2", "N=3"])
    }()

    /// The paper's 14.2 on (14.1)'s energy: free-energy descent at beta = 2, N = 2 runs off
    /// (sigma_1 about 0.47 t, E -> 0, F falling like -log t / 4), since F_beta has no minimum there
    /// (`Landscape`); beside it denoising (the seed's rank-1 2 x 2 target), where F_beta is bounded
    /// below and the run settles. dopri5, because the run-off stiffens the flow (C_kk ~ sigma^(2-2/N)):
    /// a fixed step would end in a refused step that is not the point.
    static let landscape: Preset = {
        var p = Parameters()
        p.preset = "landscape"
        p.energy = .twoByTwo; p.flow = .freeEnergy; p.size = 2; p.depth = 2
        p.beta = 2; p.kappa = 0; p.targetRank = 1; p.noise = 0
        p.initialization = .small; p.initScale = 1e-2; p.dt = 0.05; p.integrator = .dopri5
        p.steps = 6000; p.every = 10
        p.speed = 600
        return Preset(name: "landscape", shows: "free-energy descent on (14.1)'s energy running off along the unobserved w12, w21 (F_beta unbounded below: the answer, not a numerical failure) beside a denoising energy, where F_beta is bounded below and the run settles (14.2)",
                      parameters: p, compare: ["energy=two-by-two", "energy=denoise"])
    }()
}
