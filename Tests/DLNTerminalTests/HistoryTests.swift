@testable import DLNEngine
import Testing

func observation(step: Int) -> Observation {
    Observation(step: step, time: Double(step) * 0.1, energy: 1, entropy: 0, freeEnergy: 1, effectiveRank: 1,
                numericalRank: 1, stableRank: 1, balanceDefect: nil, sigma: [1])
}

@Suite struct HistoryTests {
    @Test func wholeRunStaysBoundedAndKeepsItsBeginning() {
        var h = RunHistory(capacity: 256)
        let steps = 1_000_000
        var maxCount = 0
        for step in 0...steps where h.wants(step: step) {
            h.record(observation(step: step))
            maxCount = max(maxCount, h.samples.count)
        }
        #expect(maxCount < 256)
        #expect(h.samples.first?.step == 0)
        // A uniform grid: every multiple of the stride up to the end, nothing else.
        #expect(h.samples.map(\.step) == Array(stride(from: 0, through: steps, by: h.stride)))
        #expect(h.samples.count >= 128)
        #expect(h.stride & (h.stride - 1) == 0)
        #expect(steps - h.samples.last!.step < h.stride)
    }

    @Test func refusesStepsOffTheGridAndRepeats() {
        var h = RunHistory(capacity: 4)
        var kept: [Bool] = []
        for step in [0, 0, 1, 2, 3] { kept.append(h.record(observation(step: step))) }
        // The fourth sample fills the buffer: it halves to steps 0, 2 at stride 2.
        #expect(kept == [true, false, true, true, true])
        #expect(h.stride == 2 && h.samples.map(\.step) == [0, 2])
        #expect(!h.wants(step: 5) && h.wants(step: 4))
    }

    @Test func recentWindowKeepsTheLastSamplesInOrder() {
        var r = RecentHistory(capacity: 5, stride: 3)
        for step in 0..<100 where r.wants(step: step) { r.record(observation(step: step)) }
        #expect(r.samples.map(\.step) == [87, 90, 93, 96, 99])
        r.stride = 0
        #expect(r.stride == 1)
    }

    @Test func recorderObservesOnlyWhenAHistoryWantsIt() {
        var rec = RunRecorder(size: 4, recentCapacity: 8)
        rec.recent.stride = 4
        var observed = 0
        for step in 0..<20_000 where rec.wants(step: step) {
            rec.record(observation(step: step))
            observed += 1
        }
        #expect(rec.whole.samples.count < rec.whole.capacity)
        #expect(rec.recent.samples.map(\.step) == Array(stride(from: 19_968, to: 20_000, by: 4)))
        // Far fewer observations (SVDs) than steps once the whole-run stride has grown.
        #expect(observed < 20_000 / 2)
    }

    @Test func capacityShrinksWithTheSizeOfW() {
        #expect(RunHistory.capacity(size: 4) == 4096)
        #expect(RunHistory.capacity(size: 1024) == 1014)
        #expect(RunHistory.capacity(size: 100_000) == 256)
        #expect(RunRecorder.powerOfTwo(atLeast: 0.3) == 1 && RunRecorder.powerOfTwo(atLeast: 5) == 8 && RunRecorder.powerOfTwo(atLeast: .infinity) == 1)
    }
}
