import Foundation
import Testing
@testable import DLNEngine

/// Theorem 14's basis (8.20-8.24, with MATH.md's sign in 8.21) checked against independent
/// computations: Frobenius Gram matrices, the differential of the balance constraint (4.2), the
/// differential of phi, Lemma 1's eigenvalues and a LAPACK frame for g^N (Theorem 13).
@Suite("Theorem 14 basis")
struct BalancedBasisTests {
    /// (d, N) pairs covering d <= 5, N <= 6, including N = 1 (no orbit) and N = 2 (one middle frame).
    static let shapes: [(Int, Int)] = [(1, 3), (2, 1), (2, 2), (2, 5), (3, 3), (3, 6), (4, 2), (4, 4), (5, 3), (5, 6)]

    static func points(_ d: Int, _ n: Int) -> [BalancedCoordinates] {
        var pts = [BalancedFixture.point(size: d, depth: n, seed: UInt64(100 * d + n))]
        if d >= 2 {
            // Repeated and nearly repeated singular values: (8.23-8.24) at their limit.
            var l = (0..<d).map { 1.3 - 0.2 * Double($0) }
            l[1] = l[0]
            if d >= 3 { l[2] = l[1] * (1 - 1e-9) }
            pts.append(BalancedFixture.point(size: d, depth: n, seed: UInt64(7 + d * n), lambda: l))
        }
        return pts
    }

    @Test("orthonormal for the Frobenius inner product (8.5), to 1e-12", arguments: shapes)
    func orthonormal(_ shape: (Int, Int)) {
        for point in Self.points(shape.0, shape.1) {
            let basis = Theorem14.basis(at: point)
            #expect(basis.count == shape.0 + (shape.1 + 1) * shape.0 * (shape.0 - 1) / 2)
            var worst = 0.0
            for i in basis.indices {
                for j in i..<basis.count {
                    let g = BalancedFixture.inner(basis[i].components, basis[j].components)
                    worst = max(worst, abs(g - (i == j ? 1 : 0)))
                }
            }
            #expect(worst < 1e-12, "max |Gram - I| = \(worst) at lambda \(point.lambda)")
        }
    }

    @Test("tangent to M and spanning T_W M, whose dimension is d^2 + (N-1) d(d-1)/2 (4.6)", arguments: shapes)
    func spansTangentSpace(_ shape: (Int, Int)) throws {
        let (d, n) = shape
        for point in Self.points(d, n) {
            let w = point.factors()
            let basis = Theorem14.basis(at: point)
            for v in basis {
                let defect = BalancedFixture.dBalance(w, v.components).map(\.maxAbs).max() ?? 0
                #expect(defect < 1e-12, "\(v.label): dG = \(defect)")
            }
            // The kernel of the balance constraint's differential, from its Jacobian.
            let kernel = try Self.kernelDimension(columns: Self.unitTuples(d, n).map { e in
                BalancedFixture.dBalance(w, e).flatMap(\.storage)
            })
            let expected = d * d + (n - 1) * d * (d - 1) / 2
            #expect(kernel == expected)
            #expect(basis.count == expected)
        }
    }

    @Test("the orbit vectors u^{k,l,p}, 1 <= p <= N-1, span the kernel of D phi in T_W M", arguments: shapes)
    func orbitIsKernelOfDPhi(_ shape: (Int, Int)) throws {
        let (d, n) = shape
        for point in Self.points(d, n) {
            let w = point.factors()
            let basis = Theorem14.basis(at: point)
            let images = basis.map { BalancedFixture.dPhi(w, $0.components) }
            let scale = images.map(\.maxAbs).max()!
            for (v, image) in zip(basis, images) where v.label.isOrbit(depth: n) {
                #expect(image.maxAbs < 1e-12 * scale, "\(v.label): |D phi u| = \(image.maxAbs)")
            }
            let kernel = try Self.kernelDimension(columns: images.map(\.storage))
            #expect(kernel == (n - 1) * d * (d - 1) / 2)
        }
    }

