import Foundation
import Testing
@testable import DLNEngine

/// Independent references for the complex pieces: plain-loop products and eigenvalues through the
/// real 2d x 2d embedding [[A, -B], [B, A]] of M = A + iB (each eigenvalue of M appears twice).
enum DysonRef {
    static func mul(_ a: ComplexMatrix, _ b: ComplexMatrix) -> ComplexMatrix {
        let n = a.size
        var c = ComplexMatrix(size: n)
        for i in 0..<n {
            for j in 0..<n {
                var re = 0.0, im = 0.0
                for k in 0..<n {
                    let x = a[i, k], y = b[k, j]
                    re += x.re * y.re - x.im * y.im
                    im += x.re * y.im + x.im * y.re
                }
                c[i, j] = (re, im)
            }
        }
        return c
    }

    static func eigenvalues(_ m: ComplexMatrix) throws -> [Double] {
        let n = m.size
        var r = Matrix.zeros(2 * n)
        for i in 0..<n {
            for j in 0..<n {
                let z = m[i, j]
                r[i, j] = z.re; r[i + n, j + n] = z.re
                r[i, j + n] = -z.im; r[i + n, j] = z.im
            }
        }
        let doubled = try symmetricEigen(r).values.sorted()
        return stride(from: 0, to: 2 * n, by: 2).map { 0.5 * (doubled[$0] + doubled[$0 + 1]) }
    }

    /// A Hermitian matrix with N(0,1) entries (real and imaginary parts off the diagonal).
    static func randomHermitian(_ n: Int, rng: inout Xoshiro256) -> ComplexMatrix {
        var m = ComplexMatrix(size: n)
        for i in 0..<n {
            m[i, i] = (rng.gaussian(), 0)
            for j in (i + 1)..<n {
                let re = rng.gaussian(), im = rng.gaussian()
                m[i, j] = (re, im); m[j, i] = (re, -im)
            }
        }
        return m
    }

