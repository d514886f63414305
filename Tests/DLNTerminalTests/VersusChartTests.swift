import DLNEngine
import Testing
@testable import DLNTerminal

/// Versus mode shows both runs, labelled, in the E, S and rank charts (not one side unsaid).
@Suite struct VersusChartTests {
    @Test func lowerChartsNameBothRunsAndDrawBoth() throws {
        let main = try offlineFrame(preset: "denoise", steps: 200) { _ in } change: { $0.flow = .rleUpstairs; $0.beta = 30; $0.kappa = 1 }
        let other = try offlineFrame(preset: "denoise", steps: 200) { _ in } change: { $0.flow = .langevin; $0.beta = 30; $0.kappa = 1 }
        var frame = main
        frame.companion = CompanionFrame(snapshot: other.snapshot, whole: other.whole, recent: other.recent)
        let both = Dashboard.render(input(frame), width: 260, height: 50)
        let alone = Dashboard.render(input(main), width: 260, height: 50)
        let lines = both.text.split(separator: "\n").map(String.init)
        let mine = main.snapshot.observation, theirs = other.snapshot.observation
        let effective = { (o: Observation) in NumberText.compact(o.effectiveRank) + "/\(o.numericalRank)" }
        for (title, a, b) in [("E ", NumberText.compact(mine.energy), NumberText.compact(theirs.energy)),
                              ("S ", NumberText.compact(mine.entropy), NumberText.compact(theirs.entropy)),
                              ("eff/num ", effective(mine), effective(theirs))] {
            #expect(lines.contains { $0.contains(title + "rle-upstairs " + a) && $0.contains("langevin " + b) }, "no \(title)chart naming both")
        }
        // Narrower, the labels shorten but both runs stay named.
        let narrow = Dashboard.render(input(frame), width: 160, height: 50).text
        let short = "E rle " + NumberText.compact(mine.energy) + " lan " + NumberText.compact(theirs.energy)
        #expect(narrow.contains(short), "no '\(short)' at 160 x 50")
        // The langevin run's lines are drawn: the charts' dots differ from the rle-upstairs run's alone.
        let lowerTop = lines.firstIndex { $0.contains("E rle-upstairs") }!
        let differing = (lowerTop + 1..<lowerTop + 8).filter { y in
            (0..<100).contains { x in both[x, y].scalar != alone[x, y].scalar }
        }
        #expect(differing.count >= 3)
    }
}
