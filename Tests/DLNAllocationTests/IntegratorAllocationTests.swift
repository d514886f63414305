import DLNEngine
import Testing

/// The higher-order integrators' steps allocate nothing either, once their stage buffers exist
/// (dopri5 included, with its rejections, FSAL and clipping to a landing time).
@Suite(.serialized)
struct IntegratorAllocationTests {
    static let cases: [(FlowKind, IntegratorKind, Int)] = [FlowKind.riemannian, .upstairs, .freeEnergy, .buresWasserstein].flatMap { flow in
        [IntegratorKind.heun, .rk4, .dopri5].flatMap { method in [4, 16].map { (flow, method, $0) } }
    }

    @Test("heun, rk4 and dopri5 steps allocate nothing", arguments: cases)
    func noAllocations(_ c: (FlowKind, IntegratorKind, Int)) throws {
        var p = Parameters()
        p.flow = c.0
        p.depth = c.0 == .buresWasserstein ? 2 : 3
        p.size = c.2
        p.targetRank = 2
        p.initialization = .balanced
        p.initScale = 1
        p.beta = c.0 == .freeEnergy ? 50 : .infinity
        p.integrator = c.1
        p.dt = 1e-2
        let sim = try Simulation(parameters: p)
        for _ in 0..<3 { try sim.advance() }
        let calls = try mallocCalls {
            for k in 0..<20 { try sim.advance(landingAt: k % 4 == 0 ? sim.time + 1e-3 : nil) }
        }
        #expect(calls == 0, "\(c.0.rawValue) \(c.1.rawValue) d=\(c.2): \(calls) allocator calls in 20 steps")
    }
}
