/// How the factors (and so the end-to-end W) start.
public enum InitKind: String, CaseIterable, Sendable {
    /// (5.16): singular values of W uniform in [0.5, 1.5] x init scale, Lambda = Sigma^(1/N),
    /// Haar-random orthogonal frames.
    case balanced
    /// Every factor Gaussian with standard deviation initScale^(1/N) d^(-1/2) (Arora, Cohen, Hu, Luo 2019),
    /// so ||W||_F is about initScale sqrt(d) whatever N.
    case small
    /// W = diag(x), x evenly spaced on [-initScale, initScale] (x = 0 at d = 1), factored in balance
    /// (5.16): a deterministic start with distinct eigenvalues for the dyson flow. Its singular values
    /// |x| come in equal pairs, so Lemma 1's entropy is -inf there for the DLN flows.
    case evenlySpaced = "evenly-spaced"
}

/// An invalid parameter: names the flag and what it accepts.
public struct ParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    public let flag: String
    public let accepted: String
    public let given: String

    public init(flag: String, accepted: String, given: String) {
        self.flag = flag
        self.accepted = accepted
        self.given = given
    }

    public var description: String { "invalid value '\(given)' for \(flag): expected \(accepted)" }
}

/// Every parameter of a run, after preset and flags. Live edits (beta, kappa, N, dt, flow) change
/// these on a running simulation without restarting it.
public struct Parameters: Equatable, Sendable {
    public static let maxSize = 1024
    public static let maxDepth = 1000

    public var preset: String? = nil
    public var energy: EnergyKind = .completion
    public var flow: FlowKind = .upstairs
    /// Width d of every factor.
    public var size: Int = 12
    /// Depth N: the number of factors, or N = inf (downstairs flows only).
    public var depth: Depth = 3
    /// Whether the generator is divided by N; N = inf implies `.depth`.
    public var timeScale: TimeScale = .plain
    /// Inverse temperature; `.infinity` is the noiseless flow.
    public var beta: Double = .infinity
    /// Ratio of the noise's temperature to the entropy's (12.12).
    public var kappa: Double = 0
    public var dt: Double = 0.05
    /// The stepping scheme; `dt` is its step (euler, heun, rk4) or its first step (dopri5).
    public var integrator: IntegratorKind = .euler
    /// The adaptive method's relative and absolute tolerances (`--rtol`, `--atol`).
    public var rtol: Double = 1e-6
    public var atol: Double = 1e-9
    /// How the riemannian flow is held while stepped (`--lift`): its balanced factors or W itself.
    public var lift: Lift = .auto
    /// Accepted steps to take (when `untilTime` is nil), and a row every `every` accepted steps
    /// (when `everyTime` is nil).
    public var steps: Int = 4000
    public var every: Int = 10
    /// End exactly at t = untilTime (replaces `steps`).
    public var untilTime: Double? = nil
    /// A row at every multiple of everyTime (replaces `every`); steps are shortened to land on them.
    public var everyTime: Double? = nil
    public var untilEnergy: Double? = nil
    public var seed: UInt64 = 1
    /// Member i of a study of seed S (`--member`): the start and the noise come from member i's seed
    /// (`MemberSeed`), the problem still from S. nil for a run outside a study.
    public var member: Int? = nil
    public var initialization: InitKind = .small
    public var initScale: Double = 1e-3
    /// Fraction of entries observed (completion).
    public var observed: Double = 0.5
    public var targetRank: Int = 3
    /// Standard deviation of each noise entry times sqrt(d) (denoise), so the noise's spectral norm is about 2 x noise.
    public var noise: Double = 0
    /// Number of Gaussian measurements (sensing); nil means 4 d r.
    public var measurements: Int? = nil
    /// Numerical rank counts sigma_k > rankTol x the problem's scale.
    public var rankTol: Double = 1e-2
    public var targetPath: String? = nil
    public var maskPath: String? = nil
    public var initialPath: String? = nil
    /// Interactive speed in steps per second; nil = unlimited.
    public var speed: Double? = nil
    /// The flags the user gave ("-d", "--target", ...), so a data file or a flag that cannot apply
    /// is refused rather than ignored; empty for parameters built in code.
    public var givenFlags: Set<String> = []

