import Testing
@testable import DLNTerminal

/// The pacer in both units, on explicit clock readings (no timing): steps per second for a fixed
/// step, simulated time per second under dopri5.
@Suite struct PacerTests {
    @Test func stepsPerSecondAllowWholeSteps() {
        var pacer = Pacer(speed: 10)
        pacer.anchor(at: 100, position: 0)
        let due = pacer.due(now: 100.35, position: 0)
        #expect(due == 3)
        #expect(pacer.allows(position: 2, due: due) && !pacer.allows(position: 3, due: due))
        #expect(abs(pacer.nextStepTime(after: 3, now: 100.35) - 100.4) < 1e-12)
    }

    @Test func timePerSecondAllowsStepsWhileSimulatedTimeIsBehind() {
        var pacer = Pacer(speed: 200, inTime: true)
        pacer.anchor(at: 10, position: 50)
        // 0.1 s later the run may be at t = 70: a step from t = 69.5 is allowed, from 70 not.
        let due = pacer.due(now: 10.1, position: 60)
        #expect(abs(due - 70) < 1e-9)
        #expect(pacer.allows(position: 69.5, due: due) && !pacer.allows(position: 70, due: due))
        // The step from t = 80 is due when the wall clock says 80: at 10 + 30/200 s.
        #expect(abs(pacer.nextStepTime(after: 80, now: 10.1) - 10.15) < 1e-12)
    }

    @Test func aBacklogOfMoreThanAQuarterSecondIsForgottenInTimeToo() {
        var pacer = Pacer(speed: 100, inTime: true)
        pacer.anchor(at: 0, position: 0)
        // At 1 s the run should be at t = 100 but is at 10 (90 behind, more than 25): one step, re-anchored.
        let due = pacer.due(now: 1, position: 10)
        #expect(pacer.allows(position: 10, due: due))
        #expect(pacer.anchorPosition == 10 && pacer.anchorTime == 1)
    }

    @Test func measuresSimulatedTimePerSecond() {
        var pacer = Pacer(speed: nil, inTime: true)
        pacer.resetRate(at: 0)
        for _ in 0..<4 { pacer.stepped(by: 2.5) }
        let changed = pacer.measure(now: 0.5, paused: false)
        #expect(changed)
        #expect(pacer.measuredTimeRate == 20 && pacer.measuredRate == 8)
    }
}
