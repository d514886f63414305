import DLNEngine
import Foundation
import Testing

/// The `depth` preset (Arora, Cohen, Hu and Luo 2019): one completion problem at N = 1, 2, 3, each
/// run headless as `dlntui run --preset depth -N k`, as its configurations are. Depth 3 recovers
/// the target, depth 1 does not (it only fits the observed entries: gradient descent on W never
/// moves an unobserved one from the start), measured at the preset's horizon and also at half
/// and twice of it, so the claim is not a coincidence of one time.
@Suite struct DepthPresetTests {
    static func last(_ arguments: [String]) throws -> [String: Double] {
        let r = try Binary.run(["run", "--preset", "depth", "--every", "1000000"] + arguments, timeout: 120)
        #expect(r.status == 0, "\(arguments): \(r.stderr)")
        let lines = r.stdout.lines
        let header = lines[0].split(separator: ",").map(String.init)
        let values = lines.last!.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
        return Dictionary(uniqueKeysWithValues: zip(header, values))
    }

    @Test func depthThreeRecoversTheTargetAndDepthOneDoesNot() throws {
        let preset = Preset.named("depth")!
        #expect(preset.compare == ["N=1", "N=2", "N=3"])
        let p = preset.parameters
        #expect(p.targetRank == 2)
        let horizon = try #require(p.untilTime)
        for t in [horizon / 2, horizon, 2 * horizon] {
            let until = ["--until-time", NumberFormat.g17(t)]
            let one = try Self.last(["-N", "1"] + until), three = try Self.last(["-N", "3"] + until)
            // Depth 3: the error against the target below 1%, the unobserved entries too, and the
            // effective rank that of the target.
            #expect(three["error"]! < 0.01, "N = 3, t = \(t): error \(three["error"]!)")
            #expect(three["error_unobserved"]! < 0.01, "N = 3, t = \(t): unobserved error \(three["error_unobserved"]!)")
            #expect(abs(three["effective_rank"]! - 2) < 0.05, "N = 3, t = \(t): effective rank \(three["effective_rank"]!)")
            #expect(three["numerical_rank"]! == 2)
            // Depth 1 fits what it sees (E ~ 0) and leaves the rest at the start: error near 0.7,
            // the unobserved entries not learned at all (error 1), the effective rank far above 2.
            #expect(one["energy"]! < 1e-12, "N = 1, t = \(t): E \(one["energy"]!)")
            #expect(one["error"]! > 0.5, "N = 1, t = \(t): error \(one["error"]!)")
            #expect(one["error_unobserved"]! > 0.99, "N = 1, t = \(t): unobserved error \(one["error_unobserved"]!)")
            #expect(one["effective_rank"]! > 5, "N = 1, t = \(t): effective rank \(one["effective_rank"]!)")
        }
        // Depth 2 lies between (error 0.31 at the horizon): better than 1, worse than 3.
        let two = try Self.last(["-N", "2"])
        #expect(two["error"]! > 0.1 && two["error"]! < 0.5, "N = 2: error \(two["error"]!)")
    }
}
