/// The free energy landscape (the paper's 14.2): whether F_beta = E - S/beta (6.6) has a minimum.
/// For (14.1)'s energy it has none: along W = [[1, t], [0, 1]] the energy is 0 while sigma_1 ~ t,
/// sigma_1 sigma_2 = 1 and C_12 ~ t^(2 - 2/N), so S = 1/2 log C_12 grows without bound and F_beta
/// is unbounded below for every finite beta and N >= 2 (checked numerically in LandscapeTests).
/// A flow that descends F_beta then runs off along the unobserved entries: that is the answer,
/// not a numerical failure. A denoising energy 1/2 ||W - A||^2 grows like sigma_1^2 while S grows
/// like log sigma_1: there F_beta is bounded below.
public enum Landscape {
    /// Whether the run's limits are governed by F_beta at a finite beta: free-energy descent, the
    /// Langevin flows, and the upstairs flow with noise.
    public static func descendsFreeEnergy(_ p: Parameters) -> Bool {
        guard p.beta.isFinite else { return false }
        switch p.flow {
        case .freeEnergy, .langevin, .rleUpstairs, .upstairs: return true
        case .riemannian, .buresWasserstein, .dyson: return false
        }
    }

    /// True where F_beta is known to be unbounded below and the flow descends it: (14.1)'s energy at
    /// N >= 2 (N = 1 has S = 0, so F = E).
    public static func unboundedBelow(_ p: Parameters) -> Bool {
        p.energy == .twoByTwo && p.depth.value >= 2 && descendsFreeEnergy(p)
    }

    /// What the interface says about such a run.
    public static let message = "F_beta is unbounded below for (14.1)'s energy (E = 0 along W = [[1, t], [0, 1]] while S grows like (1 - 1/N) log t): W runs off along the unobserved w12, w21; this is the answer, not a numerical failure"
}
