import DLNEngine

/// `dlntui bench`: integration speed on one fixed problem that other implementations can run too
/// (bench/baseline.py): completion, rank-2 target of spectral norm 1, 40% observed, a balanced start
/// with singular values uniform in [0.5, 1.5], dt = 1e-3; beta = 1e4 and kappa = 1 for the flows that
/// use them (langevin, free-energy); the upstairs flow runs noiseless.
public enum Bench {
    public static func problem(flow: FlowKind, size d: Int, depth n: Int, integrator: IntegratorKind = .euler) -> Parameters {
        var p = Parameters()
        p.energy = .completion
        p.flow = flow
        p.size = d
        p.depth = .finite(n)
        p.targetRank = min(2, d)
        p.observed = 0.4
        p.initialization = .balanced
        p.initScale = 1
        p.dt = 1e-3
        p.beta = flow == .upstairs ? .infinity : 1e4
        p.kappa = flow == .langevin ? 1 : 0
        p.seed = 1
        p.integrator = integrator
        return p
    }

    /// Median (accepted) steps per second over `repeats` timed runs of `steps` steps each, after
    /// warm-up. Nothing is printed or allocated by the caller inside the timed loop.
    public static func stepsPerSecond(flow: FlowKind, size d: Int, depth n: Int, steps: Int?, repeats: Int,
                                      integrator: IntegratorKind = .euler) throws -> Double {
        let sim = try Simulation(parameters: problem(flow: flow, size: d, depth: n, integrator: integrator))
        // Warm up: caches, workspaces, the first BLAS calls; and size the run to ~0.2 s if not given.
        let warmStart = Monotonic.now()
        var warm = 0
        while warm < 5 || (Monotonic.now() - warmStart < 0.05 && warm < 100_000) {
            try sim.advance()
            warm += 1
        }
        let perStep = (Monotonic.now() - warmStart) / Double(warm)
        let count = steps ?? max(10, Int(0.2 / max(perStep, 1e-9)))
        var rates: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = Monotonic.now()
            for _ in 0..<count { try sim.advance() }
            rates.append(Double(count) / (Monotonic.now() - start))
        }
        return median(rates)
    }

    public static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
    }
}

extension Bench {
    /// The machine's bare rate for d x d products through `BLAS.gemm` (cblas_dgemm above the small-size
    /// cut-off), in GFLOP/s counting 2 d^3 flops a product: the ceiling for the upstairs step.
    public static func gemmGigaflops(size d: Int, repeats: Int) -> Double {
        var rng = Xoshiro256(seed: 7)
        let a = rng.gaussianMatrix(rows: d, cols: d)
        let b = rng.gaussianMatrix(rows: d, cols: d)
        var c = Matrix.zeros(d)
        let flops = 2 * Double(d) * Double(d) * Double(d)
        var count = 1
        // Size each repeat to about 0.1 s.
        while true {
            let start = Monotonic.now()
            for _ in 0..<count { BLAS.gemm(a, b, beta: 1, into: &c) }
            let elapsed = Monotonic.now() - start
            if elapsed > 0.05 || count > 1 << 26 { count = max(1, Int(Double(count) * 0.1 / elapsed)); break }
            count *= 4
        }
        var rates: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = Monotonic.now()
            for _ in 0..<count { BLAS.gemm(a, b, beta: 1, into: &c) }
            rates.append(flops * Double(count) / (Monotonic.now() - start) / 1e9)
        }
        return median(rates)
    }
}
