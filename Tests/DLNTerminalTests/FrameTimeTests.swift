import Foundation
import Testing
@testable import DLNTerminal

/// CPU time of this thread: on a shared machine wall time also counts the other processes' turns.
func threadSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Not a timed test: it asserts only what a frame holds, and prints how long frames took (the
/// figure quoted in the notes comes from `swift test -c release`).
@Suite struct FrameTimeTests {
    @Test func renders160x50FramesOffScreen() throws {
        let frame = try offlineFrame(steps: 3000)
        let i = input(frame)
        var times: [Double] = []
        var cpu: [Double] = []
        var previous: Buffer? = nil
        var changed = 0
        for _ in 0..<200 {
            let t0 = monotonicSeconds(), c0 = threadSeconds()
            let b = Dashboard.render(i, width: 160, height: 50)
            changed = b.changes(from: previous).count
            times.append(monotonicSeconds() - t0)
            cpu.append(threadSeconds() - c0)
            previous = b
        }
        #expect(changed == 0)  // the same input draws the same frame
        #expect(previous?.text.contains("singular values") == true)
        times.sort()
        cpu.sort()
        print("frame 160x50 (render + diff): CPU median \(String(format: "%.3f", cpu[cpu.count / 2] * 1e3)) ms; wall median \(String(format: "%.3f", times[times.count / 2] * 1e3)) ms, "
              + "p90 \(String(format: "%.3f", times[times.count * 9 / 10] * 1e3)) ms over \(times.count) frames, "
              + "\(frame.whole.count) samples x 12 series")
    }
}
