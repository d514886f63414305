/// The gradient flow on the N factors (3.6): dW_p/dt = -A_{p+1}^T E'(W) B_{p-1}^T, with every
/// factor's gradient from one prefix sweep (B_p = W_p ... W_1) and one suffix sweep
/// (R_p = A_{p+1}^T E'(W), R_{p-1} = W_p^T R_p): 3(N-1) products per step, not O(N^2).
/// A finite beta adds isotropic noise sqrt(2/beta) dB_p to every factor: the Langevin equation
/// (10.2) of the lifted loss, which lets the balance defect drift.
public final class UpstairsGradientFlow: Flow {
    public let kind = FlowKind.upstairs
    public var knobs: FlowKnobs
    private let energy: any Energy
    private let d: Int
    /// prefix[p-1] = B_p = W_p ... W_1; prefix[N-1] = W.
    private var prefix: [Matrix] = []
    private var gradient: Matrix
    private var suffix: Matrix
    private var suffixNext: Matrix
    private var productScratch = Matrix.zeros(0)

    public init(energy: any Energy, knobs: FlowKnobs) {
        self.energy = energy
        self.knobs = knobs
        d = energy.size
        gradient = .zeros(d)
        suffix = .zeros(d)
        suffixNext = .zeros(d)
    }

    public var hasDiffusion: Bool { knobs.beta.isFinite }

    public func prepare(at x: FlowState) throws(StepError) {
        let n = x.parts.count
        if prefix.count != n { prefix = (0..<n).map { _ in .zeros(d) } }
        prefix[0].copy(from: x.parts[0])
        for p in 1..<max(n, 1) {
            BLAS.gemm(x.parts[p], prefix[p - 1], into: &prefix[p])
        }
        energy.gradient(prefix[n - 1], into: &gradient)
    }

    public func drift(at x: FlowState, into v: inout FlowState) {
        let n = x.parts.count
        let g = -knobs.generatorScale
        suffix.copy(from: gradient)  // R_N = E'(W)
        for p in stride(from: n, through: 1, by: -1) {
            // v_p = -R_p B_{p-1}^T, with B_0 = I.
            if p == 1 {
                v.parts[0].copy(from: suffix)
                v.parts[0].scale(by: g)
            } else {
                BLAS.gemm(suffix, prefix[p - 2], transposeB: true, alpha: g, into: &v.parts[p - 1])
                BLAS.gemm(x.parts[p - 1], transposeA: true, suffix, into: &suffixNext)
                swap(&suffix, &suffixNext)
            }
        }
    }

    public func diffusion(at x: FlowState, increment dB: FlowState, into v: inout FlowState) {
        let c = (2 * knobs.generatorScale / knobs.beta).squareRoot()
        for p in 0..<v.parts.count {
            v.parts[p].copy(from: dB.parts[p])
            v.parts[p].scale(by: c)
        }
    }

    public func endToEnd(_ x: FlowState, into w: inout Matrix) {
        w.copy(from: x.parts[0])
        // Take the scratch buffer out (a plain copy would share its storage, and the first product
        // into it would allocate a fresh one on every call).
        var tmp = Matrix.zeros(0)
        swap(&tmp, &productScratch)
        if tmp.rows != d { tmp = .zeros(d) }
        for p in 1..<max(x.parts.count, 1) {
            BLAS.gemm(x.parts[p], w, into: &tmp)
            swap(&w, &tmp)
        }
        swap(&tmp, &productScratch)
    }

    public func state(for w: Matrix) throws(StepError) -> FlowState {
        do {
            return FlowState(parts: try Initialization.balancedFactorisation(w, depth: knobs.depth))
        } catch {
            throw .linearAlgebra(error)
        }
    }
}
