/// Exact quantiles over the members: numpy's default ("linear") rule, h = (n - 1) q, between the
/// order statistics x_(floor h) and x_(floor h + 1), with numpy's two-sided interpolation so the
/// numbers are numpy's to the last bit.
public enum Quantiles {
    public static let levels: [Double] = [0.05, 0.25, 0.5, 0.75, 0.95]

    /// The quantile of `sorted` (ascending, no NaN, not empty) at level q.
    public static func linear(_ sorted: [Double], _ q: Double) -> Double {
        let n = sorted.count
        let h = Double(n - 1) * q
        let below = min(max(Int(h.rounded(.down)), 0), n - 1)
        let above = min(below + 1, n - 1)
        let t = h - Double(below)
        let a = sorted[below], b = sorted[above]
        let diff = b - a
        // numpy's _lerp: a + (b - a) t, or b - (b - a)(1 - t) from t = 0.5 on.
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }

    /// q05, q25, q50, q75, q95 and the mean (summed in member order) of the values that are not NaN;
    /// nil when there is none.
    public static func summary(_ values: [Double]) -> (quantiles: [Double], mean: Double, n: Int)? {
        let present = values.filter { !$0.isNaN }
        guard !present.isEmpty else { return nil }
        let sorted = present.sorted()
        var sum = 0.0
        for x in present { sum += x }
        return (levels.map { linear(sorted, $0) }, sum / Double(present.count), present.count)
    }
}
