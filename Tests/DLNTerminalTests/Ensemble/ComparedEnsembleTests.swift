import DLNEngine
import DLNStudy
import Foundation
import Testing
@testable import DLNTerminal

/// Compared ensembles (`--compare ... --members M`) without a terminal: the overlaid charts on
/// small fixed frames (golden text, and where each mark must be derived from the numbers), the
/// screen's legend and fractions, the worker's keys, and the pairing: each configuration's
/// rank-one fraction is `dlntui ensemble`'s with that configuration's flags, exactly.
@Suite(.serialized) struct ComparedEnsembleTests {
    /// The second configuration: the fixture's bands at a tenth, and its members moved: ranks
    /// 2, 2, 1, 2, 1 (two of five rank one) and one failed, at (1.2, 0.8), (0.3, 0.3), (-1, -1), (-1.1, -0.9), (1, 1).
    static func second() -> EnsembleFrame {
        var f = EnsembleFixtures.frame()
        f.parameters.depth = .finite(4)
        for i in f.bands.indices {
            f.bands[i].q05 = f.bands[i].q05.map { $0 / 10 }; f.bands[i].q25 = f.bands[i].q25.map { $0 / 10 }
            f.bands[i].q50 = f.bands[i].q50.map { $0 / 10 }; f.bands[i].q75 = f.bands[i].q75.map { $0 / 10 }
            f.bands[i].q95 = f.bands[i].q95.map { $0 / 10 }
        }
        f.members = [
            MemberNow(status: .ok, effectiveRank: 1.9, numericalRank: 2, sigmaRatio: 0.6, error: .nan, rankTimes: [1, 2], w12: 1.2, w21: 0.8),
            MemberNow(status: .ok, effectiveRank: 2.0, numericalRank: 2, sigmaRatio: 0.9, error: .nan, rankTimes: [1, 1], w12: 0.3, w21: 0.3),
            MemberNow(status: .ok, effectiveRank: 1.0, numericalRank: 1, sigmaRatio: 0.001, error: .nan, rankTimes: [1, nil], w12: -1, w21: -1),
            MemberNow(status: .ok, effectiveRank: 1.5, numericalRank: 2, sigmaRatio: 0.3, error: .nan, rankTimes: [1, 3], w12: -1.1, w21: -0.9),
            MemberNow(status: .ok, effectiveRank: 1.0, numericalRank: 1, sigmaRatio: 0.003, error: .nan, rankTimes: [1, nil], w12: 1, w21: 1),
            MemberNow(status: .diverged, effectiveRank: .nan, numericalRank: -1, sigmaRatio: .nan, error: .nan, rankTimes: [nil, nil]),
        ]
        return f
    }

    /// The first configuration: the fixture at N = 2.
    static func first() -> EnsembleFrame {
        var f = EnsembleFixtures.frame()
        f.parameters.depth = .finite(2)
        return f
    }

    static let frames = [first(), second()]
    static let labels = ["N=2", "N=4"]

    static func workerFrame() throws -> EnsembleWorkerFrame {
        var e = try EnsembleFixtures.workerFrame()
        e.ensemble = first()
        e.others = [second()]
        e.labels = labels
        return e
    }

    static func draw(width: Int, height: Int, _ body: (inout Buffer, Rect) -> Void) -> [String] {
        EnsembleGoldenTests.draw(width: width, height: height, body)
    }

    static func band(_ glyphs: Glyphs) -> [String] {
        let model = EnsembleComparisonCharts.bands(frames, names: ["energy"], title: "energy E", log: true, xRange: 0...4)
        return draw(width: 24, height: 8) { buffer, area in
            Chart(model: model, glyphs: glyphs, style: { _ in .none }).render(into: &buffer, area: area)
        }
    }

    static func histogram(_ glyphs: Glyphs) -> [String] {
        let model = EnsembleComparisonCharts.histogram(frames.map { EnsembleCharts.values($0, .numericalRank) }, .numericalRank, labels: labels)
        return draw(width: 20, height: 6) { buffer, area in
            Chart(model: model, glyphs: glyphs, style: { _ in .none }).render(into: &buffer, area: area)
        }
    }

