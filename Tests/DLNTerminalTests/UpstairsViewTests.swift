import DLNEngine
import Foundation
import Testing
@testable import DLNTerminal

@Suite struct TimeScaleKeyTests {
    @Test func capitalTTogglesPlainAndDepthButNotAtInfiniteDepth() {
        let start = Preset.named("denoise")!.parameters
        #expect(start.effectiveTimeScale == .plain)
        var (p, _) = press("T", start)
        #expect(p.timeScale == .depth)
        (p, _) = press("T", p)
        #expect(p.timeScale == .plain)
        // Nothing else moves.
        #expect(p.depth == start.depth && p.beta == start.beta && p.flow == start.flow)
        var inf = start
        inf.depth = Depth.infinite
        inf.timeScale = .depth
        (p, _) = press("T", inf)
        #expect(p.effectiveTimeScale == .depth)
        #expect(KeyMap.handle(.character("T"), view: ViewState()).commands == [.toggleTimeScale])
        #expect(KeyMap.handle(.character("v"), view: ViewState()).commands == [.toggleVersus])
        #expect(KeyMap.help.contains { $0.keys == "T" } && KeyMap.help.contains { $0.keys == "v" })
    }

    /// The key's edit divides the generator by N: from the same W, one noiseless Euler step in
    /// depth time moves W by exactly 1/N of the plain step.
    @Test func depthTimeStepIsThePlainStepOverN() throws {
        var p = Preset.named("denoise")!.parameters
        p.flow = .riemannian; p.beta = .infinity; p.depth = 5
        p.useFixedStep()  // one Euler step, as the comment says
        let plain = try Simulation(parameters: p), scaled = try Simulation(parameters: p)
        let q = Command.toggleTimeScale.applied(to: scaled.parameters)
        try scaled.apply(.timeScale(q.timeScale))
        #expect(scaled.parameters.timeScale == .depth)
        let w0 = plain.endToEnd
        #expect(w0 == scaled.endToEnd)
        try plain.advance(); try scaled.advance()
        let a = plain.endToEnd - w0, b = scaled.endToEnd - w0
        #expect(a.frobeniusNorm > 1e-6)
        #expect((a - 5 * b).frobeniusNorm <= 1e-9 * a.frobeniusNorm)
    }

    @Test func workerAppliesTheKeyAndThePanelSaysSo() throws {
        var p = Preset.named("denoise")!.parameters
        p.speed = nil
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        _ = frame(from: worker) { $0.snapshot.observation.step > 10 }
        worker.send([.toggleTimeScale])
        let f = try #require(frame(from: worker) { $0.snapshot.parameters.timeScale == .depth })
        #expect(f.edits.last?.parameter == "time-scale" && f.edits.last?.value == "depth")
        let text = Dashboard.render(input(f), width: 120, height: 40).text
        #expect(text.contains("8, 3, t/N"))
        #expect(text.contains("T t/N"))
    }
}

@Suite struct LayerChartTests {
    /// ||W_{p+1}^T W_{p+1} - W_p W_p^T||_F, straight from the factors (4.2).
    func defects(_ parts: [Matrix]) -> [Double] {
        (0..<(parts.count - 1)).map { p in
            let a = parts[p + 1].transposed * parts[p + 1], b = parts[p] * parts[p].transposed
            return (a - b).frobeniusNorm
        }
    }

