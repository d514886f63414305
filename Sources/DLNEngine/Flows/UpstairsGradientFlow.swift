/// The gradient flow on the N factors (3.6): dW_p/dt = -A_{p+1}^T E'(W) B_{p-1}^T, with every
/// factor's gradient from one prefix sweep (B_p = W_p ... W_1) and one suffix sweep
/// (R_p = A_{p+1}^T E'(W), R_{p-1} = W_p^T R_p): 3(N-1) products per step, not O(N^2).
/// A finite beta adds isotropic noise sqrt(2/beta) dB_p to every factor: the Langevin equation
/// (10.2) of the lifted loss, which lets the balance defect drift.
public final class UpstairsGradientFlow: Flow {
    public let kind = FlowKind.upstairs
    @exclusivity(unchecked) public var knobs: FlowKnobs
    let energy: any Energy
    let d: Int
    /// The buffers an evaluation writes, owned by the evaluation (its `frame`). An evaluation takes
    /// them out of that object once and works on a local: class properties touched in its loops cost
    /// a dynamic exclusivity check per access (a quarter of a step's instructions at d = 4).
    private struct Workspace {
        /// prefix[p-1] = B_p = W_p ... W_1; prefix[N-1] = W.
        var prefix: [Matrix] = []
        var gradient = Matrix.zeros(0)
        var suffix = Matrix.zeros(0)
        var suffixNext = Matrix.zeros(0)
        /// B_{p-1}^T where the kernel's A B^T is slow (`BLAS.gemmTransposedB`).
        var transposed = Matrix.zeros(0)
    }
    private final class Buffers {
        @exclusivity(unchecked) var workspace = Workspace()
        /// The small-d path's raw buffers (`evaluateSmall`): N prefix products, then R_p and R_{p-1}.
        var raw: UnsafeMutablePointer<Double>? = nil
        var rawDepth = 0
        deinit { raw?.deallocate() }
    }
    private var productScratch = Matrix.zeros(0)
    /// The fused Euler step's raw buffers and matrices (UpstairsFusedStep.swift).
    @exclusivity(unchecked) var fused = FusedBuffers()
    /// Off, every size takes the Matrix path and the integrator's general step: the reference the
    /// small-d paths are tested against (bit for bit).
    var usesSmallPaths = true

    // The fused step's raw buffers are the flow's own (a study makes one flow per member: a
    // 10,000-member ensemble leaked 6 KB each before this).
    deinit { fused.raw?.deallocate() }

    public init(energy: any Energy, knobs: FlowKnobs) {
        self.energy = energy
        self.knobs = knobs
        d = energy.size
    }

    public var hasDiffusion: Bool { kind.hasDiffusion(beta: knobs.beta, kappa: knobs.kappa) }

    public func makeEvaluation(like x: FlowState) -> FlowEvaluation {
        let buffers = Buffers()
        buffers.workspace.prefix = x.parts.map { _ in .zeros(d) }
        buffers.workspace.gradient = .zeros(d)
        buffers.workspace.suffix = .zeros(d)
        buffers.workspace.suffixNext = .zeros(d)
        buffers.workspace.transposed = .zeros(d)
        return FlowEvaluation(drift: FlowState(zerosLike: x), frame: buffers)
    }

    /// The prefix products B_p, E'(W), then the drift from the suffix sweep.
    public func evaluate(at x: FlowState, into e: inout FlowEvaluation) throws(StepError) {
        let buffers = unsafeDowncast(e.frame!, to: Buffers.self)
        if d <= BLAS.smallSize && usesSmallPaths {
            evaluateSmall(at: x, into: &e, buffers)
            return
        }
        var w = Workspace()
        swap(&w, &buffers.workspace)
        defer { swap(&w, &buffers.workspace) }
        let n = x.parts.count, d = self.d
        if w.prefix.count != n { w.prefix = (0..<n).map { _ in .zeros(d) } }
        w.prefix[0].copy(from: x.parts[0])
        for p in 1..<max(n, 1) {
            BLAS.gemm(x.parts[p], w.prefix[p - 1], into: &w.prefix[p])
        }
        energy.gradient(w.prefix[n - 1], into: &w.gradient)
        let g = -knobs.generatorScale
        w.suffix.copy(from: w.gradient)  // R_N = E'(W)
        for p in stride(from: n, through: 1, by: -1) {
            // v_p = -R_p B_{p-1}^T, with B_0 = I.
            if p == 1 {
                e.drift.parts[0].copy(from: w.suffix)
                e.drift.parts[0].scale(by: g)
            } else {
                BLAS.gemmTransposedB(w.suffix, w.prefix[p - 2], alpha: g, into: &e.drift.parts[p - 1], scratch: &w.transposed)
                BLAS.gemm(x.parts[p - 1], transposeA: true, w.suffix, into: &w.suffixNext)
                swap(&w.suffix, &w.suffixNext)
            }
        }
    }

