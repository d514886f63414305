/// Matrix sensing: E = 1/(2m) sum_k (<A_k, W> - y_k)^2 with y_k = <A_k, target>, and
/// E' = (1/m) sum_k r_k A_k. The m measurement matrices are the rows of one m x d^2 matrix, so
/// both directions are one dgemv.
public final class SensingEnergy: Energy {
    public let kind = EnergyKind.sensing
    public let size: Int
    public let measurements: Matrix
    public let observations: [Double]
    private var residual: [Double]
    private var flat: [Double]

    public init(measurements: Matrix, target: Matrix) {
        precondition(measurements.cols == target.count)
        self.size = target.rows
        self.measurements = measurements
        var y = [Double](repeating: 0, count: measurements.rows)
        BLAS.gemv(measurements, target.storage, into: &y)
        observations = y
        residual = y
        flat = target.storage
    }

    public var count: Int { measurements.rows }

    private func computeResidual(_ w: Matrix) {
        residual.withUnsafeMutableBufferPointer { r in
            observations.withUnsafeBufferPointer { y in _ = r.update(fromContentsOf: y) }
        }
        BLAS.gemv(measurements, w.storage, alpha: 1, beta: -1, into: &residual)
    }

    public func value(_ w: Matrix) -> Double {
        computeResidual(w)
        var e = 0.0
        for r in residual { e += r * r }
        return 0.5 * e / Double(measurements.rows)
    }

    public func gradient(_ w: Matrix, into g: inout Matrix) {
        computeResidual(w)
        BLAS.gemv(measurements, transpose: true, residual, alpha: 1 / Double(measurements.rows), into: &flat)
        g.storage.withUnsafeMutableBufferPointer { pg in
            flat.withUnsafeBufferPointer { pf in _ = pg.update(fromContentsOf: pf) }
        }
    }
}