    static func difference(_ a: ComplexMatrix, _ b: ComplexMatrix) -> Double {
        zip(a.storage, b.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}

@Suite("Dyson Brownian motion: pieces")
struct DysonPieceTests {
    @Test("S = 2 log van(x) (11.5) against the direct product; -inf at a collision; gradient by FD")
    func orbitEntropy() {
        let x = [0.3, -1.7, 2.2, 0.9, -0.4]
        var product = 1.0
        for i in 0..<x.count { for j in (i + 1)..<x.count { product *= abs(x[i] - x[j]) } }
        #expect(abs(OrbitEntropy.value(x) - 2 * log(product)) < 1e-13)
        #expect(OrbitEntropy.value([0.5, 1.0, 0.5]) == -.infinity)
        #expect(OrbitEntropy.value([2.0]) == 0)
        let h = 1e-6
        let g = OrbitEntropy.gradient(x)
        for i in x.indices {
            var up = x, down = x
            up[i] += h; down[i] -= h
            let fd = (OrbitEntropy.value(up) - OrbitEntropy.value(down)) / (2 * h)
            #expect(abs(g[i] - fd) < 1e-7 * max(1, abs(fd)))
        }
    }

    @Test("the Wiener increment on (Her_d, Tr M*M): Hermitian, diagonal N(0,dt), off-diagonal parts N(0,dt/2), uncorrelated")
    func hermitianIncrementCovariance() {
        let d = 3, dt = 0.7, samples = 40_000
        var rng = Xoshiro256(seed: 9100)
        var h = ComplexMatrix(size: d)
        // Second moments of the 2 d^2 real coordinates (entry re/im), accumulated with their fourth
        // moments for the standard errors.
        let m = 2 * d * d
        var second = [Double](repeating: 0, count: m * m)
        var fourth = [Double](repeating: 0, count: m * m)
        var norm = 0.0
        for _ in 0..<samples {
            HermitianWiener.increment(into: &h, dt: dt, rng: &rng)
            #expect(h.hermitianDefect == 0)
            norm += h.normSquared
            for a in 0..<m {
                for b in a..<m {
                    let p = h.storage[a] * h.storage[b]
                    second[a * m + b] += p
                    fourth[a * m + b] += p * p
                }
            }
        }
        let n = Double(samples)
        func expected(_ a: Int, _ b: Int) -> Double {
            let (ea, eb) = (a / 2, b / 2)  // entry indices
            let (ia, ja, ib, jb) = (ea / d, ea % d, eb / d, eb % d)
            let (imA, imB) = (a % 2 == 1, b % 2 == 1)
            if ia == ja && imA || ib == jb && imB { return 0 }  // the diagonal is real
            if ia == ja { return ea == eb ? dt : 0 }
            let sameEntry = ea == eb
            let mirrored = ia == jb && ja == ib
            if imA == imB {
                if sameEntry { return dt / 2 }
                if mirrored { return imA ? -dt / 2 : dt / 2 }  // Im H_ji = -Im H_ij
            }
            return 0
        }
        var worst = 0.0
        for a in 0..<m {
            for b in a..<m {
                let mean = second[a * m + b] / n
                let variance = fourth[a * m + b] / n - mean * mean
                let e = expected(a, b)
                if variance == 0 { #expect(mean == e); continue }
                worst = max(worst, abs(mean - e) / (variance / n).squareRoot())
            }
        }
        #expect(worst < 4.5, "largest |z| over the \(m * (m + 1) / 2) second moments: \(worst)")
        // E Tr(dH^2) = d^2 dt: one unit of variance per orthonormal direction of Her_d.
        #expect(abs(norm / n - Double(d * d) * dt) < 0.02 * Double(d * d) * dt)
    }

    @Test("eigendecomposition of a Hermitian matrix: eigenvalues as the real embedding's, M = U X U*, U unitary")
    func hermitianEigen() throws {
        var rng = Xoshiro256(seed: 9200)
        for n in [1, 2, 3, 6] {
            let m = DysonRef.randomHermitian(n, rng: &rng)
            let eig = HermitianEigen(size: n)
            try eig.decompose(m)
            let reference = try DysonRef.eigenvalues(m)
            for k in 0..<n { #expect(abs(eig.values[k] - reference[k]) < 1e-12 * max(1, abs(reference[k]))) }
            let v = eig.adjointFrame
            let rebuilt = DysonRef.mul(DysonRef.mul(v.adjoint, .diagonal(eig.values)), v)
            #expect(DysonRef.difference(rebuilt, m) < 1e-12)
            #expect(DysonRef.difference(DysonRef.mul(v, v.adjoint), .identity(n)) < 1e-13)
        }
    }

    @Test("the split at M: P_M h + P_M^perp h = h, P_M^perp h commutes with M, P_M h is orthogonal to I, M, M^2, ...")
    func projections() throws {
        var rng = Xoshiro256(seed: 9300)
        let d = 4
        let m = DysonRef.randomHermitian(d, rng: &rng)
        let lift = try DysonLift(matrix: m, amplitudes: .dyson(beta: 2))
        var h = ComplexMatrix(size: d)
        HermitianWiener.increment(into: &h, dt: 1, rng: &rng)
        let (t, p) = lift.split(h)
        var sum = t
        sum.add(p)
        #expect(DysonRef.difference(sum, h) < 1e-13)
        #expect(t.hermitianDefect < 1e-13 && p.hermitianDefect < 1e-13)
        let commutator = DysonRef.difference(DysonRef.mul(m, p), DysonRef.mul(p, m))
        #expect(commutator < 1e-12)
        // With distinct eigenvalues the matrices commuting with M (the normal space of O_x) are
        // spanned by I, M, ..., M^{d-1}; the tangential part is orthogonal to each.
        var power = ComplexMatrix.identity(d)
        for _ in 0..<d {
            #expect(abs(t.dot(power)) < 1e-12 * max(1, power.normSquared.squareRoot()))
            power = DysonRef.mul(power, m)
        }
        // Projections: the tangential part has no normal part, and the split is not trivial.
        #expect(lift.split(t).normal.normSquared < 1e-24)
        #expect(t.normSquared > 0.1 && p.normSquared > 0.1)
    }

    @Test("drift-implicit particle step solves y = x + dt (a^2 sum 1/(y_i - y_j) - E'(y)) + b dW and keeps the order")
    func implicitStepSolvesItsEquation() throws {
        let amplitudes = DysonAmplitudes.dyson(beta: 1)
        let loss = EigenvalueLoss.confining(strength: 0.7)
        var x = DysonParticles(positions: [-0.02, 0, 0.03, 1], amplitudes: amplitudes, loss: loss)
        var rng = Xoshiro256(seed: 9400)
        let dt = 0.01  // large against the gaps: explicit Euler would throw the close pair apart
        for _ in 0..<200 {
            var replay = rng
            let before = x.positions
            try x.step(dt: dt, rng: &rng)
            let y = x.positions
            for i in y.indices {
                let z = before[i] + amplitudes.normal * dt.squareRoot() * replay.gaussian()
                var r = 0.0
                for j in y.indices where j != i { r += 1 / (y[i] - y[j]) }
                let residual = y[i] - z - dt * (amplitudes.repulsion * r - loss.derivative(at: y[i]))
                #expect(abs(residual) < 1e-11)
            }
            #expect(zip(y, y.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test("Euler-Maruyama particle step is x + dt (a^2 sum 1/(x_i - x_j) - E'(x)) + b dW")
    func explicitStep() throws {
        let amplitudes = DysonAmplitudes.langevin(beta: 3, kappa: 0.4)
        let loss = EigenvalueLoss.confining(strength: 2)
        var x = DysonParticles(positions: [0.4, -0.9, 1.3], amplitudes: amplitudes, loss: loss,
                               scheme: .eulerMaruyama)
        var rng = Xoshiro256(seed: 9450)
        let dt = 1e-3
        for _ in 0..<50 {
            var replay = rng
            let before = x.positions
            try x.step(dt: dt, rng: &rng)
            for i in before.indices {
                let noise = amplitudes.normal * dt.squareRoot() * replay.gaussian()
                var r = 0.0
                for j in before.indices where j != i { r += 1 / (before[i] - before[j]) }
                let expected = before[i] + noise + dt * (amplitudes.repulsion * r - loss.derivative(at: before[i]))
                #expect(abs(x.positions[i] - expected) < 1e-14)
            }
        }
    }
}