    /// The same sweeps for d <= `BLAS.smallSize` on raw buffers with `BLAS.smallKernel` called
    /// directly: the same kernel `BLAS.gemm` runs at these sizes, so the drift is the same to the
    /// bit, without the per-product Matrix accesses (retain, release and uniqueness checks were
    /// two thirds of a 2 x 2 step's instructions, callgrind).
    private func evaluateSmall(at x: FlowState, into e: inout FlowEvaluation, _ buffers: Buffers) {
        let n = x.parts.count, d = self.d, dd = d * d
        if buffers.rawDepth != n || buffers.raw == nil {
            buffers.raw?.deallocate()
            buffers.raw = .allocate(capacity: (n + 2) * dd)
            buffers.raw!.initialize(repeating: 0, count: (n + 2) * dd)
            buffers.rawDepth = n
        }
        let prefix = buffers.raw!
        var suffix = prefix + n * dd, suffixNext = suffix + dd
        var w = Workspace()
        swap(&w, &buffers.workspace)
        defer { swap(&w, &buffers.workspace) }
        if w.prefix.isEmpty { w.prefix = [.zeros(d)] }
        // B_1 = W_1, B_p = W_p B_{p-1}.
        x.parts[0].storage.withUnsafeBufferPointer { prefix.update(from: $0.baseAddress!, count: dd) }
        for p in 1..<max(n, 1) {
            x.parts[p].storage.withUnsafeBufferPointer { a in
                BLAS.smallKernel(a.baseAddress!, d, 1, prefix + (p - 1) * dd, d, 1, prefix + p * dd, d, d, d, d, 1, 0)
            }
        }
        // E'(W) through the Energy interface, W and E'(W) in the workspace's matrices.
        w.prefix[0].storage.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: prefix + (n - 1) * dd, count: dd) }
        energy.gradient(w.prefix[0], into: &w.gradient)
        w.gradient.storage.withUnsafeBufferPointer { suffix.update(from: $0.baseAddress!, count: dd) }
        let g = -knobs.generatorScale
        for p in stride(from: n, through: 1, by: -1) {
            if p == 1 {
                e.drift.parts[0].storage.withUnsafeMutableBufferPointer { v in
                    for k in 0..<dd { v[k] = suffix[k] * g }
                }
            } else {
                // v_p = g R_p B_{p-1}^T, R_{p-1} = W_p^T R_p.
                let b = prefix + (p - 2) * dd
                e.drift.parts[p - 1].storage.withUnsafeMutableBufferPointer { v in
                    BLAS.smallKernel(suffix, d, 1, b, 1, d, v.baseAddress!, d, d, d, d, g, 0)
                }
                x.parts[p - 1].storage.withUnsafeBufferPointer { a in
                    BLAS.smallKernel(a.baseAddress!, 1, d, suffix, d, 1, suffixNext, d, d, d, d, 1, 0)
                }
                swap(&suffix, &suffixNext)
            }
        }
    }

    public func diffusion(_ e: FlowEvaluation, increment dB: FlowState, into v: inout FlowState) {
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
            return FlowState(parts: try Initialization.balancedFactorisation(w, depth: knobs.depth.storedFactors))
        } catch {
            throw .linearAlgebra(error)
        }
    }
}