    static func cloud(_ glyphs: Glyphs) -> [String] {
        let model = EnsembleComparisonCharts.cloud(frames, labels: labels)
        let clouds = model.scatters.map { Array(zip($0.xs, $0.ys)) }
        return draw(width: 24, height: 8) { buffer, area in
            var view = HyperbolaView(trail: [], glyphs: glyphs, axisStyle: .none, curveStyle: .none, trailStyle: .none,
                                     markStyle: .none, pointStyle: .none, labelStyle: .none)
            view.cloud = clouds[0]
            view.moreClouds = [(clouds[1], .none)]
            view.render(into: &buffer, area: area)
        }
    }

    @Test func comparedChartsMatchTheirGoldenText() {
        #expect(Self.band(.ascii) == EnsembleGoldenTests.lines(Self.bandASCII), "\(Self.band(.ascii).joined(separator: "\n"))")
        #expect(Self.histogram(.ascii) == EnsembleGoldenTests.lines(Self.histogramASCII), "\(Self.histogram(.ascii).joined(separator: "\n"))")
        #expect(Self.cloud(.ascii) == EnsembleGoldenTests.lines(Self.cloudASCII), "\(Self.cloud(.ascii).joined(separator: "\n"))")
        #expect(Self.cloud(.unicode) == EnsembleGoldenTests.lines(Self.cloudUnicode), "\(Self.cloud(.unicode).joined(separator: "\n"))")
    }

    /// Each configuration draws its median and its 25-75% band only: two bands and two medians,
    /// the second a decade under the first (its quantiles are a tenth), none of the 5-95% bands.
    @Test func eachConfigurationHasAMedianAndAQuartileBand() {
        let model = EnsembleComparisonCharts.bands(Self.frames, names: ["energy"], title: "E", log: true, xRange: 0...4)
        #expect(model.bands.count == 2 && model.series.count == 2)
        #expect(model.bands.map(\.style) == [0, 1] && model.series.map(\.style) == [0, 1])
        #expect(model.bands[0].low == EnsembleFixtures.band.q25 && model.bands[0].high == EnsembleFixtures.band.q75)
        #expect(model.bands[1].high == EnsembleFixtures.band.q75.map { $0 / 10 })
        #expect(model.series[1].ys == EnsembleFixtures.band.q50.map { $0 / 10 })
        // On the log axis (0.1 ... 5) the first median (2 ... 4) sits above the second (0.2 ... 0.4).
        // ASCII: the first median '*', the second '+' (the canvas layers' markers), every '+' of
        // the plot below every '*' (the y labels' '+' ticks left out).
        let rows = Self.band(.ascii).map { String($0.drop { $0 != "|" && $0 != "+" }.dropFirst()) }
        let stars = rows.indices.filter { rows[$0].contains("*") }, pluses = rows.indices.filter { rows[$0].contains("+") }
        #expect(!stars.isEmpty && !pluses.isEmpty && stars.max()! < pluses.min()!, "\(Self.band(.ascii).joined(separator: "\n"))")
    }

    /// Ranks 1, 1, 1, 2, 2 against 2, 2, 1, 2, 1: both outlines on the unit bins 1 and 2, the
    /// first 3 then 2 high, the second 2 then 3.
    @Test func theHistogramOutlinesCountEachConfigurationOnSharedBins() {
        let model = EnsembleComparisonCharts.histogram(Self.frames.map { EnsembleCharts.values($0, .numericalRank) }, .numericalRank, labels: Self.labels)
        #expect(model.histograms.isEmpty && model.series.count == 2 && model.series.allSatisfy(\.steps))
        // (0.5, 0) up to bin 1's count, across, bin 2's count, down at 2.5.
        #expect(model.series[0].xs == [0.5, 0.5, 1.5, 2.5, 2.5] && model.series[0].ys == [0, 3, 2, 2, 0])
        #expect(model.series[1].xs == [0.5, 0.5, 1.5, 2.5, 2.5] && model.series[1].ys == [0, 2, 3, 3, 0])
        // Effective ranks on equal bins over both configurations' extent 1 ... 2.
        let e = EnsembleComparisonCharts.histogram(Self.frames.map { EnsembleCharts.values($0, .effectiveRank) }, .effectiveRank, labels: Self.labels)
        #expect(e.series[0].xs.first == 1 && e.series[0].xs.last == 2 && e.series[1].xs == e.series[0].xs)
        #expect(e.series[0].ys.reduce(0, +) - (e.series[0].ys.last ?? 0) - (e.series[0].ys.dropLast().last ?? 0) == 5)
    }

