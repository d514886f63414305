import Foundation
import Testing
@testable import DLNTerminal

/// Not a timed test: it asserts only what a frame holds, and prints how long frames took (the
/// figure quoted in the notes comes from `swift test -c release`).
@Suite struct FrameTimeTests {
    @Test func renders160x50FramesOffScreen() throws {
        let frame = try offlineFrame(steps: 3000)
        let i = input(frame)
        var times: [Double] = []
        var previous: Buffer? = nil
        var changed = 0
        for _ in 0..<200 {
            let t0 = monotonicSeconds()
            let b = Dashboard.render(i, width: 160, height: 50)
            changed = b.changes(from: previous).count
            times.append(monotonicSeconds() - t0)
            previous = b
        }
        #expect(changed == 0)  // the same input draws the same frame
        #expect(previous?.text.contains("singular values") == true)
        times.sort()
        print("frame 160x50 (render + diff): median \(String(format: "%.3f", times[times.count / 2] * 1e3)) ms, "
              + "p90 \(String(format: "%.3f", times[times.count * 9 / 10] * 1e3)) ms over \(times.count) frames, "
              + "\(frame.whole.count) samples x 12 series")
    }
}