    public init() {}

    public var tolerances: Tolerances { Tolerances(relative: rtol, absolute: atol) }

    /// Whether the flow must be stepped by Euler-Maruyama whatever the integrator asked (noise, or
    /// a scheme that is part of the flow's definition).
    public var keepsEuler: Bool { flow.isEulerOnly || flow.hasDiffusion(beta: beta, kappa: kappa) }

    /// The scheme that steps the flow: the integrator asked, or euler where `keepsEuler`.
    public var stepping: IntegratorKind { keepsEuler ? .euler : integrator }

    /// Whether the run steps the riemannian flow in its balanced factors (Theorem 2): `--lift balanced`,
    /// or `auto` under heun, rk4 and dopri5 (where it measurably helps: bench/accuracy.py); never at
    /// N = inf (no factors) nor for another flow.
    public var stepsBalancedFactors: Bool {
        guard flow == .riemannian, !isInfiniteDepth else { return false }
        switch lift {
        case .balanced: return true
        case .ambient: return false
        case .auto: return integrator != .euler
        }
    }

    /// What is stepped, as the panel and the sidecar name it.
    public var steppedText: String {
        if stepsBalancedFactors { return "balanced factors W_N...W_1" }
        if flow.isUpstairs { return "factors W_N...W_1" }
        return flow == .buresWasserstein ? "W_1 (W = W_1^T W_1)" : flow == .dyson ? "M" : "W"
    }

    /// Why `--lift balanced` does not apply to this run (nil where it does, or was not asked for).
    public var liftFallback: String? {
        guard lift == .balanced else { return nil }
        switch flow {
        case .riemannian: break
        case .upstairs, .rleUpstairs, .buresWasserstein: return "the \(flow.rawValue) flow steps its factors already"
        case .freeEnergy, .langevin:
            return "the \(flow.rawValue) flow's entropic force is not the image of an upstairs force (Theorem 2 does not hold)"
        case .dyson: return "the dyson flow has no factors"
        }
        return isInfiniteDepth ? "N = inf has no factors" : nil
    }

    public var measurementCount: Int { measurements ?? 4 * size * targetRank }

    public var isInfiniteDepth: Bool { depth.isInfinite }

    /// The time scale in force: N = inf is always depth-normalised.
    public var effectiveTimeScale: TimeScale { isInfiniteDepth ? .depth : timeScale }

    /// N as a user writes it.
    public var depthText: String { depth.description }

