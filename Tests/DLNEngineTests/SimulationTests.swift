import Foundation
import Testing
@testable import DLNEngine

/// The wiring of a run: reproducibility, shared starts, live edits, refused steps.
@Suite("Simulation")
struct SimulationTests {
    private func parameters(_ flow: FlowKind, seed: UInt64 = 5) -> Parameters {
        var p = Parameters()
        p.energy = .completion; p.size = 6; p.depth = 3; p.targetRank = 2; p.observed = 0.6
        p.flow = flow; p.seed = seed; p.dt = 0.02
        p.initialization = .small; p.initScale = 0.1
        return p
    }

    @Test("the same seed and parameters give bit-identical observations after 50 steps",
          arguments: [(FlowKind.upstairs, 1.0 / 0), (.upstairs, 50), (.riemannian, 1.0 / 0), (.freeEnergy, 20), (.langevin, 20)])
    func reproducible(flow: FlowKind, beta: Double) throws {
        var p = parameters(flow)
        p.beta = beta; p.kappa = 1
        if flow != .upstairs { p.initialization = .balanced; p.initScale = 0.5 }
        let a = try Simulation(parameters: p), b = try Simulation(parameters: p)
        for _ in 0..<50 { try a.advance(); try b.advance() }
        #expect(a.state == b.state)
        #expect(try a.observe() == b.observe())
        #expect(a.stepCount == 50 && abs(a.time - 50 * p.dt) < 1e-12)
        // A different seed is a different run.
        p.seed += 1
        let c = try Simulation(parameters: p)
        for _ in 0..<50 { try c.advance() }
        #expect(c.state != a.state)
    }

    @Test("every flow of a seed starts from the same end-to-end W", arguments: [InitKind.small, .balanced])
    func sharedStart(initialization: InitKind) throws {
        var p = parameters(.upstairs)
        p.initialization = initialization
        let reference = try Simulation(parameters: p).endToEnd
        #expect(Ref.relativeError(reference, Ref.endToEnd(try Simulation(parameters: p).state.parts)) < 1e-14)
        // Bures-Wasserstein lives on PSD matrices: it starts from the PSD part of the symmetrised W;
        // dyson on Hermitian matrices: it starts from M = (W + W^T)/2 and shows Re M.
        let dyson = try Simulation(parameters: { var q = p; q.flow = .dyson; return q }())
        #expect(dyson.endToEnd == 0.5 * (reference + reference.transposed))
        for flow in FlowKind.allCases where flow != .buresWasserstein && flow != .dyson {
            p.flow = flow
            let sim = try Simulation(parameters: p)
            #expect(Ref.relativeError(sim.endToEnd, reference) < 1e-14, "\(flow)")
            #expect(sim.state.parts.count == (flow.isUpstairs ? p.depth.storedFactors : 1))
        }
    }

    @Test("setDepth keeps W; upstairs the new factors are balanced", arguments: [1, 2, 5, 8])
    func setDepthUpstairs(newDepth: Int) throws {
        let sim = try Simulation(parameters: parameters(.upstairs))
        for _ in 0..<40 { try sim.advance() }
        let w = sim.endToEnd
        #expect(sim.balanceDefects().reduce(0, +) > 1e-6, "a small Gaussian start is not balanced")
        try sim.apply(.depth(.finite(newDepth)))
        #expect(sim.state.parts.count == newDepth)
        #expect(sim.parameters.depth == .finite(newDepth) && sim.flow.knobs.depth == .finite(newDepth))
        #expect(Ref.relativeError(Ref.endToEnd(sim.state.parts), w) < 1e-12)
        let scale = pow(w.frobeniusNorm, 2 / Double(newDepth))
        #expect(sim.balanceDefects().allSatisfy { $0 < 1e-12 * scale }, "defects \(sim.balanceDefects())")
        // The run continues at the new depth.
        try sim.advance()
        #expect(sim.state.parts.count == newDepth)
        #expect(sim.edits.last?.parameter == "N")
    }

    @Test("setDepth downstairs leaves W untouched and changes the geometry")
    func setDepthDownstairs() throws {
        var p = parameters(.freeEnergy)
        p.beta = 10; p.initialization = .balanced; p.initScale = 0.5
        let sim = try Simulation(parameters: p)
        for _ in 0..<10 { try sim.advance() }
        let before = sim.state
        let s3 = try sim.observe().entropy
        try sim.apply(.depth(6))
        #expect(sim.state == before)
        let s6 = try sim.observe().entropy
        #expect(abs(s6 - Lemma1.entropy(try SVD.of(sim.endToEnd).sigma, depth: 6)) < 1e-12)
        #expect(s6 != s3)
    }

    @Test("setFlow keeps W and factors it in balance going upstairs")
    func setFlow() throws {
        var p = parameters(.riemannian)
        p.initialization = .balanced; p.initScale = 0.5
        let sim = try Simulation(parameters: p)
        for _ in 0..<10 { try sim.advance() }
        let w = sim.endToEnd
        try sim.apply(.flow(.upstairs))
        #expect(sim.state.parts.count == 3)
        #expect(Ref.relativeError(Ref.endToEnd(sim.state.parts), w) < 1e-12)
        #expect(sim.balanceDefects().allSatisfy { $0 < 1e-12 })
        try sim.apply(.flow(.langevin))
        #expect(Ref.relativeError(sim.state.parts[0], w) < 1e-12)
    }

    /// dt = 1e6 on completion: the factors grow like x -> x^(2N-1) per step until they overflow.
    @Test("a step that makes the state non-finite is refused: error nonFinite, state and step count unchanged",
          arguments: [FlowKind.upstairs, .riemannian])
    func refusedStep(flow: FlowKind) throws {
        var p = parameters(flow)
        p.dt = 1e6
        let sim = try Simulation(parameters: p)
        var refused = false
        for _ in 0..<60 {
            let state = sim.state, count = sim.stepCount, time = sim.time
            do {
                try sim.advance()
            } catch {
                refused = true
                switch error {
                case .nonFinite, .diverged: break
                default: Issue.record("expected nonFinite or diverged, got \(error)")
                }
                #expect(sim.state == state)
                #expect(sim.stepCount == count)
                #expect(sim.time == time)
                #expect(sim.state.isFinite)
                // The refusal is repeatable: nothing moved.
                #expect(throws: StepError.self) { try sim.advance() }
                #expect(sim.stepCount == count)
                break
            }
        }
        #expect(refused, "60 steps of dt = 1e6 never overflowed")
    }
}
