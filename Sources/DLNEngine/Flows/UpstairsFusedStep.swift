import Foundation

import CLinearAlgebra

/// A flow that can take a whole noiseless explicit Euler step itself, x + dt drift(x) checked as
/// `StepCheck` checks it, for less than the integrator's evaluate, sum and check apart.
protocol FusedEulerStepping: AnyObject {
    /// candidate := x + dt drift(x), checked; false (nothing written) when this flow cannot fuse
    /// the step at x, and the integrator then takes its general step.
    func fusedEulerStep(_ x: FlowState, dt: Double, into candidate: inout FlowState) throws(StepError) -> Bool
}

/// The buffers of `UpstairsGradientFlow`'s fused step: the factors, the prefix products B_p, the
/// candidate (N blocks each), then R_p, R_{p-1} and a spare; W and E'(W) as matrices for `Energy`.
struct FusedBuffers {
    var raw: UnsafeMutablePointer<Double>? = nil
    var depth = 0
    var w = Matrix.zeros(0)
    var gradient = Matrix.zeros(0)

    mutating func fit(depth n: Int, size d: Int) -> UnsafeMutablePointer<Double> {
        if let raw, depth == n { return raw }
        raw?.deallocate()
        let count = (3 * n + 3) * d * d
        let r = UnsafeMutablePointer<Double>.allocate(capacity: count)
        r.initialize(repeating: 0, count: count)
        raw = r
        depth = n
        w = .zeros(d)
        gradient = .zeros(d)
        return r
    }
}

extension UpstairsGradientFlow: FusedEulerStepping {
    /// For d <= `BLAS.smallSize` without noise: the sweeps of `evaluate` with `BLAS.smallKernel` (the
    /// kernel `BLAS.gemm` runs at these sizes) on raw copies of the factors, the sum x + dt v and the
    /// checks of `StepCheck` in the same arithmetic, so the candidate and the refusals are the
    /// general step's to the bit. Each Matrix access of the general step costs a retain, a release
    /// or a uniqueness check: at d = 2, N = 4 they were most of its ~6,000 instructions (callgrind).
    func fusedEulerStep(_ x: FlowState, dt: Double, into candidate: inout FlowState) throws(StepError) -> Bool {
        let n = x.parts.count, d = self.d, dd = d * d
        guard d <= BLAS.smallSize, usesSmallPaths, n >= 1, candidate.parts.count == n, !hasDiffusion else { return false }
        let xs = fused.fit(depth: n, size: d)
        let prefix = xs + n * dd, next = prefix + n * dd
        var suffix = next + n * dd, suffixNext = suffix + dd
        let spare = suffixNext + dd
        for p in 0..<n {
            x.parts[p].storage.withUnsafeBufferPointer { Self.copy(xs + p * dd, $0.baseAddress!, dd) }
        }
        // B_1 = W_1, B_p = W_p B_{p-1}; then R_N = E'(W).
        Self.copy(prefix, xs, dd)
        for p in 1..<n {
            Self.product(xs + p * dd, d, 1, prefix + (p - 1) * dd, d, 1, prefix + p * dd, d, d, d, d, 1, 0)
        }
        fused.w.storage.withUnsafeMutableBufferPointer { Self.copy($0.baseAddress!, prefix + (n - 1) * dd, dd) }
        energy.gradient(fused.w, into: &fused.gradient)
        fused.gradient.storage.withUnsafeBufferPointer { Self.copy(suffix, $0.baseAddress!, dd) }
        let g = -knobs.generatorScale
        for p in stride(from: n, through: 1, by: -1) {
            // v_p = g R_p B_{p-1}^T (B_0 = I) into the spare, the candidate's block x_p + dt v_p.
            if p == 1 {
                for k in 0..<dd { spare[k] = suffix[k] * g }
            } else {
                Self.product(suffix, d, 1, prefix + (p - 2) * dd, 1, d, spare, d, d, d, d, g, 0)
            }
            let xp = xs + (p - 1) * dd, cp = next + (p - 1) * dd
            for k in 0..<dd { cp[k] = xp[k] + dt * spare[k] }
            if p > 1 {
                // R_{p-1} = W_p^T R_p.
                Self.product(xp, 1, d, suffix, d, 1, suffixNext, d, d, d, d, 1, 0)
                swap(&suffix, &suffixNext)
            }
        }
        try Self.check(next, from: xs, depth: n, size: d, scratch: (spare, suffix))
        for p in 0..<n {
            candidate.parts[p].storage.withUnsafeMutableBufferPointer {
                Self.copy($0.baseAddress!, next + p * dd, dd)
            }
        }
        return true
    }

