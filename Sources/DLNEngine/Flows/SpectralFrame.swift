/// Lemma 1's frame at the current W = U diag(sigma) V^T: the SVD, the eigenvalues C_kl of the
/// operator A_{N,W} (4.14), and the maps between a matrix and its coordinates U^T Z V.
/// One per downstairs flow; every buffer is allocated once.
public final class SpectralFrame {
    public let size: Int
    /// LAPACK: the cold start, the fallback of the tracker, and the home of the fault hook
    /// `simulatedNonConvergence` (while it is positive, `update` throws as LAPACK would).
    public let svd: SVD
    /// Warm-started Jacobi from the previous frame (nil: LAPACK on every update).
    @exclusivity(unchecked) public private(set) var tracker: TrackingSVD?
    /// At d = 2 the closed form replaces the tracker (nil: tracking off, or d != 2).
    @exclusivity(unchecked) public private(set) var closedForm: ClosedFormSVD2?
    /// C_kl, symmetric.
    @exclusivity(unchecked) public private(set) var eigenvalues: Matrix
    @exclusivity(unchecked) private var lemmaScratch: [Double]
    /// Updates that ran LAPACK (cold starts, refreshes, fallbacks) and that the tracker served.
    @exclusivity(unchecked) public private(set) var lapackCount = 0
    @exclusivity(unchecked) public private(set) var trackedCount = 0
    @exclusivity(unchecked) public private(set) var closedFormCount = 0
    @exclusivity(unchecked) private var temp: Matrix

    /// Above this width LAPACK beats the tracker's sweeps: a warm step takes 2-3 sweeps of ~12 d^3
    /// flops in SSE2 loops, dgesdd ~20 d^3 mostly in blocked BLAS. Measured (`dlntui bench`, steps/s
    /// with tracking over LAPACK, N = 4): riemannian 1.6x at d = 24, 0.7-1.6x at 32, 0.7-0.9x at 48,
    /// 0.6x at 64; langevin (one sweep more) 1.04-1.18x at 24, 0.83-0.96x at 32, 0.5x at 64.
    public static let trackingLimit = 24

    public init(size d: Int, tracking: Bool = true) {
        size = d
        svd = SVD(size: d)
        closedForm = tracking && d == 2 ? ClosedFormSVD2() : nil
        tracker = tracking && d != 2 && d <= SpectralFrame.trackingLimit ? TrackingSVD(size: d) : nil
        eigenvalues = .zeros(d)
        lemmaScratch = [Double](repeating: 0, count: 2 * d)
        temp = .zeros(d)
    }

    /// Off, every update is a LAPACK call: the reference path the tracker is tested against.
    /// Switching on takes effect from the next update (which starts cold).
    public var isTracking: Bool {
        get { tracker != nil || closedForm != nil }
        set {
            if !newValue {
                tracker = nil; closedForm = nil
            } else if size == 2 {
                if closedForm == nil { closedForm = ClosedFormSVD2() }
            } else if tracker == nil, size <= SpectralFrame.trackingLimit {
                tracker = TrackingSVD(size: size)
            }
        }
    }

    public var sigma: [Double] { closedForm?.sigma ?? tracker?.sigma ?? svd.sigma }
    public var u: Matrix { closedForm?.u ?? tracker?.u ?? svd.u }
    public var vt: Matrix { closedForm?.vt ?? tracker?.vt ?? svd.vt }

    public func update(_ w: Matrix, depth n: Depth) throws(LinearAlgebraError) {
        // The hook goes first, so a forced failure throws from LAPACK and leaves the tracked frame
        // as it was: the retried step is then the step an undisturbed run takes.
        if svd.simulatedNonConvergence == 0, let closedForm, closedForm.decompose(w) {
            closedFormCount += 1
        } else if svd.simulatedNonConvergence == 0, let tracker, tracker.track(w) {
            trackedCount += 1
        } else {
            try svd.decompose(w)
            tracker?.load(svd)
            closedForm?.load(svd)
            lapackCount += 1
        }
        Lemma1.eigenvalues(sigma, depth: n, scratch: &lemmaScratch, into: &eigenvalues)
    }

    /// The next update starts from `other`'s tracked frame (see `TrackingSVD.adopt`).
    public func warmStart(from other: SpectralFrame) {
        if let tracker, let source = other.tracker { tracker.adopt(source) }
    }

    /// The next update starts cold (LAPACK), e.g. after the state jumped back to a checkpoint.
    public func invalidate() { tracker?.invalidate() }

    /// out = U^T Z V.
    public func coordinates(of z: Matrix, into out: inout Matrix) {
        BLAS.gemm(u, transposeA: true, z, into: &temp)
        BLAS.gemm(temp, vt, transposeB: true, into: &out)
    }

    /// out = U M V^T.
    public func synthesize(_ m: Matrix, into out: inout Matrix) {
        BLAS.gemm(u, m, into: &temp)
        BLAS.gemm(temp, vt, into: &out)
    }

    /// A_{N,W}(Z) = U (C o (U^T Z V)) V^T (Lemma 1).
    public func applyOperator(_ z: Matrix, into out: inout Matrix) {
        var coords = Matrix.zeros(size)
        coordinates(of: z, into: &coords)
        for k in 0..<coords.storage.count { coords.storage[k] *= eigenvalues.storage[k] }
        synthesize(coords, into: &out)
    }
}
