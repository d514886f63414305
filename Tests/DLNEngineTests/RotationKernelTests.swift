import CKernels
import Foundation
import Testing
@testable import DLNEngine

/// The tracking SVD's row rotations in C (AVX-512 or AVX2 where the CPU has it) must compute exactly
/// the expressions of the portable loop, so that a run's bits do not depend on the machine's vector width.
@Suite("The rotation kernel")
struct RotationKernelTests {
    /// Rotates random rows of every length 1 ... 41 in both forms through `rotate` and compares each
    /// entry's bits with the scalar expressions.
    static func checkSameBits(_ label: String, _ rotate: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
                                                          Int, Double, Double, Double, Bool) -> Void) {
        var rng = Xoshiro256(seed: 42)
        for n in 1...41 {
            // The increment form at a warm start's tiny angles and at large ones (where a fused
            // multiply-add would show in the last bit), the plain form at any.
            for (small, spread) in [(true, 1e-3), (true, 0.5), (false, 1.0)] {
                let angle = spread * rng.gaussian()
                let c = cos(angle), s = sin(angle), tau = s / (1 + c)
                let x0 = (0..<n).map { _ in rng.gaussian() }, y0 = (0..<n).map { _ in rng.gaussian() }
                // Guards past the row's end: a masked tail must not write there.
                var x = x0 + [7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0], y = y0 + [7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0]
                x.withUnsafeMutableBufferPointer { px in
                    y.withUnsafeMutableBufferPointer { py in
                        rotate(px.baseAddress!, py.baseAddress!, n, c, s, tau, small)
                    }
                }
                for k in 0..<n {
                    let a = x0[k], e = y0[k]
                    let ex = small ? a - s * (e + tau * a) : c * a - s * e
                    let ey = small ? e + s * (a - tau * e) : s * a + c * e
                    #expect(x[k].bitPattern == ex.bitPattern && y[k].bitPattern == ey.bitPattern,
                            "\(label): n = \(n), small = \(small), k = \(k)")
                }
                #expect(x[n...].allSatisfy { $0 == 7 } && y[n...].allSatisfy { $0 == 7 }, "\(label): n = \(n) wrote past the row")
            }
        }
    }

    @Test("the dispatched rotation equals the scalar expressions bit for bit, every length 1 ... 41, both forms")
    func sameBits() {
        Self.checkSameBits("dispatched") { x, y, n, c, s, tau, small in dln_rotate_rows(x, y, n, c, s, tau, small ? 1 : 0) }
    }

    @Test("every path this machine can run (portable, AVX2, AVX-512) equals the scalar expressions bit for bit",
          arguments: [0, 1, 2])
    func everyPathSameBits(path: Int) {
        let runs = dln_rotate_rows_on(Int32(path), nil, nil, 0, 1, 0, 0, 0) != 0
        #expect(runs == (path <= Int(dln_rotate_rows_path())))
        guard runs else { return }
        Self.checkSameBits("path \(path)") { x, y, n, c, s, tau, small in
            _ = dln_rotate_rows_on(Int32(path), x, y, n, c, s, tau, small ? 1 : 0)
        }
    }

    @Test("takes the widest path the CPU and OS support (CPUID and XGETBV)")
    func pathMatchesCPU() {
        let f = CPUFeatures.current
        let expected = f.isX86 && f.avx512f && f.osSavesZMM ? 2 : f.isX86 && f.avx && f.avx2 && f.osSavesYMM ? 1 : 0
        #expect(Int(dln_rotate_rows_path()) == expected, "\(f)")
    }
}
