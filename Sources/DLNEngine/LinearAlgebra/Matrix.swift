/// A dense real matrix, row-major over one contiguous `[Double]`.
///
/// Row-major storage read by LAPACK as column-major is the transpose; `SVD` exploits that instead
/// of copying. Every hot-path operation writes into a preallocated matrix (`inout`), so a step
/// allocates nothing once its workspaces exist.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    public var storage: [Double]

    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.storage = [Double](repeating: value, count: rows * cols)
    }

    public init(rows: Int, cols: Int, storage: [Double]) {
        precondition(storage.count == rows * cols, "storage does not match \(rows)x\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// Rows given as nested arrays; used by tests and file readers.
    public init(_ nested: [[Double]]) {
        let r = nested.count
        let c = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: r, cols: c, storage: nested.flatMap { $0 })
    }

    public static func zeros(_ n: Int) -> Matrix { Matrix(rows: n, cols: n) }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    public static func diagonal(_ values: [Double]) -> Matrix {
        let n = values.count
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.storage[i * n + i] = values[i] }
        return m
    }

    @inline(__always)
    public subscript(i: Int, j: Int) -> Double {
        get { storage[i * cols + j] }
        set { storage[i * cols + j] = newValue }
    }

    public var isSquare: Bool { rows == cols }
    public var count: Int { storage.count }

    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { t.storage[j * rows + i] = storage[i * cols + j] } }
        return t
    }

    public var isFinite: Bool {
        storage.withUnsafeBufferPointer { p in
            for x in p where !x.isFinite { return false }
            return true
        }
    }

    public var frobeniusNorm: Double { sumOfSquares.squareRoot() }

    public var maxAbs: Double { storage.reduce(0) { max($0, abs($1)) } }

    public var trace: Double {
        var s = 0.0
        for i in 0..<min(rows, cols) { s += self[i, i] }
        return s
    }

    public func row(_ i: Int) -> ArraySlice<Double> { storage[(i * cols)..<((i + 1) * cols)] }

    /// Frobenius inner product <A, B> = tr(A^T B) (8.5).
    public func dot(_ other: Matrix) -> Double {
        precondition(rows == other.rows && cols == other.cols)
        var s = 0.0
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                for k in 0..<a.count { s += a[k] * b[k] }
            }
        }
        return s
    }

    public mutating func setZero() {
        storage.withUnsafeMutableBufferPointer { p in p.update(repeating: 0) }
    }

    /// self := other^T, in place of what self held (same shape as other^T: no allocation).
    public mutating func copyTransposed(from other: Matrix) {
        precondition(rows == other.cols && cols == other.rows, "copyTransposed: incompatible shapes")
        let r = other.rows, c = other.cols
        storage.withUnsafeMutableBufferPointer { out in
            other.storage.withUnsafeBufferPointer { x in
                // Pointer steps, not index arithmetic: Swift checks every Int multiply and add for
                // overflow, which made this loop 12% of a d = 16 upstairs step.
                guard let o = out.baseAddress, let s = x.baseAddress else { return }
                for i in 0..<r {
                    var source = s + i &* c, target = o + i
                    for _ in 0..<c {
                        target.pointee = source.pointee
                        source += 1
                        target += r
                    }
                }
            }
        }
    }

    public mutating func copy(from other: Matrix) {
        precondition(rows == other.rows && cols == other.cols)
        storage.withUnsafeMutableBufferPointer { d in
            other.storage.withUnsafeBufferPointer { s in _ = d.update(fromContentsOf: s) }
        }
    }

    /// self += alpha * x
    public mutating func add(_ x: Matrix, scaledBy alpha: Double = 1) {
        precondition(rows == x.rows && cols == x.cols)
        storage.withUnsafeMutableBufferPointer { d in
            x.storage.withUnsafeBufferPointer { s in
                for k in 0..<d.count { d[k] += alpha * s[k] }
            }
        }
    }

    /// self = a + alpha * b, in one pass (the same arithmetic as a copy of a followed by `add`).
    public mutating func setSum(_ a: Matrix, _ b: Matrix, scaledBy alpha: Double) {
        precondition(rows == a.rows && cols == a.cols && rows == b.rows && cols == b.cols)
        storage.withUnsafeMutableBufferPointer { d in
            a.storage.withUnsafeBufferPointer { x in
                b.storage.withUnsafeBufferPointer { y in
                    for k in 0..<d.count { d[k] = x[k] + alpha * y[k] }
                }
            }
        }
    }

    public mutating func scale(by alpha: Double) {
        storage.withUnsafeMutableBufferPointer { d in
            for k in 0..<d.count { d[k] *= alpha }
        }
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix { var c = a; c.add(b); return c }
    public static func - (a: Matrix, b: Matrix) -> Matrix { var c = a; c.add(b, scaledBy: -1); return c }
    public static func * (s: Double, a: Matrix) -> Matrix { var c = a; c.scale(by: s); return c }

    /// Allocating product, for tests, set-up and other cold paths.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, cols: b.cols)
        BLAS.gemm(a, b, into: &c)
        return c
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        (0..<rows).map { i in row(i).map { String($0) }.joined(separator: ", ") }.joined(separator: "\n")
    }
}
