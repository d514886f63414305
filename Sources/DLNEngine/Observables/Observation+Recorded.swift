extension Observation {
    /// An observation as a row file recorded it (a replay reads rows back rather than observing).
    public static func recorded(step: Int, time: Double, energy: Double, entropy: Double, freeEnergy: Double, effectiveRank: Double,
                                numericalRank: Int, stableRank: Double, balanceDefect: Double?, sigma: [Double],
                                error: Double?, errorUnobserved: Double?) -> Observation {
        Observation(step: step, time: time, energy: energy, entropy: entropy, freeEnergy: freeEnergy,
                    effectiveRank: effectiveRank, numericalRank: numericalRank, stableRank: stableRank,
                    balanceDefect: balanceDefect, sigma: sigma, error: error, errorUnobserved: errorUnobserved)
    }
}