    /// `BLAS.smallKernel` for d x d blocks (beta = 0), written out for d = 2: each entry the same
    /// sum (0 + a_i1 b_1j) + a_i2 b_2j, times alpha, as the kernel's loop forms it, without its loop
    /// overhead (most of the 2 x 2 step's instructions).
    @inline(__always)
    private static func product(
        _ a: UnsafePointer<Double>, _ ai: Int, _ al: Int, _ b: UnsafePointer<Double>, _ bl: Int, _ bj: Int,
        _ c: UnsafeMutablePointer<Double>, _ ldc: Int, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double, _ beta: Double
    ) {
        if m == 2 && n == 2 && k == 2 {
            for i in 0..<2 {
                let x0 = a[i * ai], x1 = a[i * ai + al]
                var s0 = 0.0, s1 = 0.0
                s0 += x0 * b[0]
                s1 += x0 * b[bj]
                s0 += x1 * b[bl]
                s1 += x1 * b[bl + bj]
                c[i * ldc] = alpha * s0
                c[i * ldc + 1] = alpha * s1
            }
            return
        }
        BLAS.smallKernel(a, ai, al, b, bl, bj, c, ldc, m, n, k, alpha, beta)
    }

    /// A plain loop: memmove's call costs more than moving 4-64 doubles.
    @inline(__always)
    private static func copy(_ to: UnsafeMutablePointer<Double>, _ from: UnsafePointer<Double>, _ count: Int) {
        for k in 0..<count { to[k] = from[k] }
    }

    /// `Matrix.sumOfSquares` over a raw block of `count` entries (the same loop, or ddot from 64).
    @inline(__always)
    private static func sumOfSquares(_ a: UnsafePointer<Double>, _ count: Int) -> Double {
        if count == 4 {
            var s = 0.0
            s += a[0] * a[0]; s += a[1] * a[1]; s += a[2] * a[2]; s += a[3] * a[3]
            return s
        }
        if count < 64 {
            var s = 0.0
            for k in 0..<count { s += a[k] * a[k] }
            return s
        }
        return cblas_ddot(Int32(count), a, 1, a, 1)
    }

    /// `StepCheck.check` on raw blocks: the same tests in the same order, the same messages.
    private static func check(
        _ c: UnsafeMutablePointer<Double>, from x: UnsafeMutablePointer<Double>, depth n: Int, size d: Int,
        scratch: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>)
    ) throws(StepError) {
        let dd = d * d
        let bound = StepCheck.divergenceBound, jump = StepCheck.jumpFactor
        var logBound = 0.0, squaresProduct = 1.0, folded = false
        for p in 0..<n {
            let squares = sumOfSquares(c + p * dd, dd)
            guard squares.isFinite else { throw .nonFinite(quantity: "factor W_\(p + 1)") }
            guard squares <= bound * bound else { throw .diverged(quantity: "factor W_\(p + 1)") }
            let scale = max(sumOfSquares(x + p * dd, dd), Double(d))
            guard squares <= jump * jump * scale else { throw .diverged(quantity: "factor W_\(p + 1)") }
            squaresProduct *= squares
            if !(squaresProduct >= 0x1p-600 && squaresProduct <= 0x1p600) {
                logBound += 0.5 * log(squaresProduct)
                squaresProduct = 1
                folded = true
            }
        }
        let passed = folded ? logBound + 0.5 * log(squaresProduct) > log(bound) : squaresProduct > bound * bound
        guard n > 1 && passed else { return }
        // W of the candidate as `endToEnd` forms it: w = x_1, then w <- x_p w.
        var w = scratch.0, tmp = scratch.1
        copy(w, c, dd)
        for p in 1..<n {
            Self.product(c + p * dd, d, 1, w, d, 1, tmp, d, d, d, d, 1, 0)
            swap(&w, &tmp)
        }
        let norm = sumOfSquares(w, dd).squareRoot()
        guard norm.isFinite else { throw .nonFinite(quantity: "end-to-end W") }
        guard norm <= bound else { throw .diverged(quantity: "end-to-end W") }
    }
}
