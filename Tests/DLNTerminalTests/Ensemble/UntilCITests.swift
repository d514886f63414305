import DLNEngine
import DLNStudy
import Foundation
import Testing
@testable import DLNTerminal

/// `--until-ci W` counts members 0 ..< k, all finished, whatever order they finished in: members
/// that converge first are not a random sample, so an interval over whichever finished would be
/// biased towards them. Synthetic frames pin the order; a real worker applies the rule.
@Suite struct UntilCITests {
    static func member(finished: Bool, rankOne: Bool, failed: Bool = false) -> MemberNow {
        MemberNow(status: failed ? .diverged : finished ? .ok : nil, effectiveRank: rankOne ? 1 : 2, numericalRank: rankOne ? 1 : 2,
                  sigmaRatio: rankOne ? 0.001 : 0.5, error: .nan, rankTimes: [1, rankOne ? nil : 2])
    }

    /// A frame of the fixture's point with these members.
    static func frame(_ members: [MemberNow]) -> EnsembleFrame {
        var f = EnsembleFixtures.frame()
        f.members = members
        return f
    }

    /// The fast ones first: members 1 ... 40 finished rank one, member 0 (rank two, slow) runs.
    static let fastFinishedFirst = [member(finished: false, rankOne: false)] + (1...40).map { _ in member(finished: true, rankOne: true) }

    @Test func thePrefixIsInMemberOrderNotFinishingOrder() {
        // Finished: 0, 1, 2 (not rank one), 4 ... 9 (rank one); 3 still runs.
        let members = (0..<10).map { i in Self.member(finished: i != 3, rankOne: i >= 4) }
        let f = Self.frame(members)
        #expect(f.finishedPrefix == 3)
        #expect(f.firstRankOne == Proportion(0, of: 3))
        // Over whichever finished, the rank-one fraction would be 6 of 9.
        #expect(f.rankOne == Proportion(6, of: 9))
        #expect(f.firstNumericalRanks[2] == Proportion(3, of: 3))
        // Failed members in the prefix end it no more than others do, and are not counted.
        var g = members
        g[1] = Self.member(finished: true, rankOne: false, failed: true)
        #expect(Self.frame(g).finishedPrefix == 3 && Self.frame(g).firstRankOne == Proportion(0, of: 2))
        #expect(Self.frame(members.map { _ in Self.member(finished: true, rankOne: true) }).finishedPrefix == 10)
        #expect(Self.frame(Self.fastFinishedFirst).finishedPrefix == 0)
    }

    @Test func theRuleWaitsForTheFirstMembersAndSaysWhatItCounted() throws {
        let p = Preset.named("two-by-two")!.parameters
        let w = EnsembleWorker(ensemble: try LiveEnsemble(point: p, members: 4, jobs: 1), speed: nil, fps: 30, untilCI: 0.3)
        // Forty rank-one limits: over them the interval is about 0.09 wide, but member 0 has not
        // finished, so no member counts yet and the rule waits.
        let early = Self.frame(Self.fastFinishedFirst)
        #expect(early.rankOne.width < 0.3, "\(early.rankOne)")
        #expect(EnsembleWorker.untilCIWidth([early]) == nil)
        w.checkStopRule([early])
        #expect(w.stopped == nil)
        // Member 0 finishes rank two: 40 of the first 41, an interval 0.13 wide.
        var members = Self.fastFinishedFirst
        members[0] = Self.member(finished: true, rankOne: false)
        let later = Self.frame(members)
        let width = try #require(EnsembleWorker.untilCIWidth([later]))
        #expect(width == Proportion(40, of: 41).width && width < 0.3)
        w.checkStopRule([later])
        let stopped = try #require(w.stopped)
        let shown = NumberText.compact(width, digits: 3)
        #expect(stopped == "--until-ci 0.3: the interval over the first 41 members is \(shown) wide", "\(stopped)")
        let notice = try #require(w.notice).text
        #expect(notice.hasPrefix("stopped by --until-ci 0.3: ") && notice.contains("over the first 41 members") && notice.contains("is \(shown) wide"), "\(notice)")
        #expect(!notice.contains("horizon"))
        // The snapshot's sidecar records what the rule counted beside the finished members' fraction.
        var contents = try #require(w.snapshotContents().first)
        contents.frame = later
        let sidecar = EnsembleSnapshot.sidecar(contents)
        #expect(sidecar.contains("\"until_ci_rank_one\": {") && sidecar.contains("\"first\": 41") && sidecar.contains("\"k\": 40"), "\(sidecar)")
        #expect(sidecar.contains("\"stopped\": \"--until-ci 0.3: the interval over the first 41 members"), "\(sidecar)")
    }

    /// Compared: the rule waits for every configuration's first members, and the widest decides.
    @Test func comparedTheWidestOfTheConfigurationsDecides() {
        let narrow = Self.frame((0..<40).map { _ in Self.member(finished: true, rankOne: true) })
        let waiting = Self.frame(Self.fastFinishedFirst)
        #expect(EnsembleWorker.untilCIWidth([narrow, waiting]) == nil)
        let wide = Self.frame((0..<10).map { i in Self.member(finished: true, rankOne: i % 2 == 0) })
        #expect(EnsembleWorker.untilCIWidth([narrow, wide]) == Proportion(5, of: 10).width)
    }

    /// Members that all reach their horizon were not stopped by the rule, though their interval
    /// is narrow: the view says they finished, not that --until-ci stopped them.
    @Test func aRuleMetAsTheLastMembersFinishStopsNothing() throws {
        var p = Preset.named("two-by-two")!.parameters
        p.steps = 20
        let ensemble = try LiveEnsemble(point: p, members: 6, jobs: 1)
        let w = EnsembleWorker(ensemble: ensemble, speed: nil, fps: 30, untilCI: 1)
        while !ensemble.finished { ensemble.round(toStep: ensemble.nextStop(due: Int.max / 2)) }
        #expect(EnsembleWorker.untilCIWidth([ensemble.frame()]).map { $0 < 1 } == true)
        w.checkStopRule()
        #expect(w.stopped == nil)
    }

    /// While the ensemble is shown only its notices reach the message row: the hidden single run,
    /// which reaches its own horizon, must not say "reached step ..., the run's horizon" there.
    @Test func onlyTheShownViewsNoticesReachTheMessageRow() {
        #expect(!Session.reachesMessageRow(fromEnsemble: false, ensembleShown: true))
        #expect(Session.reachesMessageRow(fromEnsemble: true, ensembleShown: true))
        #expect(Session.reachesMessageRow(fromEnsemble: false, ensembleShown: false))
        #expect(!Session.reachesMessageRow(fromEnsemble: true, ensembleShown: false))
    }
}
