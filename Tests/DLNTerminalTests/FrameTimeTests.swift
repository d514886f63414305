import Foundation
import Testing
@testable import DLNTerminal

/// Not a timed test (speed is measured by `dlntui bench --frame`): it checks that the benchmark
/// draws what a running dashboard shows, full charts that change from frame to frame.
@Suite struct FrameTimeTests {
    @Test func theFrameBenchmarkDrawsAFullChangingDashboard() throws {
        let frames = try FrameBench.frames(steps: 600, count: 4, every: 25)
        #expect(frames.count == 4)
        #expect(frames.allSatisfy { $0.whole.count > 50 })
        let r = FrameBench.measure(frames, repeats: 8)
        #expect(r.frames == 8)
        #expect(r.lastBuffer.width == 160 && r.lastBuffer.height == 50)
        #expect(r.lastBuffer.text.contains("singular values"))
        // Consecutive frames are 25 steps apart: the charts and numbers move.
        #expect(r.meanChangedCells > 0)
        #expect(r.medianMilliseconds > 0 && r.p90Milliseconds >= r.medianMilliseconds)
    }
}
