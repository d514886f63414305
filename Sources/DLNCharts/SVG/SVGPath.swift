/// A series as an SVG path: gaps (NaN) break it, a staircase holds each value to the next sample,
/// and points are thinned to the first, lowest, highest and last of each half-point column (the
/// drawn line is the same; a 5,000-row run stays a small file).
enum SVGPath {
    struct Result {
        var d: String
        var laneMarks: [(x: Double, y: Double)]
    }

    static func of(_ s: Series, x: (Double) -> Double, y: (Double) -> Double?, onLane isLane: (Double) -> Bool,
                   columns: Int, left: Double, right: Double) -> Result {
        var d = ""
        var marks: [(x: Double, y: Double)] = []
        var pen: (x: Double, y: Double)? = nil
        var onLane = false
        // NaN points are always kept, so a gap always breaks the line.
        for i in thinned(s, columns: columns, x: x, y: y, left: left, right: right) {
            guard s.xs[i].isFinite, let py = y(s.ys[i]) else { pen = nil; onLane = false; continue }
            let px = x(s.xs[i])
            let lane = isLane(s.ys[i])
            if lane && !onLane { marks.append((px, py)) }
            onLane = lane
            if let p = pen {
                if s.steps && p.y != py { d += "H\(SVGText.n(px))V\(SVGText.n(py))" } else { d += "L\(SVGText.n(px)),\(SVGText.n(py))" }
            } else {
                d += "M\(SVGText.n(px)),\(SVGText.n(py))"
            }
            pen = (px, py)
        }
        return Result(d: d, laneMarks: marks)
    }

    /// Indices kept: per column of the plot, the first, the lowest, the highest and the last point
    /// in index order; NaN points are kept (they break the line).
    static func thinned(_ s: Series, columns: Int, x: (Double) -> Double, y: (Double) -> Double?, left: Double, right: Double) -> [Int] {
        let n = min(s.xs.count, s.ys.count)
        guard n > 4 * columns else { return Array(0..<n) }
        var kept: [Int] = []
        var column = Int.min
        var bucket: [Int] = []
        func flush() {
            guard !bucket.isEmpty else { return }
            var lo = bucket[0], hi = bucket[0]
            for i in bucket {
                let v = y(s.ys[i]) ?? 0
                if v < (y(s.ys[lo]) ?? 0) { lo = i }
                if v > (y(s.ys[hi]) ?? 0) { hi = i }
            }
            for i in Set([bucket[0], lo, hi, bucket[bucket.count - 1]]).sorted() { kept.append(i) }
            bucket.removeAll(keepingCapacity: true)
        }
        let scale = Double(columns) / max(1e-12, right - left)
        for i in 0..<n {
            if s.ys[i].isNaN || !s.xs[i].isFinite {
                flush()
                kept.append(i)
                column = Int.min
                continue
            }
            let c = Int(((x(s.xs[i]) - left) * scale).rounded(.down))
            if c != column { flush(); column = c }
            bucket.append(i)
        }
        flush()
        return kept
    }
}
