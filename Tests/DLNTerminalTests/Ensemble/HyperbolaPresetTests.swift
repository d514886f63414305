import DLNEngine
import DLNStudy
import Foundation
import Testing
@testable import DLNTerminal

/// The `hyperbola` preset (14.1-14.4): what its description says, measured with `dlntui ensemble`,
/// and the rank-one fractions the live view shows at N = 2 and, after `N` twice, at N = 4, equal
/// to the command's for the same members, exactly.
@Suite(.serialized) struct HyperbolaPresetTests {
    struct Limit { var sigma1, sigma2, w12, w21: Double }

    /// `dlntui ensemble --preset hyperbola --members 300 -N n`: each member's final sigma and W entries.
    static func ensemble(depth n: Int) throws -> [Limit] {
        let binary = try #require(builtBinary(), "the dlntui binary is not beside the tests")
        let dir = NSTemporaryDirectory() + "dlntui-hyperbola-\(getpid())-\(n)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = run([binary, "ensemble", "--preset", "hyperbola", "-N", "\(n)", "--members", "300", "--output", dir, "--quiet"])
        #expect(r.status == 0)
        let lines = try String(contentsOfFile: dir + "/summary.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        return lines.dropFirst().map { f in
            Limit(sigma1: Double(f[column("sigma_1")])!, sigma2: Double(f[column("sigma_2")])!,
                  w12: Double(f[column("w_1_2")])!, w21: Double(f[column("w_2_1")])!)
        }
    }

    static func rankOne(_ limits: [Limit]) -> Int { limits.filter { $0.sigma2 / $0.sigma1 < 0.05 }.count }

    static func runToEnd(_ w: EnsembleWorker) {
        while !w.ensemble.finished { w.ensemble.round(toStep: w.ensemble.nextStop(due: Int.max / 2)) }
    }

    @Test func theLiveFractionsAreTheEnsembleCommandsAndTheDescriptionHolds() throws {
        let preset = try #require(Preset.named("hyperbola"))
        #expect(preset.members == 300 && preset.parameters.depthText == "2" && preset.parameters.energy == .twoByTwo)
        let two = try Self.ensemble(depth: 2), four = try Self.ensemble(depth: 4)
        #expect(two.count == 300 && four.count == 300)

        // Live: the preset's ensemble, then N twice (each a restart from the same member seeds).
        let live = try LiveEnsemble(point: preset.parameters, members: preset.members!, jobs: 2)
        let worker = EnsembleWorker(ensemble: live, speed: nil, fps: 30)
        Self.runToEnd(worker)
        let atTwo = worker.ensemble.frame().rankOne
        #expect(atTwo == Proportion(Self.rankOne(two), of: 300), "live \(atTwo) against dlntui ensemble \(Self.rankOne(two))")
        worker.apply(.depthUp)
        worker.apply(.depthUp)
        #expect(worker.ensemble.point.depthText == "4")
        Self.runToEnd(worker)
        let atFour = worker.ensemble.frame().rankOne
        #expect(atFour == Proportion(Self.rankOne(four), of: 300), "live \(atFour) against dlntui ensemble \(Self.rankOne(four))")

        // N = 2: a minority rank one, the other limits inside the curve (W12 W21 < 1), spread.
        let fractionTwo = Double(Self.rankOne(two)) / 300
        #expect(fractionTwo > 0.2 && fractionTwo < 0.45, "N = 2: \(fractionTwo)")
        let inside = two.filter { $0.sigma2 / $0.sigma1 >= 0.05 }.map { $0.w12 * $0.w21 }.sorted()
        #expect(inside.allSatisfy { $0 < 1 }, "N = 2: a limit that is not rank one outside the curve")
        #expect(inside[inside.count / 2] < 0.9 && inside[inside.count / 10] < 0.2, "N = 2: not spread inside the curve: \(inside[inside.count / 10]), \(inside[inside.count / 2])")
        // N = 4: nearly all rank one, most of them near (1, 1) or (-1, -1).
        let fractionFour = Double(Self.rankOne(four)) / 300
        #expect(fractionFour >= 0.95, "N = 4: \(fractionFour)")
        let corners = four.filter { abs(abs($0.w12) - 1) < 0.1 && abs(abs($0.w21) - 1) < 0.1 && $0.w12 * $0.w21 > 0 }.count
        #expect(corners >= 240, "N = 4: \(corners) of 300 near the corners")
        // Both corners are reached (the law is symmetric under W -> -W off the diagonal).
        let positive = four.filter { $0.w12 > 0 }.count
        #expect(positive > 100 && positive < 200, "N = 4: \(positive) with W12 > 0")
    }
}
