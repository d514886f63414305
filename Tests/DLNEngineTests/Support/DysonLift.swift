import Foundation
@testable import DLNEngine

/// Euler-Maruyama for the Hermitian lift of Dyson Brownian motion (11.4, 11.7):
///     M_{n+1} = M_n + U [ -diag(E'(x)) dt + a offdiag(G) + b diag(G) ] U^*,   G = U^* dH U,
/// with M_n = U diag(x) U^* and dH a Wiener increment on (Her_d, Tr(M^* M)). The normal space of the
/// orbit O_x at M is the matrices that commute with M (diagonal in the eigenframe) and the tangent
/// space {[A, M]} the off-diagonal ones, so P_M^perp keeps the diagonal of U^* dH U and P_M the rest.
/// Where eigenvalues coincide the orbit degenerates and the split depends on the frame LAPACK returns.
///
/// Each accepted step decomposes the new M once; the frame is kept for the next step and the
/// eigenvalues for the observers. Not thread-safe: one thread owns an instance.
public final class DysonLift {
    public let size: Int
    public var amplitudes: DysonAmplitudes
    public var loss: EigenvalueLoss
    /// The state M, Hermitian.
    public private(set) var matrix: ComplexMatrix
    /// Eigenvalues of M, ascending.
    public private(set) var eigenvalues: [Double]
    /// U^*, with M = U diag(eigenvalues) U^*.
    public private(set) var adjointFrame: ComplexMatrix

    private let eigen: HermitianEigen
    private var dH: ComplexMatrix
    private var product: ComplexMatrix
    private var rotated: ComplexMatrix
    private var candidate: ComplexMatrix

    /// Starts at M = diag(x): the frame is a permutation, no decomposition needed.
    public init(eigenvalues x: [Double], amplitudes: DysonAmplitudes, loss: EigenvalueLoss = .none) {
        precondition(!x.isEmpty && x.allSatisfy(\.isFinite), "finite starting eigenvalues")
        let n = x.count
        size = n
        self.amplitudes = amplitudes
        self.loss = loss
        matrix = .diagonal(x)
        let order = x.indices.sorted { x[$0] < x[$1] }
        eigenvalues = order.map { x[$0] }
        adjointFrame = ComplexMatrix(size: n)
        for (k, i) in order.enumerated() { adjointFrame[k, i] = (1, 0) }
        eigen = HermitianEigen(size: n)
        dH = ComplexMatrix(size: n)
        product = ComplexMatrix(size: n)
        rotated = ComplexMatrix(size: n)
        candidate = ComplexMatrix(size: n)
    }

    /// Starts at a given Hermitian M.
    public convenience init(
        matrix m: ComplexMatrix, amplitudes: DysonAmplitudes, loss: EigenvalueLoss = .none
    ) throws(LinearAlgebraError) {
        self.init(eigenvalues: [Double](repeating: 0, count: m.size), amplitudes: amplitudes, loss: loss)
        var h = m
        h.symmetrize()
        try eigen.decompose(h)
        matrix = h
        eigenvalues = eigen.values
        adjointFrame.copy(from: eigen.adjointFrame)
    }

    /// The orthogonal split of a Hermitian increment at the current M: (P_M h, P_M^perp h).
    public func split(_ h: ComplexMatrix) -> (tangential: ComplexMatrix, normal: ComplexMatrix) {
        ComplexBLAS.gemm(adjointFrame, h, into: &product)
        ComplexBLAS.gemm(product, adjointFrame, adjointB: true, into: &rotated)
        var diagonal = ComplexMatrix(size: size)
        var offDiagonal = rotated
        for i in 0..<size {
            diagonal[i, i] = (rotated[i, i].re, 0)
            offDiagonal[i, i] = (0, 0)
        }
        return (frame(offDiagonal), frame(diagonal))
    }

    /// U D U^* for D given in the eigenframe.
    private func frame(_ d: ComplexMatrix) -> ComplexMatrix {
        var t = ComplexMatrix(size: size), out = ComplexMatrix(size: size)
        ComplexBLAS.gemm(adjointFrame, adjointA: true, d, into: &t)
        ComplexBLAS.gemm(t, adjointFrame, into: &out)
        return out
    }

    /// One Euler-Maruyama step of length dt. On error nothing changes.
    public func step(dt: Double, rng: inout Xoshiro256) throws(StepError) {
        let n = size
        let a = amplitudes.tangential, b = amplitudes.normal
        HermitianWiener.increment(into: &dH, dt: dt, rng: &rng)
        // rotated = U^* dH U, then overwritten in place by the increment in the eigenframe.
        ComplexBLAS.gemm(adjointFrame, dH, into: &product)
        ComplexBLAS.gemm(product, adjointFrame, adjointB: true, into: &rotated)
        rotated.storage.withUnsafeMutableBufferPointer { g in
            for i in 0..<n {
                for j in 0..<n where j != i {
                    g[2 * (i * n + j)] *= a
                    g[2 * (i * n + j) + 1] *= a
                }
                // -grad L = -U diag(E'(x)) U^* (section 11.1), E'(x_i) paired with the frame's row i.
                g[2 * (i * n + i)] = b * g[2 * (i * n + i)] - loss.derivative(at: eigenvalues[i]) * dt
                g[2 * (i * n + i) + 1] = 0
            }
        }
        ComplexBLAS.gemm(adjointFrame, adjointA: true, rotated, into: &product)
        ComplexBLAS.gemm(product, adjointFrame, into: &candidate)
        candidate.add(matrix)
        candidate.symmetrize()
        let squares = candidate.normSquared
        guard squares.isFinite else { throw .nonFinite(quantity: "M") }
        let bound = StepCheck.divergenceBound
        guard squares <= bound * bound else { throw .diverged(quantity: "M") }
        do { try eigen.decompose(candidate) } catch { throw .linearAlgebra(error) }
        swap(&matrix, &candidate)
        for i in 0..<n { eigenvalues[i] = eigen.values[i] }
        adjointFrame.copy(from: eigen.adjointFrame)
    }
}
