import Testing
@testable import DLNEngine

/// A study member's steps between rows go in one call: `Simulation.advance(steps:)` must take the
/// steps `advance()` would, bit for bit, and `SaveAt.freeSteps` must stop short of every row and
/// of the end.
@Suite struct BatchedStepsTests {
    @Test("advance(steps: n) equals n calls of advance(), noiseless and noisy, euler and rk4",
          arguments: [(FlowKind.upstairs, IntegratorKind.euler), (.langevin, .euler), (.riemannian, .rk4)])
    func sameStates(flow: FlowKind, integrator: IntegratorKind) throws {
        var p = Preset.named("two-by-two")!.parameters
        p.flow = flow
        p.integrator = integrator
        if flow == .langevin { p.beta = 50 }
        let one = try Simulation(parameters: p), batched = try Simulation(parameters: p)
        for _ in 0..<137 { try one.advance() }
        try batched.advance(steps: 100)
        try batched.advance(steps: 0)
        try batched.advance(steps: 37)
        #expect(batched.stepCount == 137 && batched.time == one.time)
        #expect(batched.endToEnd.storage == one.endToEnd.storage)
        #expect(batched.lastStepSize == one.lastStepSize)
    }

    @Test("freeSteps leaves out every row step and the end; nil for a schedule in time")
    func freeSteps() {
        var p = Parameters()
        p.steps = 25
        p.every = 10
        let s = SaveAt(p)
        // From step k the next k + free steps are neither rows nor the end; the one after is.
        for k in 0..<25 {
            let free = s.freeSteps(after: k)!
            for j in stride(from: k + 1, through: k + free, by: 1) { #expect(j % 10 != 0 && j < 25) }
            let next = k + free + 1
            #expect(next % 10 == 0 || next == 25, "k=\(k) free=\(free)")
        }
        p.everyTime = 0.5
        #expect(SaveAt(p).freeSteps(after: 0) == nil)
    }
}
