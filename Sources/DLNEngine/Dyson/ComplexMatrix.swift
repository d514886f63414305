import CLinearAlgebra

/// A square complex matrix, row-major, each entry stored as (re, im) side by side: the memory
/// layout of LAPACK's `lapack_complex_double` and of the `cblas_z*` routines, so both read the
/// buffer in place. It holds the Hermitian states M of the Dyson lift and their unitary frames.
public struct ComplexMatrix: Equatable, Sendable {
    public let size: Int
    /// 2 * size * size doubles: entry (i, j) at 2 (i size + j) (real) and the next (imaginary).
    public var storage: [Double]

    public init(size n: Int) {
        precondition(n >= 1, "a matrix needs a size >= 1")
        size = n
        storage = [Double](repeating: 0, count: 2 * n * n)
    }

    /// Real and imaginary parts given as real matrices.
    public init(real: Matrix, imaginary: Matrix) {
        precondition(real.isSquare && real.rows == imaginary.rows && real.cols == imaginary.cols)
        self.init(size: real.rows)
        for k in 0..<real.count {
            storage[2 * k] = real.storage[k]
            storage[2 * k + 1] = imaginary.storage[k]
        }
    }

    public static func diagonal(_ values: [Double]) -> ComplexMatrix {
        var m = ComplexMatrix(size: values.count)
        for (i, v) in values.enumerated() { m[i, i] = (v, 0) }
        return m
    }

    public static func identity(_ n: Int) -> ComplexMatrix { diagonal([Double](repeating: 1, count: n)) }

    public subscript(i: Int, j: Int) -> (re: Double, im: Double) {
        get { (storage[2 * (i * size + j)], storage[2 * (i * size + j) + 1]) }
        set {
            storage[2 * (i * size + j)] = newValue.re
            storage[2 * (i * size + j) + 1] = newValue.im
        }
    }

    public var real: Matrix {
        var m = Matrix.zeros(size)
        for k in 0..<m.count { m.storage[k] = storage[2 * k] }
        return m
    }

    public var imaginary: Matrix {
        var m = Matrix.zeros(size)
        for k in 0..<m.count { m.storage[k] = storage[2 * k + 1] }
        return m
    }

    /// The conjugate transpose M^*.
    public var adjoint: ComplexMatrix {
        var a = ComplexMatrix(size: size)
        for i in 0..<size {
            for j in 0..<size {
                let z = self[j, i]
                a[i, j] = (z.re, -z.im)
            }
        }
        return a
    }

    public var isFinite: Bool {
        storage.withUnsafeBufferPointer { p in
            for x in p where !x.isFinite { return false }
            return true
        }
    }

    /// ||M||^2 = Tr(M^* M), the norm the paper puts on Her_d (section 11.1).
    public var normSquared: Double {
        storage.withUnsafeBufferPointer { p in
            var s = 0.0
            for x in p { s += x * x }
            return s
        }
    }

    /// Re Tr(A^* B): the real inner product that makes Her_d Euclidean.
    public func dot(_ other: ComplexMatrix) -> Double {
        precondition(size == other.size)
        var s = 0.0
        for k in 0..<storage.count { s += storage[k] * other.storage[k] }
        return s
    }

    /// The largest |M_ij - conj(M_ji)|: zero for a Hermitian matrix.
    public var hermitianDefect: Double {
        var worst = 0.0
        for i in 0..<size {
            for j in i..<size {
                let a = self[i, j], b = self[j, i]
                worst = max(worst, abs(a.re - b.re), abs(a.im + b.im))
            }
        }
        return worst
    }

    /// Replaces M by (M + M^*)/2, removing the round-off that products leave off the Hermitian space.
    public mutating func symmetrize() {
        storage.withUnsafeMutableBufferPointer { p in
            let n = size
            for i in 0..<n {
                p[2 * (i * n + i) + 1] = 0
                for j in (i + 1)..<n {
                    let u = 2 * (i * n + j), l = 2 * (j * n + i)
                    let re = 0.5 * (p[u] + p[l]), im = 0.5 * (p[u + 1] - p[l + 1])
                    p[u] = re; p[u + 1] = im
                    p[l] = re; p[l + 1] = -im
                }
            }
        }
    }

    public mutating func copy(from other: ComplexMatrix) {
        precondition(size == other.size)
        storage.withUnsafeMutableBufferPointer { d in
            other.storage.withUnsafeBufferPointer { s in _ = d.update(fromContentsOf: s) }
        }
    }

    /// self += x
    public mutating func add(_ x: ComplexMatrix) {
        precondition(size == x.size)
        storage.withUnsafeMutableBufferPointer { d in
            x.storage.withUnsafeBufferPointer { s in
                for k in 0..<d.count { d[k] += s[k] }
            }
        }
    }

    /// Allocating product, for tests and cold paths.
    public static func * (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        var c = ComplexMatrix(size: a.size)
        ComplexBLAS.gemm(a, b, into: &c)
        return c
    }
}

/// Complex matrix products through `cblas_zgemm`.
public enum ComplexBLAS {
    /// C = op(A) op(B), op the identity or the conjugate transpose.
    public static func gemm(
        _ a: ComplexMatrix, adjointA: Bool = false, _ b: ComplexMatrix, adjointB: Bool = false,
        into c: inout ComplexMatrix
    ) {
        precondition(a.size == b.size && b.size == c.size, "gemm: incompatible sizes")
        let n = Int32(a.size)
        // Scalars as tuples on the stack: array literals here cost two allocations per product.
        var one = (1.0, 0.0), zero = (0.0, 0.0)
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    withUnsafePointer(to: &one) { alpha in
                        withUnsafePointer(to: &zero) { beta in
                            cblas_zgemm(
                                CblasRowMajor, adjointA ? CblasConjTrans : CblasNoTrans,
                                adjointB ? CblasConjTrans : CblasNoTrans, n, n, n, alpha,
                                pa.baseAddress, n, pb.baseAddress, n, beta, pc.baseAddress, n)
                        }
                    }
                }
            }
        }
    }
}
