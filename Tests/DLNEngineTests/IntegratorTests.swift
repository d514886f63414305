import Foundation
import Testing
@testable import DLNEngine

/// The integrators against an exact solution: the denoising energy E = |W - diag(a)|^2 / 2 from a
/// diagonal start diag(s0). The balanced flows (riemannian (4.11); upstairs (3.6) from the balanced
/// factorisation, by Theorem 2) keep W diagonal, and each singular value obeys
/// ds/dt = N s^(2-2/N) (a - s) (Saxe, McClelland and Ganguli 2014, eq. 15), integrated here by a
/// scalar RK4 at h = 1e-4 (error far below 1e-13), itself checked against the N = 2 closed form.
@Suite("Integrators: exact solutions", .serialized)
struct IntegratorTests {
    static let a = [1.5, 1.0, 0.5]
    static let s0 = [0.2, 0.15, 0.1]
    static let end = 2.0

    /// The problem's files: target diag(a), start diag(s0).
    static let files: (target: String, initial: String) = {
        let dir = NSTemporaryDirectory() + "dlntui-integrators-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let target = dir + "/target.csv", initial = dir + "/initial.csv"
        try? MatrixCSV.format(.diagonal(a)).write(toFile: target, atomically: true, encoding: .utf8)
        try? MatrixCSV.format(.diagonal(s0)).write(toFile: initial, atomically: true, encoding: .utf8)
        return (target, initial)
    }()

    /// s(t) by a scalar RK4 at step 1e-4 (the last step shortened to land on t).
    static func exact(_ a: Double, _ s0: Double, depth n: Int, at t: Double) -> Double {
        let p = 2 - 2 / Double(n)
        func f(_ s: Double) -> Double { Double(n) * pow(s, p) * (a - s) }
        var s = s0, time = 0.0
        while time < t {
            let h = min(1e-4, t - time)
            let k1 = f(s), k2 = f(s + h / 2 * k1), k3 = f(s + h / 2 * k2), k4 = f(s + h * k3)
            s += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            time = time + h >= t ? t : time + h
        }
        return s
    }

    static func simulation(_ flow: FlowKind, depth n: Int, _ integrator: IntegratorKind, dt: Double,
                           rtol: Double = 1e-6, atol: Double = 1e-9, lift: Lift = .ambient) throws -> Simulation {
        var p = Parameters()
        p.energy = .denoise
        p.flow = flow
        p.depth = .finite(n)
        p.noise = 0
        p.targetPath = files.target
        p.initialPath = files.initial
        p.size = a.count
        p.targetRank = a.count
        p.integrator = integrator
        p.dt = dt
        p.rtol = rtol
        p.atol = atol
        // The riemannian flow as W itself (the ambient code path); BalancedLiftTests steps its factors.
        p.lift = lift
        return try Simulation(parameters: p)
    }

    /// Runs to each saved time (landing on it exactly); the largest error of a diagonal entry over
    /// the saved times, and the largest off-diagonal entry seen.
    static func run(_ sim: Simulation, saved: [Double]) throws -> (error: Double, offDiagonal: Double) {
        var error = 0.0, off = 0.0
        let d = a.count
        for t in saved {
            while sim.time < t { try sim.advance(landingAt: t) }
            #expect(sim.time == t, "landed at \(sim.time), not \(t)")
            let w = sim.endToEnd
            for i in 0..<d {
                error = max(error, abs(w[i, i] - exact(a[i], s0[i], depth: sim.parameters.depth.factors!, at: t)))
                for j in 0..<d where j != i { off = max(off, abs(w[i, j])) }
            }
        }
        return (error, off)
    }

    @Test("the scalar reference matches the N = 2 closed form s(t) = a s0 e^(2at) / (a - s0 + s0 e^(2at))")
    func referenceMatchesClosedForm() {
        for (a, s0) in zip(Self.a, Self.s0) {
            for t in [0.5, 1.3, 2.0] {
                let g = exp(2 * a * t)
                let closed = a * s0 * g / (a - s0 + s0 * g)
                #expect(abs(Self.exact(a, s0, depth: 2, at: t) - closed) < 1e-13)
            }
        }
    }

    static let cases: [(FlowKind, Int)] = [(.riemannian, 2), (.riemannian, 3), (.riemannian, 4),
                                           (.upstairs, 2), (.upstairs, 3), (.upstairs, 4)]

    /// Error ratio when dt halves: 2^order in the limit.
    @Test("euler, heun and rk4 converge at orders 1, 2 and 4", arguments: cases)
    func orders(_ c: (FlowKind, Int)) throws {
        let (flow, n) = c
        for (kind, dt, range) in [(IntegratorKind.euler, 0.02, 1.6...2.5), (.heun, 0.04, 3.0...5.5), (.rk4, 0.1, 11.0...22.0)] {
            let coarse = try Self.run(Self.simulation(flow, depth: n, kind, dt: dt), saved: [Self.end])
            let fine = try Self.run(Self.simulation(flow, depth: n, kind, dt: dt / 2), saved: [Self.end])
            let ratio = coarse.error / fine.error
            #expect(range.contains(ratio), "\(flow.rawValue) N=\(n) \(kind.rawValue): errors \(coarse.error), \(fine.error), ratio \(ratio)")
            #expect(coarse.offDiagonal < 1e-10 && fine.offDiagonal < 1e-10, "stays diagonal: \(coarse.offDiagonal)")
        }
    }

