import CKernels
import Foundation
import Testing
@testable import DLNEngine

/// The tracking SVD's row rotations in C (AVX-512 where the CPU has it) must compute exactly the
/// expressions of the portable loop, so that a run's bits do not depend on the machine's vector width.
@Suite("The rotation kernel")
struct RotationKernelTests {
    @Test("equals the scalar expressions bit for bit, every length 1 ... 41, both forms")
    func sameBits() {
        var rng = Xoshiro256(seed: 42)
        for n in 1...41 {
            // The increment form at a warm start's tiny angles and at large ones (where a fused
            // multiply-add would show in the last bit), the plain form at any.
            for (small, spread) in [(true, 1e-3), (true, 0.5), (false, 1.0)] {
                let angle = spread * rng.gaussian()
                let c = cos(angle), s = sin(angle), tau = s / (1 + c)
                let x0 = (0..<n).map { _ in rng.gaussian() }, y0 = (0..<n).map { _ in rng.gaussian() }
                var x = x0, y = y0
                x.withUnsafeMutableBufferPointer { px in
                    y.withUnsafeMutableBufferPointer { py in
                        dln_rotate_rows(px.baseAddress!, py.baseAddress!, n, c, s, tau, small ? 1 : 0)
                    }
                }
                for k in 0..<n {
                    let a = x0[k], e = y0[k]
                    let ex = small ? a - s * (e + tau * a) : c * a - s * e
                    let ey = small ? e + s * (a - tau * e) : s * a + c * e
                    #expect(x[k].bitPattern == ex.bitPattern && y[k].bitPattern == ey.bitPattern,
                            "n = \(n), small = \(small), k = \(k)")
                }
            }
        }
    }

    @Test("takes the AVX-512 path on a CPU and OS that support it (CPUID and XGETBV)")
    func pathMatchesCPU() {
        let f = CPUFeatures.current
        #expect((dln_rotate_rows_uses_avx512() != 0) == (f.isX86 && f.avx512f && f.osSavesZMM), "\(f)")
    }
}
