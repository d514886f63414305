/// One line per preset with every parameter it sets (`dlntui presets`, README).
public enum PresetListing {
    /// Shortest round-tripping form: 0.05, not 0.050000000000000003.
    static func short(_ x: Double) -> String {
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }

    public static func line(_ preset: Preset) -> String {
        let p = preset.parameters
        var fields = [
            "energy=\(p.energy.rawValue)", "flow=\(p.flow.rawValue)", "d=\(p.size)", "N=\(p.depthText)", "time-scale=\(p.effectiveTimeScale.rawValue)",
            "beta=\(short(p.beta))", "kappa=\(short(p.kappa))", "integrator=\(p.integrator.rawValue)",
        ] + (p.integrator.isAdaptive ? ["rtol=\(short(p.rtol))", "atol=\(short(p.atol))"] : []) + [
            "dt=\(short(p.dt))",
        ] + (p.untilTime.map { ["until-time=\(short($0))"] } ?? []) + (p.everyTime.map { ["every-time=\(short($0))"] } ?? []) + [
            // With a time horizon, steps and every are what --dt alone runs (euler at that dt).
            "steps=\(p.steps)", "every=\(p.every)", "init=\(p.initialization.rawValue)",
            "init-scale=\(short(p.initScale))", "target-rank=\(p.targetRank)",
        ]
        if p.energy == .completion { fields.append("observed=\(short(p.observed))") }
        if p.energy == .denoise { fields.append("noise=\(short(p.noise))") }
        if p.energy == .sensing { fields.append("measurements=\(p.measurementCount)") }
        fields.append("rank-tol=\(short(p.rankTol))")
        fields.append("seed=\(p.seed)")
        fields.append("speed=" + (p.speed.map { "\(short($0))" + (p.pacesTime ? "t/s" : "/s") } ?? "unlimited"))
        // A comparison preset's runs, as --compare takes them (';' between configurations).
        if !preset.compare.isEmpty { fields.append("compare=" + preset.compare.joined(separator: ";")) }
        if let m = preset.members { fields.append("members=\(m)") }
        return preset.name.padding(toLength: 17, withPad: " ", startingAt: 0) + " " + fields.joined(separator: " ")
            + "  # " + preset.shows
    }
}