    /// The second cloud's markers (ASCII: the canvas layer's, '#') sit where its members are: one
    /// in the lower-left quadrant at (-1.1, -0.9) and (-1, -1) (possibly one cell), and (0.3, 0.3)
    /// above and right of the axes' crossing; the first's ('x') as in the single view.
    @Test func eachCloudIsDrawnInItsOwnMarker() {
        let rows = Self.cloud(.ascii).map { Array($0) }
        let axisRow = rows.firstIndex { $0.filter { $0 == "*" }.count > 8 }!
        let axisColumn = rows[0].firstIndex(of: "*")!
        let lowerLeft = rows[(axisRow + 1)...].flatMap { $0.prefix(axisColumn).filter { $0 == "#" } }
        let upperRight = rows[..<axisRow].flatMap { $0.dropFirst(axisColumn + 1).filter { $0 == "#" } }
        #expect(!lowerLeft.isEmpty && upperRight.count >= 2, "\(rows.map { String($0) })")
        #expect(rows.joined().contains("x"))
    }

    @Test func theScreenLabelsEachConfigurationWithItsFractionAndInterval() throws {
        let text = try EnsembleViewTests.screen(try Self.workerFrame())
        #expect(text.contains("2 ensembles"), "\(text)")
        #expect(text.contains("members     6 x 2, paired, 2 threads"), "\(text)")
        // First: 3 of 4 (Wilson [30.1%, 95.4%]); second: sigma_2/sigma_1 < 0.05 for 2 of 5, whose
        // Wilson interval solves (2/5 - p)^2 = z^2 p (1 - p) / 5: 0.118 and 0.769.
        #expect(text.contains("N=2         3/4 = 75.0% [30.1, 95.4]"), "\(text)")
        let z = 1.959964, n = 5.0, k = 2.0
        let centre = (k + z * z / 2) / (n + z * z), half = z / (n + z * z) * (k * (n - k) / n + z * z / 4).squareRoot()
        #expect(text.contains(String(format: "N=4         2/5 = 40.0%% [%.1f, %.1f]", 100 * (centre - half), 100 * (centre + half))), "\(text)")
        #expect(text.contains("95% CI (Wilson) in %"))
        // The depth differs ('N=2' against 'N=4'): the panel gives both.
        #expect(text.contains("flow, d, N  upstairs, 2, 2|4"), "\(text)")
        // The legend names what differs, with each fraction.
        #expect(text.contains("N=2 rank one 75.0%") && text.contains("N=4 rank one 40.0%"), "\(text)")
        #expect(text.contains("median, 25-75%") && !text.contains("5-25-50-75-95%"), "\(text)")
        #expect(text.contains("(W12, W21) N=2 5  N=4 5"), "\(text)")
    }

    /// 2 configurations of the hyperbola problem, as `dlntui --preset hyperbola --compare 'N=2' 'N=4' --members 40` builds them.
    static func worker(members: Int = 40) throws -> EnsembleWorker {
        let preset = try #require(Preset.named("hyperbola"))
        let points = try Comparison.configurations(["N=2", "N=4"], base: preset.parameters)
        return try EnsembleWorker.make(points, options: EnsembleOptions(members: members, jobs: 2), fps: 30)
    }

    static func runToEnd(_ w: EnsembleWorker) {
        while !w.finished { w.round(due: Int.max / 2) }
    }

