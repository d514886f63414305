import Foundation
import Testing
@testable import DLNEngine

/// Theorem 15(a): the eigenvalues of the Hermitian lift (11.4) have the law of Dyson Brownian motion
/// (11.1); likewise the lift (11.7) with a loss and the Langevin equation (11.8) downstairs. Both
/// sides are sampled at d = 3 from X = diag(-1, 0, 1) to T = 0.2 and each ordered eigenvalue's mean
/// and variance compared by a two-sample z-score. The particle reference is the drift-implicit
/// scheme: plain Euler-Maruyama for (11.1) has heavy tails at beta <= 2 (see `DysonParticles.Scheme`).
@Suite("Dyson Brownian motion: law of the lift")
struct DysonLawTests {
    static let start = [-1.0, 0, 1]
    static let horizon = 0.2
    static let runs = 4000
    static let liftStep = 5e-3
    static let particleStep = 5e-3

    /// Per coordinate: mean, variance, and the variance of the sample variance's estimate.
    struct Moments {
        var mean: [Double], variance: [Double], varianceError2: [Double], count: Int

        init(_ samples: [[Double]]) {
            let d = samples[0].count
            count = samples.count
            let n = Double(count)
            mean = (0..<d).map { k in samples.reduce(0) { $0 + $1[k] } / n }
            var m2 = [Double](repeating: 0, count: d), m4 = m2
            for s in samples {
                for k in 0..<d {
                    let c = s[k] - mean[k]
                    m2[k] += c * c / n
                    m4[k] += c * c * c * c / n
                }
            }
            variance = m2.map { $0 * n / (n - 1) }
            varianceError2 = (0..<d).map { (m4[$0] - m2[$0] * m2[$0]) / n }
        }

        /// Two-sample z-scores: the means of every coordinate, then the variances.
        func zScores(against o: Moments) -> [Double] {
            let d = mean.count
            let zm = (0..<d).map { k in
                (mean[k] - o.mean[k]) / (variance[k] / Double(count) + o.variance[k] / Double(o.count)).squareRoot()
            }
            let zv = (0..<d).map { k in
                (variance[k] - o.variance[k]) / (varianceError2[k] + o.varianceError2[k]).squareRoot()
            }
            return zm + zv
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var amplitudes: DysonAmplitudes
        var loss: EigenvalueLoss
        var name: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [1.0, 2.0, 4.0].map {
        Case(amplitudes: .dyson(beta: $0), loss: .none, name: "(11.4) vs (11.1), beta = \(Int($0))")
    } + [Case(amplitudes: .langevin(beta: 2, kappa: 0.5), loss: .confining(strength: 1),
              name: "(11.7) vs (11.8), beta = 2, kappa = 1/2, E = |x|^2/2")]

    static func liftSample(_ amplitudes: DysonAmplitudes, loss: EigenvalueLoss = .none, seed: UInt64,
                           runs: Int = runs) throws -> Moments {
        var rng = Xoshiro256(seed: seed)
        let steps = Int((horizon / liftStep).rounded())
        var out: [[Double]] = []
        out.reserveCapacity(runs)
        for _ in 0..<runs {
            let lift = DysonLift(eigenvalues: start, amplitudes: amplitudes, loss: loss)
            for _ in 0..<steps { try lift.step(dt: liftStep, rng: &rng) }
            out.append(lift.eigenvalues)
        }
        return Moments(out)
    }

    static func particleSample(_ amplitudes: DysonAmplitudes, loss: EigenvalueLoss = .none, seed: UInt64,
                               runs: Int = runs) throws -> Moments {
        var rng = Xoshiro256(seed: seed)
        let steps = Int((horizon / particleStep).rounded())
        var out: [[Double]] = []
        out.reserveCapacity(runs)
        for _ in 0..<runs {
            var x = DysonParticles(positions: start, amplitudes: amplitudes, loss: loss)
            for _ in 0..<steps { try x.step(dt: particleStep, rng: &rng) }
            out.append(x.positions)
        }
        return Moments(out)
    }

    @Test("eigenvalues of the lift ~ the particle system: ordered means and variances, |z| < 4",
          arguments: cases.indices)
    func liftMatchesParticles(index: Int) throws {
        let c = Self.cases[index]
        let seed = UInt64(index)
        let lift = try Self.liftSample(c.amplitudes, loss: c.loss, seed: 7000 + seed)
        let particles = try Self.particleSample(c.amplitudes, loss: c.loss, seed: 8000 + seed)
        let z = lift.zScores(against: particles)
        #expect(z.allSatisfy { abs($0) < 4 }, "\(c.name): z = \(z)")
        // The start is deterministic; by T every ordered eigenvalue has spread, so agreement is not vacuous.
        #expect(particles.variance.allSatisfy { $0 > 0.02 }, "\(particles.variance)")
    }

    /// The same comparison has power: two lifts with one constant wrong must fail it, even on half
    /// the samples.
    @Test("negative controls: a wrong normal or tangential amplitude gives max |z| > 4")
    func wrongConstantsAreDetected() throws {
        let half = Self.runs / 2
        let particles = try Self.particleSample(.dyson(beta: 2), seed: 8200, runs: half)
        // The normal noise of beta = 4 at beta = 2: variance dt/2 instead of dt.
        let wrongNormal = try Self.liftSample(DysonAmplitudes(tangential: 1, normal: (2.0 / 4).squareRoot()), seed: 7301, runs: half)
        // A real symmetric lift with the Hermitian constants: off-diagonal |dM_ij|^2 = dt/2, so the
        // eigenvalue repulsion is halved, exactly as a tangential amplitude 1/sqrt 2 gives here.
        let realSymmetric = try Self.liftSample(DysonAmplitudes(tangential: 0.5.squareRoot(), normal: 1), seed: 7302, runs: half)
        let zNormal = wrongNormal.zScores(against: particles).map(abs).max()!
        let zTangential = realSymmetric.zScores(against: particles).map(abs).max()!
        #expect(zNormal > 4, "wrong normal amplitude: max |z| = \(zNormal)")
        #expect(zTangential > 4, "halved repulsion: max |z| = \(zTangential)")
    }
}