    @Test func layoutKeepsEveryPartOnScreenWithLayerCharts() {
        for (w, h) in [(80, 24), (100, 30), (120, 40), (160, 50)] {
            for m in [1, 2] {
                let l = DashboardLayout.compute(width: w, height: h, parameterRows: 16, layerCharts: m)!
                let parts = [l.sigma, l.parameters, l.matrix, l.footer] + l.lower + l.layers
                for (i, a) in parts.enumerated() {
                    #expect(a.x >= 0 && a.y >= 0 && a.right <= w && a.bottom <= h)
                    #expect(a == l.footer || (a.width >= 8 && a.height >= 3), "\(a) too small at \(w)x\(h)")
                    for b in parts[(i + 1)...] { #expect(a.intersection(b).isEmpty) }
                }
                // The core charts always; the layer charts as room allows (one at least at 80 columns),
                // all of them in a row of their own with height to spare.
                #expect(l.lower.count == 3 && l.layers.count >= 1 && l.layers.count <= m)
                if h >= 40 { #expect(l.layers.count == m) }
            }
        }
    }

    @Test func upstairsShowsBalancePerLayerAsComputedFromTheFactors() throws {
        // The snapshot's ||G_p|| against the factors themselves, after 100 steps of the upstairs flow.
        let sim = try Simulation(parameters: Preset.named("two-by-two")!.parameters)
        for _ in 0..<100 { try sim.advance() }
        let expected = defects(sim.state.parts)
        let shown = try sim.snapshot().balanceDefects
        #expect(shown.count == expected.count)
        for (a, b) in zip(shown, expected) { #expect(abs(a - b) <= 1e-12 * max(1, b)) }
        let frame = try offlineFrame(preset: "two-by-two", steps: 100)
        #expect(frame.snapshot.balanceDefects == shown)
        #expect(frame.snapshot.balanceDefects.count == 3)
        for width in [80, 120, 160] {
            let height = [80: 24, 120: 40, 160: 50][width]!
            let text = Dashboard.render(input(frame), width: width, height: height).text
            #expect(text.contains("\u{2016}G_p\u{2016}"), "no balance chart at \(width)x\(height)")
            #expect(!text.contains("gauge"))
        }
        let wide = Dashboard.render(input(frame), width: 120, height: 40).text
        let largest = frame.snapshot.balanceDefects.max()!
        #expect(wide.contains("max " + NumberText.compact(largest)))
        #expect(wide.contains("G1 " + NumberText.compact(frame.snapshot.balanceDefects[0])))
    }

    @Test func rleUpstairsShowsGaugeMotionAndStaysBalanced() throws {
        let frame = try offlineFrame(preset: "denoise", steps: 60, change: { p in
            p.flow = .rleUpstairs; p.beta = 30; p.kappa = 1; p.depth = 3
        })
        let s = frame.snapshot
        #expect(s.gaugeDistances.count == 2 && s.balanceDefects.count == 2)
        // Frames are orthogonal: ||Q - Q0||_F <= 2 sqrt(d); with noise at 1/beta the gauge has moved.
        for g in s.gaugeDistances { #expect(g > 0 && g <= 2 * sqrt(8.0) + 1e-9) }
        for b in s.balanceDefects { #expect(b < 1e-8) }
        #expect(frame.trace.count > 2)
        for (w, h) in [(80, 24), (120, 40), (160, 50)] {
            let text = Dashboard.render(input(frame), width: w, height: h).text
            // The gauge gives way to the core charts and the error chart on one row at 80 x 24.
            if h >= 40 { #expect(text.contains("gauge"), "no gauge chart at \(w)x\(h)") }
            if h >= 40 { #expect(text.contains("\u{2016}G_p\u{2016}"), "no balance chart at \(w)x\(h)") }
            #expect(text.contains("energy") || text.contains("E "), "energy dropped at \(w)x\(h)")
            #expect((text.contains("eff ") || text.contains("num ")) && text.contains("S "), "a core chart dropped at \(w)x\(h)")
        }
        let wide = Dashboard.render(input(frame), width: 160, height: 50).text
        #expect(wide.contains("Q1 " + NumberText.compact(s.gaugeDistances[0])))
    }

    @Test func layersShownAreTheLargestInLayerOrder() {
        #expect(Dashboard.layersShown([0.1, 3, 0.2, 5, 0], limit: 2) == [1, 3])
        #expect(Dashboard.layersShown([0, 0, 0], limit: 6) == [0, 1, 2])
    }

    @Test func traceThinsLikeTheHistoryAndKeepsStepZero() {
        var t = StateTrace(capacity: 8)
        for step in 0..<100 { t.record(TraceSample(step: step, time: Double(step), balanceDefects: [], gaugeDistances: [], offDiagonal: nil)) }
        #expect(t.samples.count < 8 && t.samples.first?.step == 0)
        #expect(t.samples.allSatisfy { $0.step % t.stride == 0 })
    }
}

@Suite(.serialized) struct VersusTests {
    @Test func versusRunsLangevinBesideRleUpstairsFromOneStartInLockstep() throws {
        var p = Preset.named("denoise")!.parameters
        p.speed = nil; p.beta = 30; p.kappa = 1; p.depth = 3
        let worker = Worker(simulation: try Simulation(parameters: p), fps: 60)
        worker.start()
        defer { worker.stop() }
        _ = frame(from: worker) { $0.snapshot.observation.step > 5 }
        worker.send([.toggleVersus])
        let f = try #require(frame(from: worker) { $0.companion != nil && $0.snapshot.observation.step > 20 })
        let c = try #require(f.companion)
        #expect(f.snapshot.parameters.flow == .rleUpstairs && c.snapshot.parameters.flow == .langevin)
        #expect(c.snapshot.parameters.seed == f.snapshot.parameters.seed && c.snapshot.parameters.kappa == 1)
        // Lockstep, and one start: the first recorded W has the same singular values.
        #expect(c.snapshot.observation.step == f.snapshot.observation.step)
        let a = try #require(f.whole.first), b = try #require(c.whole.first)
        #expect(a.step == 0 && b.step == 0)
        for (x, y) in zip(a.sigma, b.sigma) { #expect(abs(x - y) <= 1e-9 * max(1, x)) }
        // An edit reaches both runs.
        worker.send([.halveKappa])
        let edited = try #require(frame(from: worker) { $0.snapshot.parameters.kappa == 0.5 && $0.companion?.snapshot.parameters.kappa == 0.5 })
        let text = Dashboard.render(input(edited), width: 120, height: 40).text
        #expect(text.contains("rle-upstairs") && text.contains("langevin"))
        let small = Dashboard.render(input(edited), width: 80, height: 24).text
        #expect(small.contains("rle-upstairs") && small.contains("langevin"))
        worker.send([.toggleVersus])
        _ = try #require(frame(from: worker) { $0.companion == nil })
    }
}

@Suite struct HyperbolaTests {
    @Test func curveLiesOnXYEqualsOneAndMarksSitAtPlusMinusOne() {
        let view = HyperbolaView(trail: [(0, 0), (0.5, 0.5)], glyphs: .unicode, axisStyle: .none, curveStyle: .none, trailStyle: .none,
                                 markStyle: .none, pointStyle: .none, labelStyle: .none)
        #expect(view.radius == 1.5)
        var b = Buffer(width: 40, height: 20, fill: Cell(" "))
        let area = b.area
        view.render(into: &b, area: area)
        let f = view.frame(columns: 40, rows: 20, marker: .braille)
        func cell(_ x: Double, _ y: Double) -> Unicode.Scalar {
            let (px, py) = f.dot(x, y)
            return b[px / 2, py / 4].scalar
        }
        #expect(cell(1, 1) == "+" && cell(-1, -1) == "+")
        #expect(cell(0.5, 0.5) == "\u{25CF}")
        // On the hyperbola (quadrants I and III) there are dots; on xy = -1 (II and IV) none.
        for x in [0.75, 1.25] {
            #expect(cell(x, 1 / x) != " " && cell(-x, -1 / x) != " ")
            #expect(cell(x, -1 / x) == " " && cell(-x, 1 / x) == " ")
        }
        // Equal scales: one unit spans as many dots across as down (braille dots are square).
        let (x0, y0) = f.dot(0, 0), (x1, y1) = f.dot(1, 1)
        #expect(abs((x1 - x0) - (y0 - y1)) <= 1)
    }

    @Test func twoByTwoPanelShowsTheOffDiagonalPoint() throws {
        let frame = try offlineFrame(preset: "two-by-two", steps: 300)
        let w = frame.snapshot.endToEnd
        for (width, height) in [(80, 24), (120, 40)] {
            let text = Dashboard.render(input(frame), width: width, height: height).text
            #expect(text.contains("(\(NumberText.compact(w[0, 1])), \(NumberText.compact(w[1, 0])))"))
            #expect(text.contains("+"))
        }
        #expect(frame.trace.allSatisfy { $0.offDiagonal != nil })
        // At 80 x 24 the picture moves beside the singular values and W keeps its numbers.
        let small = Dashboard.render(input(frame), width: 80, height: 24).text
        #expect(small.contains("W (2 × 2)") && small.contains(String(format: "%+.2f", w[0, 1])))
    }
}