    /// Pairing: member i of each configuration is member i of `dlntui ensemble` with its flags, so
    /// each configuration's rank-one fraction is the command's, exactly; and the members start
    /// where the command's start (the same W at step 0 in both configurations: one seed each).
    @Test func eachConfigurationsFractionIsTheEnsembleCommandsWithItsFlags() throws {
        let w = try Self.worker()
        Self.runToEnd(w)
        for (n, e) in zip([2, 4], w.ensembles) {
            let binary = try #require(builtBinary(), "the dlntui binary is not beside the tests")
            let dir = NSTemporaryDirectory() + "dlntui-compared-\(getpid())-\(n)"
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let r = run([binary, "ensemble", "--preset", "hyperbola", "-N", "\(n)", "--members", "40", "--output", dir, "--quiet"])
            #expect(r.status == 0, "\(r.output)")
            let lines = try String(contentsOfFile: dir + "/summary.csv", encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let s1 = lines[0].firstIndex(of: "sigma_1")!, s2 = lines[0].firstIndex(of: "sigma_2")!
            let k = lines.dropFirst().filter { Double($0[s2])! / Double($0[s1])! < 0.05 }.count
            #expect(e.frame().rankOne == Proportion(k, of: 40), "N = \(n): live \(e.frame().rankOne) against dlntui ensemble \(k)/40")
        }
        // The paper's contrast (14.1): deeper, more limits rank one.
        #expect(w.ensembles[1].frame().rankOne.value > w.ensembles[0].frame().rankOne.value)
    }

    /// The worker's keys: N restarts every configuration at its own N + 1 from the same member
    /// seeds; beta reaches every configuration; v and c are refused with a message.
    @Test func keysReachEveryConfigurationAndRestartsKeepThePairing() throws {
        let w = try Self.worker(members: 6)
        while w.step < 20 { w.round(due: 20) }
        #expect(w.step == 20 && w.ensembles.allSatisfy { $0.step == 20 })
        w.apply(.depthUp)
        #expect(w.ensembles.map(\.point.depthText) == ["3", "5"])
        #expect(w.step == 0 && w.ensembles.allSatisfy { $0.restarts.last?.contains("N=3 | N=5") == true })
        #expect(w.labels == ["N=3", "N=5"])
        w.apply(.halveBeta)
        #expect(w.ensembles.map(\.parameters.beta) == w.ensembles.map { _ in w.ensembles[0].parameters.beta })
        let before = w.ensembles.map(\.parameters.beta)
        w.apply(.doubleBeta)
        #expect(zip(w.ensembles.map(\.parameters.beta), before).allSatisfy { $0 == $1 * 2 || ($1.isInfinite && $0.isInfinite) })
        w.apply(.toggleVersus)
        #expect(w.ensembles.count == 2)
        // A restart keeps every member's seed, in every configuration: member i's start and noise
        // stream seed (`startSeed`) is the same in both, before and after.
        func seeds() -> [[UInt64]] { w.ensembles.map { e in e.steppers.map { $0.simulation?.parameters.startSeed ?? 0 } } }
        w.round(due: 1)
        let start = seeds()
        #expect(start[0] == start[1] && Set(start[0]).count == 6, "\(start)")
        w.apply(.restart(newSeed: false))
        w.round(due: 1)
        #expect(seeds() == start)
        // The snapshot: one set of files per configuration, each labelled.
        let contents = w.snapshotContents()
        #expect(contents.map(\.label) == ["N=3", "N=5"])
        #expect(contents.allSatisfy { !$0.summary.isEmpty && $0.quantiles.hasPrefix("point,time,quantity,") })
    }
}

extension ComparedEnsembleTests {
    // Recorded from the fixtures and looked at: the first configuration's median '*' over its
    // 25-75% band (':'), the second's '+' a decade lower; the outlines '*' (3 then 2) and '+' (2 then
    // 3) over the unit bins 1 and 2; the clouds 'x' (first) and '#' (second) over the hyperbola '+'.
    static let bandASCII = """
          10+
            | : : : : : :*******
            |************: : : :
           1+
            |: : : : : : +++++++
            |++++++++++++ : : :
        1e-1+
             0        2        4
        """

    static let histogramASCII = """
        3+*********+++++++++
         |++++++++++*******+
         |+                +
         |+                +
        0++                +
          0.5 1          2.5
        """

    static let cloudASCII = """
        R=1.5       *  +
                    *  +x#
                    * x  +#+
                   x*#
            ****************
            +++     *
              ##+   *
                +   *
        """

    static let cloudUnicode = """
        R=1.5       ⡇  ⠹⡄
                    ⡇   ⠙⢦⣀
                    ⡇ ⠠   ⠈⠙
                  ⠈ ⡇⠈
            ⠉⠉⠉⠉⠉⠉⠉⠉⡏⠉⠉⠉⠉⠉⠉⠉
            ⣄⡀      ⡇
             ⠉⠳⣄    ⡇
               ⠘⣆   ⡇
        """
}