    /// Checks every bound; the first violation is thrown, naming its flag.
    public func validate() throws(ParameterError) {
        func check(_ ok: Bool, _ flag: String, _ accepted: String, _ given: CustomStringConvertible) throws(ParameterError) {
            if !ok { throw ParameterError(flag: flag, accepted: accepted, given: (given as? Double).map(NumberFormat.short) ?? "\(given)") }
        }
        try check(size >= 1 && size <= Self.maxSize, "-d", "an integer in 1...\(Self.maxSize)", size)
        switch depth {
        case .infinite:
            try check(!flow.needsFiniteDepth, "-N", "an integer in 1...\(Self.maxDepth) for the \(flow.rawValue) flow (inf is for the downstairs flows)", "inf")
        case .finite(let n):
            try check(n >= 1 && n <= Self.maxDepth, "-N", "an integer in 1...\(Self.maxDepth), or inf", n)
            // The upstairs state holds N d x d factors, several times over in the integrator's buffers.
            let bytes = 48 * Double(n) * Double(size) * Double(size)
            try check(!flow.isUpstairs || bytes <= 8e9, "-N", "at most \(Int(8e9 / (48 * Double(size) * Double(size)))) at d = \(size) for an upstairs flow (memory)", n)
        }
        if let fixed = flow.fixedDepth { try check(depth == .finite(fixed), "-N", "\(fixed) for the \(flow.rawValue) flow", depth) }
        try check(beta > 0 && !beta.isNaN, "--beta", "a number > 0, or inf", beta)
        try check(kappa >= 0 && kappa.isFinite, "--kappa", "a finite number >= 0", kappa)
        try check(dt > 0 && dt.isFinite, "--dt", "a finite number > 0", dt)
        try check(rtol > 0 && rtol.isFinite, "--rtol", "a finite number > 0", rtol)
        try check(atol > 0 && atol.isFinite, "--atol", "a finite number > 0", atol)
        // Refused when asked for (--integrator);
        // a preset's or a sidecar's dopri5 on a flow made noisy by other flags or a live edit is
        // stepped by Euler-Maruyama meanwhile (Simulation.steppingIntegrator), as live.
        if integrator != .euler && givenFlags.contains("--integrator") {
            try check(!flow.isEulerOnly, "--integrator",
                      "euler for the \(flow.rawValue) flow (its scheme is part of its definition)", integrator.rawValue)
            try check(!flow.hasDiffusion(beta: beta, kappa: kappa), "--integrator",
                      "euler for the \(flow.rawValue) flow with noise (beta = \(NumberFormat.g17(beta)), kappa = \(NumberFormat.g17(kappa))): only Euler-Maruyama is implemented for a diffusion", integrator.rawValue)
        }
        if givenFlags.contains("--lift"), let why = liftFallback {
            try check(false, "--lift", "none or auto here: \(why)", lift.rawValue)
        }
        if let u = untilTime { try check(u > 0 && u.isFinite, "--until-time", "a finite number > 0", u) }
        if let h = everyTime { try check(h > 0 && h.isFinite, "--every-time", "a finite number > 0", h) }
        // A row at every multiple of H up to T: T / H rows, each step shortened to land on them.
        if let u = untilTime, let h = everyTime, u > 0, h > 0 {
            try check(u / h <= 1e9, "--every-time", "at least --until-time / 1e9 (\(NumberFormat.short(u / 1e9))): at most 1e9 rows", h)
        }
        try check(steps >= 0, "--steps", "an integer >= 0", steps)
        if let m = member { try check(m >= 0, "--member", "an integer >= 0", m) }
        try check(every >= 1, "--every", "an integer >= 1", every)
        // Every energy is a sum of squares (E >= 0): a threshold <= 0 is never crossed.
        if let u = untilEnergy { try check(u > 0 && u.isFinite, "--until-energy", "a finite number > 0 (E >= 0)", u) }
        try check(initScale > 0 && initScale.isFinite, "--init-scale", "a finite number > 0", initScale)
        try check(observed > 0 && observed <= 1, "--observed", "a fraction in (0, 1]", observed)
        try check(targetRank >= 1 && targetRank <= size, "--target-rank", "an integer in 1...d (d = \(size))", targetRank)
        try check(noise >= 0 && noise.isFinite, "--noise", "a finite number >= 0", noise)
        if let m = measurements { try check(m >= 1 && m <= 10_000_000, "--measurements", "an integer in 1...10000000", m) }
        try check(rankTol > 0 && rankTol.isFinite, "--rank-tol", "a finite number > 0", rankTol)
        if energy == .twoByTwo { try check(size == 2, "-d", "2 for the two-by-two energy", size) }
        if let s = speed { try check(s > 0 && s.isFinite, "--speed", "a number of steps per second > 0", s) }
        // The measurement matrix holds m d^2 numbers; refuse what cannot fit in memory.
        if energy == .sensing {
            let entries = Double(measurementCount) * Double(size) * Double(size)
            try check(entries <= 2e8, "--measurements", "at most 2e8 / d^2 measurements at d = \(size)", measurementCount)
        }
    }
}
