import DLNEngine

/// `dlntui bench --until-time T`: whole integrations from t = 0 to T timed inside the process, so
/// that a comparison with another integrator (scipy's `solve_ivp` in bench/accuracy.py) times the
/// same thing on both sides: the steps alone, not the start-up or the reading of the data files.
public enum BenchIntegration {
    public struct Result {
        /// The median wall time of one integration to T, in seconds.
        public var seconds: Double
        public var evaluations: Int
        public var steps: Int
        public var rejected: Int
        /// The singular values of W(T), descending.
        public var sigma: [Double]
    }

    /// Sets every repeat up outside the timer (problem, start, the flow's buffers), then times the
    /// steps to T; every repeat integrates the same problem from the same start to the same result.
    public static func run(_ p: Parameters, until t: Double, repeats: Int) throws -> Result {
        var times: [Double] = []
        var last: Simulation? = nil
        for _ in 0..<max(1, repeats) {
            let sim = try Simulation(parameters: p)
            let start = Monotonic.now()
            while !(try sim.advance(landingAt: t)) {}
            times.append(Monotonic.now() - start)
            last = sim
        }
        let sim = last!
        let o = try sim.observe()
        let stepper = sim.steppingIntegrator
        return Result(seconds: Bench.median(times), evaluations: stepper.evaluations, steps: sim.stepCount,
                      rejected: stepper.rejectedSteps, sigma: o.sigma)
    }
}
