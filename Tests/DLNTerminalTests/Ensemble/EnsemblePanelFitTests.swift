import DLNEngine
import DLNStudy
import Foundation
import Testing
@testable import DLNTerminal

/// The ensemble panels at 120 x 40, where the right column is 33 wide: every value shows whole,
/// in a shorter form where the full one does not fit, never cut at the panel's edge.
@Suite struct EnsemblePanelFitTests {
    /// `m` finished members of which the first `k` are rank one.
    static func configuration(_ k: Int, of m: Int, depth: Int) -> EnsembleFrame {
        var f = EnsembleFixtures.frame()
        f.parameters.depth = .finite(depth)
        f.members = (0..<m).map { UntilCITests.member(finished: true, rankOne: $0 < k) }
        return f
    }

    /// The panel's lines: the right column's text between its borders.
    static func panel(_ screen: String) -> [String] {
        screen.split(separator: "\n").compactMap { line -> String? in
            let cells = Array(line.unicodeScalars)
            guard cells.count >= 33, let open = cells.dropLast().lastIndex(of: "│") else { return nil }
            return String(String.UnicodeScalarView(cells[(open + 1)..<(cells.count - 1)]))
        }
    }

    /// "k/M = p% [lo, hi]" (the spaces may go in the compact form), its numbers as written.
    static func parse(_ text: String) -> (k: Int, m: Int, p: String, low: String, high: String)? {
        let pattern = #"(\d+)/(\d+) ?= ?(\d+\.\d)% \[(\d+\.\d), ?(\d+\.\d)\]"#
        guard let r = try? NSRegularExpression(pattern: pattern).firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> String { String(text[Range(r.range(at: i), in: text)!]) }
        return (Int(group(1))!, Int(group(2))!, group(3), group(4), group(5))
    }

    @Test(arguments: [50, 300])
    func everyConfigurationsRowShowsItsWholeFractionAndInterval(members m: Int) throws {
        let ks = [0, m / 3, m - 7, m]
        let frames = ks.enumerated().map { Self.configuration($1, of: m, depth: $0 + 2) }
        var e = try EnsembleFixtures.workerFrame()
        e.ensemble = frames[0]
        e.others = Array(frames.dropFirst())
        e.labels = ["N=2", "N=3", "N=4", "N=5"]
        e.rate = 1_234_567
        let screen = try EnsembleViewTests.screen(e, width: 120, height: 40)
        let lines = Self.panel(screen)
        for (label, (k, f)) in zip(e.labels, zip(ks, frames)) {
            let row = try #require(lines.first { $0.hasPrefix(label + " ") }, "no row for \(label) in\n\(screen)")
            let shown = try #require(Self.parse(row), "\(label): '\(row)' is not k/M = p% [lo, hi]\n\(screen)")
            let ci = try #require(f.rankOne.interval)
            #expect(shown.k == k && shown.m == m, "\(row)")
            #expect(shown.p == NumberText.format("%.1f", 100 * Double(k) / Double(m)), "\(row)")
            #expect(shown.low == NumberText.format("%.1f", 100 * ci.low) && shown.high == NumberText.format("%.1f", 100 * ci.high), "\(row)")
        }
        // The brief's example at 50 members fits in its full form.
        if m == 50 { #expect(lines.contains { $0.hasPrefix("N=2 0/50 = 0.0% [0.0, 7.1]") }, "\(screen)") }
        // The other rows in the forms that fit: the members, the counts, the rate, the interval's label.
        let trimmed = lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
        for want in ["members     \(m) x 4, paired", "finished    \(4 * m)/\(4 * m), 0 failed", "rate        1.23e6 steps/s",
                     "            95% CI (Wilson), %"] {
            #expect(trimmed.contains(want), "no '\(want)' in\n\(screen)")
        }
    }

    /// One ensemble under --until-ci and --until-converged, stopped by the rule: the counts, the
    /// members the fraction counts, the interval's width against W and the state, each whole.
    @Test func theStoppedEnsemblesPanelSaysWhyAndOverWhichMembers() throws {
        var f = EnsembleFixtures.frame()
        // 300 members: 0 ... 199 finished (190 rank one), 200 ... 279 finished out of order, 280 ... running.
        f.members = (0..<300).map { i in
            i == 200 ? UntilCITests.member(finished: false, rankOne: false) : UntilCITests.member(finished: i < 280, rankOne: i < 190 || i > 200)
        }
        f.members[5].status = .notConverged
        var e = try EnsembleFixtures.workerFrame()
        e.ensemble = f
        e.untilCI = 0.08
        e.untilConverged = 1e-3
        e.rate = 123_456
        let width = try #require(EnsembleWorker.untilCIWidth([f]))
        let shown = NumberText.compact(width, digits: 3)
        e.stopped = "--until-ci 0.08: the interval over the first 200 members is \(shown) wide"
        let screen = try EnsembleViewTests.screen(e, width: 120, height: 40)
        let lines = Self.panel(screen).map { String($0.reversed().drop { $0 == " " }.reversed()) }
        let ci = try #require(Proportion(190, of: 200).interval)
        for want in ["finished    278 conv., 1 not", "rate        123456 steps/s", "rank one    190/200 = 95.0%", "            first 200 members",
                     "            " + NumberText.format("[%.1f%%, %.1f%%]", 100 * ci.low, 100 * ci.high),
                     "            \(shown), stop < 0.08", "state       stopped: --until-ci"] {
            #expect(lines.contains(want), "no '\(want)' in\n\(lines.joined(separator: "\n"))")
        }
        #expect(!screen.contains("horizon"))
    }

    @Test func aRowDrawsTheFirstFormThatFits() {
        let row = KeyValuePanel.Row("k", "a long value", shorter: ["a value", "av"])
        #expect(row.value(fitting: 12) == "a long value" && row.value(fitting: 11) == "a value" && row.value(fitting: 2) == "av")
        #expect(row.value(fitting: 1) == "av")
    }
}
