import Foundation
import Testing
@testable import DLNEngine

/// The paper's 14.2 for (14.1)'s energy, checked before the `landscape` preset relies on it: along
/// W(t) = [[1, t], [0, 1]] the energy is 0 while the entropy grows without bound (sigma_1 ~ t,
/// sigma_1 sigma_2 = 1, C_12 ~ t^(2 - 2/N)), so F_beta = E - S/beta is unbounded below for every
/// finite beta and N >= 2; for a denoising energy F_beta is bounded below.
@Suite struct LandscapeTests {
    static func path(_ t: Double) -> Matrix { Matrix([[1, t], [0, 1]]) }

    /// The singular values of [[1, t], [0, 1]] in closed form: sigma_1 - sigma_2 = t and
    /// sigma_1 sigma_2 = det = 1, so sigma_1 = (t + sqrt(t^2 + 4)) / 2.
    static func closedForm(_ t: Double) -> (Double, Double) {
        let s1 = (t + (t * t + 4).squareRoot()) / 2
        return (s1, 1 / s1)
    }

    /// Lemma 1's C_12 from its defining quotient (not the engine's stable sum).
    static func c12(_ s1: Double, _ s2: Double, depth n: Int) -> Double {
        let e = 2 / Double(n)
        return (s1 * s1 - s2 * s2) / (pow(s1, e) - pow(s2, e))
    }

    /// (14.1)'s energy as the engine builds it.
    static var twoByTwo: any Energy {
        var p = Parameters()
        p.energy = .twoByTwo; p.size = 2; p.targetRank = 1
        return try! Problem.make(p).makeEnergy()
    }