    @Test("dopri5 at rtol 1e-8, atol 1e-12 is within 5e-7 at the saved times in fewer accepted steps than rk4 needs", arguments: cases)
    func dopri5(_ c: (FlowKind, Int)) throws {
        let (flow, n) = c
        let saved = stride(from: 0.25, through: Self.end, by: 0.25).map { $0 }
        let sim = try Self.simulation(flow, depth: n, .dopri5, dt: 0.01, rtol: 1e-8, atol: 1e-12)
        let adaptive = try Self.run(sim, saved: saved)
        #expect(adaptive.error < 5e-7, "\(flow.rawValue) N=\(n): error \(adaptive.error)")
        #expect(adaptive.offDiagonal < 1e-10)
        // The rk4 step count reaching the same error (dt halved until it does).
        var dt = 0.25, rk4Steps = 0
        while dt > 1e-4 {
            let rk4 = try Self.simulation(flow, depth: n, .rk4, dt: dt)
            let r = try Self.run(rk4, saved: saved)
            if r.error <= adaptive.error { rk4Steps = rk4.stepCount; break }
            dt /= 2
        }
        #expect(rk4Steps > 0)
        #expect(sim.stepCount < rk4Steps, "\(flow.rawValue) N=\(n): dopri5 \(sim.stepCount) accepted steps (\(sim.integrator.rejectedSteps) rejected), rk4 \(rk4Steps)")
    }
}

/// dx/dt = x^2 entrywise, x(0) = 1: blows up at t = 1, where no step size is small enough.
private final class BlowUp: Flow {
    let kind = FlowKind.riemannian
    var knobs = FlowKnobs(depth: 1, beta: .infinity, kappa: 0)
    var hasDiffusion: Bool { false }
    func makeEvaluation(like x: FlowState) -> FlowEvaluation { FlowEvaluation(drift: FlowState(zerosLike: x), frame: nil) }
    func evaluate(at x: FlowState, into e: inout FlowEvaluation) throws(StepError) {
        for k in 0..<x.parts[0].storage.count { e.drift.parts[0].storage[k] = x.parts[0].storage[k] * x.parts[0].storage[k] }
    }
    func diffusion(_ e: FlowEvaluation, increment dB: FlowState, into v: inout FlowState) {}
    func endToEnd(_ x: FlowState, into w: inout Matrix) { w.copy(from: x.parts[0]) }
    func state(for w: Matrix) throws(StepError) -> FlowState { FlowState(parts: [w]) }
}

@Suite("Integrators: step-size control")
struct StepSizeControlTests {
    @Test("dopri5 follows x' = x^2 up to its blow-up at t = 1, then its step size collapses: an error naming t and the size")
    func collapse() throws {
        let flow = BlowUp()
        let integrator = DormandPrince5(tolerances: Tolerances(relative: 1e-8, absolute: 1e-12), initialStep: 0.1)
        var x = FlowState(parts: [Matrix.identity(1)])
        var rng = Xoshiro256(seed: 1)
        var t = 0.0, accepted = 0
        var caught: StepError?
        while accepted < 100_000 {
            do {
                t += try integrator.step(flow, &x, time: t, size: .infinity, rng: &rng)
                accepted += 1
                // Exact: x(t) = 1 / (1 - t), checked while x is moderate.
                if t < 0.99 { #expect(abs(x.parts[0][0, 0] * (1 - t) - 1) < 1e-6) }
            } catch {
                caught = error
                break
            }
        }
        let error = try #require(caught)
        switch error {
        case .stepSizeCollapsed(let time, let size):
            #expect(abs(time - 1) < 1e-3, "collapsed at t = \(time)")
            #expect(size < StepSizeController.floor(at: time))
            #expect(error.description.contains("t = \(NumberFormat.g17(time))") && error.description.contains(NumberFormat.g17(size)))
        default:
            // A refusal of the state itself (overflow) is the other honest ending, but not this one.
            Issue.record("expected a collapsed step size, got \(error)")
        }
        #expect(integrator.rejectedSteps > 0, "rejected attempts are part of the way there, not errors")
    }

    @Test("a rejected attempt is retried smaller and leaves the state as it was")
    func rejectionIsNotAnError() throws {
        let flow = BlowUp()
        // A first step far too large for the tolerance: rejected, then accepted smaller.
        let integrator = DormandPrince5(tolerances: Tolerances(relative: 1e-10, absolute: 1e-14), initialStep: 0.5)
        var x = FlowState(parts: [Matrix.identity(1)])
        var rng = Xoshiro256(seed: 1)
        let h = try integrator.step(flow, &x, time: 0, size: .infinity, rng: &rng)
        #expect(integrator.rejectedSteps >= 1)
        #expect(h < 0.5)
        #expect(abs(x.parts[0][0, 0] - 1 / (1 - h)) < 1e-9)
    }

    @Test("a step limited by `size` lands on it exactly")
    func clipping() throws {
        let flow = BlowUp()
        let integrator = DormandPrince5(tolerances: Tolerances(relative: 1e-6, absolute: 1e-9), initialStep: 0.1)
        var x = FlowState(parts: [Matrix.identity(1)])
        var rng = Xoshiro256(seed: 1)
        let h = try integrator.step(flow, &x, time: 0, size: 0.03, rng: &rng)
        #expect(h == 0.03)
    }
}