    @Test("the normal vectors map to sqrt(C_kl) u_k v_l^T, g^N-orthonormal (Lemma 1, Theorem 13)", arguments: shapes)
    func normalImages(_ shape: (Int, Int)) throws {
        let (d, n) = shape
        let point = Self.points(d, n)[0]
        let w = point.factors()
        let sigma = point.sigma
        let u = point.frames[n], v = point.frames[0]
        func outer(_ i: Int, _ j: Int) -> Matrix {
            var m = Matrix.zeros(d)
            for r in 0..<d { for c in 0..<d { m[r, c] = u[r, i] * v[c, j] } }
            return m
        }
        var images: [Matrix] = []
        for e in Theorem14.basis(at: point) where !e.label.isOrbit(depth: n) {
            let image = BalancedFixture.dPhi(w, e.components)
            let (i, j): (Int, Int)
            switch e.label {
            case .diagonal(let k): (i, j) = (k, k)
            case .pair(let k, let l, let p): (i, j) = p == 0 ? (l, k) : (k, l)
            }
            let expected = Lemma1.eigenvalue(sigma[i], sigma[j], depth: .finite(n)).squareRoot() * outer(i, j)
            #expect((image - expected).maxAbs < 1e-12 * max(1, expected.maxAbs), "\(e.label)")
            images.append(image)
        }
        #expect(images.count == d * d)
        // g^N(Z, Z') = sum_kl (U^T Z V)_kl (U^T Z' V)_kl / C_kl in a frame from LAPACK, not from Q.
        let frame = SpectralFrame(size: d)
        try frame.update(BalancedFixture.phi(w), depth: .finite(n))
        let coords: [Matrix] = images.map { z in
            var c = Matrix.zeros(d)
            frame.coordinates(of: z, into: &c)
            return c
        }
        var worst = 0.0
        for a in coords.indices {
            for b in a..<coords.count {
                var g = 0.0
                for k in 0..<(d * d) { g += coords[a].storage[k] * coords[b].storage[k] / frame.eigenvalues.storage[k] }
                worst = max(worst, abs(g - (a == b ? 1 : 0)))
            }
        }
        #expect(worst < 1e-10)
    }

