/// Bures-Wasserstein (Remark 9): N = 2 with W_2 = W_1^T, so W = W_1^T W_1 stays positive
/// semidefinite. The state is W_1 on V = {(W_1, W_1^T)} with the metric V inherits from M_d^2: a
/// tangent (Z, Z^T) has squared norm 2 ||Z||^2, so the gradient of L(W_1) = E(W_1^T W_1) is half the
/// Euclidean one, dW_1/dt = -W_1 sym(E'(W)), and then dW/dt = -(W sym(E') + sym(E') W): the N = 2
/// flow (4.11) at symmetric W. (The plain Euclidean gradient in W_1 would run twice as fast.)
public final class BuresWassersteinFlow: Flow {
    public let kind = FlowKind.buresWasserstein
    public var knobs: FlowKnobs
    private let energy: any Energy
    private var w: Matrix
    private var gradient: Matrix
    private var symmetric: Matrix

    public init(energy: any Energy, knobs: FlowKnobs) {
        self.energy = energy
        self.knobs = knobs
        let d = energy.size
        w = .zeros(d)
        gradient = .zeros(d)
        symmetric = .zeros(d)
    }

    public var hasDiffusion: Bool { kind.hasDiffusion(beta: knobs.beta, kappa: knobs.kappa) }

    public func makeEvaluation(like x: FlowState) -> FlowEvaluation {
        FlowEvaluation(drift: FlowState(zerosLike: x), frame: nil)
    }

    /// dW_1/dt = -W_1 sym(E'(W_1^T W_1)), times the generator's scale.
    public func evaluate(at x: FlowState, into e: inout FlowEvaluation) throws(StepError) {
        endToEnd(x, into: &w)
        energy.gradient(w, into: &gradient)
        let d = energy.size
        for i in 0..<d {
            for j in 0..<d { symmetric[i, j] = 0.5 * (gradient[i, j] + gradient[j, i]) }
        }
        BLAS.gemm(x.parts[0], symmetric, alpha: -knobs.generatorScale, into: &e.drift.parts[0])
    }

    public func diffusion(_ e: FlowEvaluation, increment dB: FlowState, into v: inout FlowState) {}

    public func endToEnd(_ x: FlowState, into w: inout Matrix) {
        BLAS.gemm(x.parts[0], transposeA: true, x.parts[0], into: &w)
    }

    /// W_1 = W^(1/2) for the symmetric part of W, negative eigenvalues set to 0 (the nearest PSD).
    public func state(for w: Matrix) throws(StepError) -> FlowState {
        let sym = 0.5 * (w + w.transposed)
        let eigen: (values: [Double], vectors: Matrix)
        do { eigen = try symmetricEigen(sym) } catch { throw .linearAlgebra(error) }
        let q = eigen.vectors
        let root = Matrix.diagonal(eigen.values.map { max($0, 0).squareRoot() })
        return FlowState(parts: [q * root * q.transposed])
    }
}