    @Test func energyIsZeroAndTheSingularValuesAreTheClosedFormsAlongThePath() throws {
        for t in [0.5, 3, 1e2, 1e4, 1e6, 1e9] {
            let w = Self.path(t)
            #expect(Self.twoByTwo.value(w) == 0, "E(W(\(t))) = \(Self.twoByTwo.value(w))")
            let sigma = try SVD.of(w).sigma
            let (s1, _) = Self.closedForm(t)
            #expect(abs(sigma[0] - s1) <= 1e-12 * s1, "t = \(t): sigma_1 \(sigma[0]) vs \(s1)")
            // sigma_1 sigma_2 = |det W| = 1; an SVD computes sigma_2 to eps sigma_1 absolute, so
            // the product is checked where that is below 1e-9.
            if t <= 1e4 { #expect(abs(sigma[0] * sigma[1] - 1) <= 1e-9, "t = \(t): sigma_1 sigma_2 = \(sigma[0] * sigma[1])") }
            #expect(abs(sigma[0] / t - 1) <= 2 / (t * t) + 1e-15, "sigma_1 ~ t")
        }
    }

    @Test(arguments: [2, 3, 4, 8])
    func entropyGrowsLikeTheLogOfC12AndC12LikeAPowerOfT(depth n: Int) throws {
        var previous = -Double.infinity
        for k in 1...15 {
            let t = pow(10.0, Double(k))
            let sigma = try SVD.of(Self.path(t)).sigma
            let (s1, s2) = Self.closedForm(t)
            let want = 0.5 * log(Self.c12(s1, s2, depth: n))
            let got = Lemma1.entropy(sigma, depth: .finite(n))
            #expect(abs(got - want) <= 1e-9 * max(1, abs(want)), "N = \(n), t = \(t): S \(got) vs 1/2 log C_12 \(want)")
            #expect(got > previous, "S must grow along the path: \(got) after \(previous) at t = \(t)")
            previous = got
        }
        // The exponent of C_12 ~ t^(2 - 2/N), read off two far points of the path.
        // (The correction is relative s_1^(-4/N): at N = 8 and t = 1e5 still 3e-3, so far points.)
        let (a1, a2) = Self.closedForm(1e50), (b1, b2) = Self.closedForm(1e100)
        let slope = (log(Self.c12(b1, b2, depth: n)) - log(Self.c12(a1, a2, depth: n))) / (log(1e100) - log(1e50))
        #expect(abs(slope - (2 - 2 / Double(n))) < 1e-9, "N = \(n): C_12 grows like t^\(slope), expected 2 - 2/N = \(2 - 2 / Double(n))")
    }

    @Test(arguments: [0.5, 2.0, 100.0, 1e6])
    func freeEnergyIsUnboundedBelowForEveryFiniteBetaAndNAtLeastTwo(beta: Double) throws {
        for n in [2, 3, 5] {
            func f(_ t: Double) throws -> Double {
                let w = Self.path(t)
                return Self.twoByTwo.value(w) - Lemma1.entropy(try SVD.of(w).sigma, depth: .finite(n)) / beta
            }
            // F falls like -(1 - 1/N) log t / beta: below any bound B once t passes exp(beta B / (1 - 1/N)).
            let rate = (1 - 1 / Double(n)) / beta
            for t in [1e20, 1e50, 1e120] {
                let want = -rate * log(t)
                let got = try f(t)
                #expect(abs(got - want) <= 1e-3 * abs(want), "N = \(n), beta = \(beta): F(\(t)) = \(got), expected about \(want)")
            }
            let values = try [1, 1e20, 1e50, 1e120].map(f)
            #expect(values == values.sorted(by: >) && Set(values).count == 4, "F along the path: \(values)")
            // Below -1 within double range for beta up to 100.
            if beta <= 100 {
                let last = try f(1e300)
                #expect(last < -1, "N = \(n), beta = \(beta): F(1e300) = \(last)")
            }
        }
        // N = 1 has no entropy (S = 0): there F = E >= 0 is bounded.
        for t in [1.0, 1e6, 1e100] { #expect(Lemma1.entropy(try SVD.of(Self.path(t)).sigma, depth: 1) == 0) }
    }

    /// For 1/2 ||W - A||^2, C_12 <= N sigma_1^(2 - 2/N) (each of Lemma 1's N terms is at most
    /// sigma_1^(2 - 2/N)) and ||W - A||_F >= sigma_1 - ||A||_2 (Weyl), so
    /// F_beta >= 1/2 (sigma_1 - ||A||_2)_+^2 - (log N + (2 - 2/N) log sigma_1) / (2 beta): bounded
    /// below. The engine's F is checked against that bound at random W of every scale, and along
    /// rays it grows without bound.
    @Test func aDenoisingFreeEnergyIsBoundedBelow() throws {
        var rng = Xoshiro256(seed: 142)
        let a = Matrix([[0.6, 0.8], [0.3, 0.4]])
        let energy = DenoiseEnergy(observation: a)
        let aNorm = try SVD.of(a).sigma[0]
        for n in [2, 3, 5] {
            for beta in [0.5, 2.0, 100.0] {
                func bound(_ s1: Double) -> Double {
                    let gap = max(0, s1 - aNorm)
                    return 0.5 * gap * gap - (log(Double(n)) + (2 - 2 / Double(n)) * log(s1)) / (2 * beta)
                }
                // The bound's own minimum over sigma_1 > 0 is finite (log grows slower than the square).
                let grid = (0..<4000).map { pow(10, -3 + Double($0) * 9 / 4000) }
                let floor = grid.map(bound).min()!
                #expect(floor.isFinite && floor > -10 / beta - 10)
                for _ in 0..<300 {
                    let scale = pow(10, 6 * rng.uniform() - 2)
                    let w = rng.gaussianMatrix(rows: 2, cols: 2, scale: scale)
                    let sigma = try SVD.of(w).sigma
                    let f = energy.value(w) - Lemma1.entropy(sigma, depth: .finite(n)) / beta
                    #expect(f >= bound(sigma[0]) - 1e-9 * max(1, abs(f)), "N = \(n), beta = \(beta): F = \(f) below the bound \(bound(sigma[0]))")
                    #expect(f >= floor - 1e-9)
                }
                // Along the unbounded path of the two-by-two energy, denoising's F grows like t^2.
                let far = Self.path(1e6)
                #expect(energy.value(far) - Lemma1.entropy(try SVD.of(far).sigma, depth: .finite(n)) / beta > 1e11)
            }
        }
    }
}
