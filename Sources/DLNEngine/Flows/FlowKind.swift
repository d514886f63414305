/// The registry of flows (`--flow`): adding a flow is one file and one case here.
public enum FlowKind: String, CaseIterable, Sendable {
    case upstairs
    case riemannian
    case freeEnergy = "free-energy"
    case langevin
    case rleUpstairs = "rle-upstairs"
    case buresWasserstein = "bures-wasserstein"
    /// The Hermitian lift of Dyson Brownian motion (11.4); N is ignored.
    case dyson

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public var isUpstairs: Bool {
        switch self {
        case .upstairs, .rleUpstairs: return true
        case .riemannian, .freeEnergy, .langevin, .buresWasserstein, .dyson: return false
        }
    }

    /// The one N a flow runs at, if it has one: bures-wasserstein is the N = 2 flow with
    /// W_2 = W_1^T (Remark 9). Every place that fixes N asks this.
    public var fixedDepth: Int? { self == .buresWasserstein ? 2 : nil }

    /// Flows of the N factors, for which N = inf has no meaning.
    public var needsFiniteDepth: Bool { isUpstairs || self == .buresWasserstein }

    /// Whether the flow has a diffusion at these knobs: what each flow's `hasDiffusion` answers.
    /// The orbit noise of rle-upstairs is there at every finite beta, even at kappa = 0; the
    /// tangential noise of dyson at every beta.
    public func hasDiffusion(beta: Double, kappa: Double) -> Bool {
        switch self {
        case .upstairs, .rleUpstairs: return beta.isFinite
        case .langevin: return beta.isFinite && kappa > 0
        case .dyson: return true
        case .riemannian, .freeEnergy, .buresWasserstein: return false
        }
    }

    /// Flows whose scheme is part of their definition (a projected random walk with a retraction,
    /// MATH.md 2.5; the Hermitian lift re-Hermitised every step): only Euler-Maruyama steps them.
    public var isEulerOnly: Bool { self == .rleUpstairs || self == .dyson }

    /// `lifted`: the riemannian flow stepped in its balanced factors (`Parameters.stepsBalancedFactors`).
    public func make(energy: any Energy, knobs: FlowKnobs, lifted: Bool = false) -> any Flow {
        if lifted && self == .riemannian { return BalancedRiemannianFlow(energy: energy, knobs: knobs) }
        switch self {
        case .upstairs: return UpstairsGradientFlow(energy: energy, knobs: knobs)
        case .riemannian: return DownstairsFlow.riemannian(energy: energy, knobs: knobs)
        case .freeEnergy: return DownstairsFlow.freeEnergy(energy: energy, knobs: knobs)
        case .langevin: return DownstairsFlow.langevin(energy: energy, knobs: knobs)
        case .rleUpstairs: return RLEUpstairsFlow(energy: energy, knobs: knobs)
        case .buresWasserstein: return BuresWassersteinFlow(energy: energy, knobs: knobs)
        case .dyson: return DysonFlow(size: energy.size, knobs: knobs)
        }
    }

    /// The next flow in the list (the interface's `f` key).
    public var next: FlowKind {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// The `f` cycle for a run of this energy: dyson only where the energy is the dyson preset's
    /// (denoise, a placeholder the eigenvalue loss replaces); headless refuses the dyson flow with
    /// any other energy, so the live interface does not offer it either.
    public func next(energy: EnergyKind) -> FlowKind {
        let n = next
        return n == .dyson && !Self.dysonFits(energy) ? n.next : n
    }

    /// Whether the dyson flow can take over a run of this energy.
    public static func dysonFits(_ energy: EnergyKind) -> Bool { energy == .denoise }
}
