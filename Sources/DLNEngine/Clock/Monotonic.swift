import Foundation

/// The one wall clock for pacing, benchmarks and flush intervals: monotonic, so a change of the
/// system time never makes an interval negative.
public enum Monotonic {
    /// Seconds on a monotonic clock.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
