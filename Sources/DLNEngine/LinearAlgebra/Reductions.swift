import CLinearAlgebra

extension Matrix {
    /// ||M||_F^2 through BLAS ddot: a plain `s += x * x` loop is one dependent add per entry (the
    /// compiler may not reorder it), about 4x slower at d = 64, where the integrator runs it on every
    /// part of every step. Overflow gives +inf, as the plain sum would.
    public var sumOfSquares: Double {
        storage.withUnsafeBufferPointer { p in
            // Below ~64 entries the call costs more than the loop.
            if p.count < 64 {
                var s = 0.0
                for x in p { s += x * x }
                return s
            }
            return cblas_ddot(Int32(p.count), p.baseAddress, 1, p.baseAddress, 1)
        }
    }
}