    @Test("Lemma 2: the pullback metric is N I_d plus the tridiagonal blocks h_a^{k,l} (8.9-8.10)", arguments: shapes)
    func lemma2Blocks(_ shape: (Int, Int)) {
        let (d, n) = shape
        let point = Self.points(d, n)[0]
        let zeroGenerators = (0...n).map { _ in Matrix.zeros(d) }
        // The l_i of (8.6).
        let ls: [[Matrix]] = (0..<d).map { i in
            var theta = [Double](repeating: 0, count: d)
            theta[i] = 1
            return Lemma2.tangent(at: point, theta: theta, generators: zeroGenerators)
        }
        for i in 0..<d {
            for j in 0..<d {
                #expect(abs(BalancedFixture.inner(ls[i], ls[j]) - (i == j ? Double(n) : 0)) < 1e-12)
            }
        }
        let zeroTheta = [Double](repeating: 0, count: d)
        func a(_ k: Int, _ l: Int, _ p: Int) -> [Matrix] {
            var g = zeroGenerators
            g[p] = point.frames[p] * Lemma2.alpha(k, l, size: d) * point.frames[p].transposed
            return Lemma2.tangent(at: point, theta: zeroTheta, generators: g)
        }
        for k in 0..<d {
            for l in (k + 1)..<max(k + 1, d) {
                let vectors = (0...n).map { a(k, l, $0) }
                let h = Lemma2.block(point.lambda[k], point.lambda[l], depth: n)
                for p in 0...n {
                    for q in 0...n {
                        #expect(abs(BalancedFixture.inner(vectors[p], vectors[q]) - h[p, q]) < 1e-12)
                    }
                    for i in 0..<d { #expect(abs(BalancedFixture.inner(vectors[p], ls[i])) < 1e-12) }
                    // Different pairs are orthogonal.
                    if k + 1 < l { #expect(abs(BalancedFixture.inner(vectors[p], a(k + 1, l, p))) < 1e-12) }
                }
            }
        }
    }

    @Test("Lemma 2 -> Theorem 14: the orbit vectors are D z of the sine eigenvectors of h_a's orbit block", arguments: shapes)
    func orbitVectorsFromLemma2(_ shape: (Int, Int)) {
        let (d, n) = shape
        guard d >= 2, n >= 2 else { return }
        let point = Self.points(d, n)[0]
        let basis = Theorem14.basis(at: point)
        let zeroTheta = [Double](repeating: 0, count: d)
        for k in 0..<d {
            for l in (k + 1)..<d {
                let lk = point.lambda[k], ll = point.lambda[l]
                let h = Lemma2.block(lk, ll, depth: n)
                for p in 1..<n {
                    let mu = Lemma2.orbitEigenvalue(lk, ll, p: p, depth: n)
                    let sine = (0...n).map { sin(Double($0 * p) * .pi / Double(n)) }
                    for j in 1..<n {  // (h s)_j = mu s_j on the orbit rows
                        let hs = (0...n).reduce(0.0) { $0 + h[j, $1] * sine[$1] }
                        #expect(abs(hs - mu * sine[j]) < 1e-12)
                    }
                    // h-unit coefficients: sum_j s_j^2 = N/2, so b_j = -s_j sqrt(2 / (N mu)).
                    let c = (2 / (Double(n) * mu)).squareRoot()
                    let generators = (0...n).map { j in
                        -c * sine[j] * (point.frames[j] * Lemma2.alpha(k, l, size: d) * point.frames[j].transposed)
                    }
                    let fromLemma2 = Lemma2.tangent(at: point, theta: zeroTheta, generators: generators)
                    let u = basis.first { $0.label == .pair(k: k, l: l, p: p) }!
                    let diff = zip(fromLemma2, u.components).map { ($0 - $1).maxAbs }.max()!
                    #expect(diff < 1e-12, "u^{\(k),\(l),\(p)} differs by \(diff)")
                }
            }
        }
    }

    @Test("(8.21) with the printed plus: orthonormal, in ker D phi, but normal to M", arguments: [(2, 2), (3, 3), (4, 5)])
    func printedSignIsNormal(_ shape: (Int, Int)) {
        let (d, n) = shape
        let point = Self.points(d, n)[0]
        let w = point.factors()
        let corrected = Theorem14.basis(at: point)
        let printed = Theorem14.basis(at: point, sign: .printed).filter { $0.label.isOrbit(depth: n) }
        var worstGram = 0.0, worstTangent = 0.0, worstImage = 0.0, smallestDefect = Double.infinity
        for (i, u) in printed.enumerated() {
            for (j, v) in printed.enumerated() {
                worstGram = max(worstGram, abs(BalancedFixture.inner(u.components, v.components) - (i == j ? 1 : 0)))
            }
            for t in corrected { worstTangent = max(worstTangent, abs(BalancedFixture.inner(u.components, t.components))) }
            worstImage = max(worstImage, BalancedFixture.dPhi(w, u.components).maxAbs)
            smallestDefect = min(smallestDefect, BalancedFixture.dBalance(w, u.components).map(\.frobeniusNorm).reduce(0, +))
        }
        #expect(worstGram < 1e-12)
        #expect(worstImage < 1e-12)
        #expect(worstTangent < 1e-12, "printed vectors have a tangent component \(worstTangent)")
        #expect(smallestDefect > 1e-2, "a printed vector is tangent (dG = \(smallestDefect))")
    }

    @Test("(8.2) needs Q_p theta Q_{p-1}^T: the printed Q_p theta Q_p^T leaves M")
    func tangentMapCorrection() {
        let (d, n) = (3, 3)
        let point = Self.points(d, n)[0]
        let w = point.factors()
        var rng = Xoshiro256(seed: 5)
        let theta = (0..<d).map { _ in rng.gaussian() }
        let generators = (0...n).map { _ in BalancedFixture.randomAntisymmetric(d, rng: &rng) }
        let corrected = Lemma2.tangent(at: point, theta: theta, generators: generators)
        #expect(BalancedFixture.dBalance(w, corrected).map(\.maxAbs).max()! < 1e-12)
        var printed = corrected
        for p in 1...n {
            printed[p - 1] = printed[p - 1] - point.frames[p] * Matrix.diagonal(theta) * point.frames[p - 1].transposed
                + point.frames[p] * Matrix.diagonal(theta) * point.frames[p].transposed
        }
        #expect(BalancedFixture.dBalance(w, printed).map(\.maxAbs).max()! > 1e-2)
    }

    // MARK: helpers

    /// The unit tuples E (one entry 1) spanning M_d^N.
    static func unitTuples(_ d: Int, _ n: Int) -> [[Matrix]] {
        (0..<(n * d * d)).map { idx in
            var t = (0..<n).map { _ in Matrix.zeros(d) }
            t[idx / (d * d)].storage[idx % (d * d)] = 1
            return t
        }
    }

    /// dim ker of the linear map whose images of a basis are `columns`: the near-zero eigenvalues of
    /// J^T J (relative 1e-10).
    static func kernelDimension(columns: [[Double]]) throws -> Int {
        let m = columns.count
        var gram = Matrix.zeros(m)
        for i in 0..<m {
            for j in i..<m {
                let g = zip(columns[i], columns[j]).reduce(0) { $0 + $1.0 * $1.1 }
                gram[i, j] = g
                gram[j, i] = g
            }
        }
        let values = try symmetricEigen(gram).values
        let top = values.map(abs).max() ?? 0
        return values.filter { abs($0) <= 1e-10 * max(top, 1e-300) }.count
    }
}
