/// A preset's accurate default and its fixed-step form. Explicit Euler at a preset's dt misplaced the
/// downstairs curves by up to orders of magnitude in the small singular values (issue evidence:
/// sigma_3 of the completion problem at t = 400 was 0.276 at dt 0.1 against 0.0028 converged), so
/// the presets without noise integrate with error control and say how far in time they go; `steps`
/// and `every` keep the fixed-step horizon that `--dt` alone still asks for.
extension Parameters {
    /// dopri5 at rtol 1e-8, atol 1e-12 up to t = untilTime, a row at every multiple of everyTime,
    /// shown live at timePerSecond units of simulated time per second. Why 1e-8 and 1e-12, not the
    /// flags' 1e-6 and 1e-9: the downstairs flows step W itself, whose entries start near the start's
    /// scale (1e-5 in completion), and at 1e-6/1e-9 their rank jumps came out 1% off (sigma_3 of
    /// completion's riemannian flow at t = 1530 against rtol 1e-10); at 1e-8/1e-12 every sigma above
    /// the rank tolerance is within about 1e-4 of the rtol 1e-10 curve at every row, for about 30%
    /// more steps (PresetAccuracyTests).
    mutating func adaptiveDefaults(untilTime: Double, everyTime: Double, timePerSecond: Double) {
        integrator = .dopri5
        rtol = 1e-8
        atol = 1e-12
        self.untilTime = untilTime
        self.everyTime = everyTime
        speed = timePerSecond
    }

    /// Whether `speed` counts simulated time per second rather than steps: an adaptive method
    /// chooses its steps, so only time has a meaning the user can ask for.
    public var pacesTime: Bool { integrator.isAdaptive && !keepsEuler }

    /// What `--dt` given without `--integrator` means on a preset: euler at that dt, for the
    /// preset's `steps` and `every` (the rows such a command wrote before the presets had time
    /// horizons). The speed is left alone: `speed(of:for:)` converts it.
    public mutating func useFixedStep() {
        integrator = .euler
        untilTime = nil
        everyTime = nil
    }

    /// A preset's dopri5 (or two-by-two's rk4) on a flow the flags made noisy (`--flow langevin
    /// --beta 20` on the default preset): Euler-Maruyama is the scheme for a diffusion, so the run
    /// steps euler at the preset's dt rather than being refused for an integrator the user never
    /// asked for; the horizons stay.
    public mutating func useEulerForNoise() {
        guard keepsEuler && integrator != .euler else { return }
        integrator = .euler
    }

    /// A preset's speed in the unit of the run the flags made of it: the same simulated time per
    /// second when one paces time and the other steps (steps/s = t/s / dt).
    public static func speed(of preset: Parameters, for p: Parameters) -> Double? {
        preset.pacesTime == p.pacesTime ? preset.speed : convertSpeed(preset.speed, toTime: p.pacesTime, step: p.dt)
    }

    /// The same speed in the other unit, for a live change between a fixed and an adaptive step
    /// (`step` is the fixed step in force).
    public static func convertSpeed(_ speed: Double?, toTime: Bool, step: Double) -> Double? {
        // A speed past any the machine can do (dt 1e-320: 2e322 steps/s) is unlimited.
        speed.flatMap { s in
            let v = toTime ? s * step : s / step
            return v.isFinite && v > 0 ? v : nil
        }
    }
}
