import DLNEngine
import Foundation
import Testing
@testable import DLNTerminal

/// What the screen says: every core chart at 80 x 24 for every preset, the error against the
/// target (panel and chart), the target's singular values as labelled reference lines, a heat
/// map that says when it averages, and the dyson flow's values called eigenvalues.
@Suite struct GroundTruthScreenTests {
    @Test(arguments: Preset.all.map(\.name))
    func everyCoreChartIsVisibleAtEightyByTwentyFour(preset: String) throws {
        let frame = try offlineFrame(preset: preset, steps: 30)
        let text = Dashboard.render(input(frame), width: 80, height: 24).text
        let flow = frame.snapshot.parameters.flow
        #expect(text.contains(flow == .dyson ? "eigenvalues" : "singular values"), "\(preset)")
        #expect(text.contains("E "), "\(preset): no energy chart")
        #expect(text.contains("S "), "\(preset): no entropy chart")
        #expect(text.contains("eff ") || text.contains("num "), "\(preset): no rank chart")
        let truth = frame.snapshot.observation.error != nil
        #expect(truth == (frame.problem.kind != .twoByTwo && preset != "dyson"), "\(preset)")
        if truth { #expect(text.contains("│error "), "\(preset): no error in the panel") }
    }

    @Test func theErrorIsInThePanelAndChartedAndTheTargetIsDrawn() throws {
        let frame = try offlineFrame(steps: 3000)
        let o = frame.snapshot.observation
        for (w, h) in [(120, 40), (160, 50)] {
            let text = Dashboard.render(input(frame), width: w, height: h).text
            // The key column is as wide as the longest key (dopri5's "rtol, acc/rej" under the default preset).
            func row(_ key: String, _ value: String) -> Bool {
                text.range(of: "│" + key + " +" + NSRegularExpression.escapedPattern(for: value) + " ", options: .regularExpression) != nil
            }
            #expect(row("error", NumberText.compact(o.error!)), "\(w)x\(h)")
            #expect(row("unobs", NumberText.compact(o.errorUnobserved!)), "\(w)x\(h)")
            #expect(text.contains("err "), "no error chart at \(w)x\(h)")
        }
        // The target's singular values (1, 0.62, 0.27): every one labelled (lines on one row share
        // a label, "A1,2"), and no more than the target's rank.
        let wide = Dashboard.render(input(frame), width: 160, height: 50).text
        let regex = try NSRegularExpression(pattern: "A([0-9]+(,[0-9]+)*)─")
        let found = regex.matches(in: wide, range: NSRange(wide.startIndex..., in: wide)).flatMap { m in
            (wide as NSString).substring(with: m.range(at: 1)).split(separator: ",").compactMap { Int($0) }
        }
        #expect(Set(found) == [1, 2, 3], "labels \(found)")
    }

    @Test func referenceLinesSitAtTheirValues() {
        // A chart from 0 to 1 on 11 rows: the line at 0.5 is on the middle row, labelled.
        var chart = Chart(series: [ChartSeries(name: "s", xs: [0, 1], ys: [0, 1], style: .none)], glyphs: .ascii)
        chart.references = [ChartReference(value: 0.5, label: "A1", style: .none)]
        var buffer = Buffer(width: 30, height: 12, fill: Cell(" "))
        chart.render(into: &buffer, area: buffer.area)
        let rows = buffer.text.split(separator: "\n", omittingEmptySubsequences: false)
        let labelled = rows.indices.filter { rows[$0].contains("A1-") }
        #expect(labelled.count == 1, "\(buffer.text)")
        if let row = labelled.first { #expect(abs(row - 5) <= 1, "\(buffer.text)") }
    }

    @Test func noReferencesNorErrorWithoutGroundTruth() throws {
        for preset in ["two-by-two", "dyson"] {
            let frame = try offlineFrame(preset: preset, steps: 30)
            let text = Dashboard.render(input(frame), width: 160, height: 50).text
            #expect(!text.contains("A1") && !text.contains("│error "), "\(preset)")
        }
    }

    @Test func dysonValuesAreCalledEigenvalues() throws {
        let frame = try offlineFrame(preset: "dyson", steps: 30)
        let text = Dashboard.render(input(frame), width: 160, height: 50).text
        #expect(text.contains("x1 ") && !text.contains("σ1 "))
        #expect(text.contains("|x|^2/2") && !text.contains("energy  denoise"))
    }

    @Test func aHeatMapThatAveragesSaysSo() throws {
        let frame = try offlineFrame(steps: 30, change: { $0.size = 12; $0.targetRank = 3 })
        let small = Dashboard.render(input(frame), width: 80, height: 24).text
        #expect(small.range(of: "12×12 as [0-9]+×[0-9]+ avg", options: .regularExpression) != nil, "\(small)")
        let large = Dashboard.render(input(frame), width: 160, height: 50).text
        #expect(large.contains("W (12 × 12)") && !large.contains(" avg"))
    }
}
