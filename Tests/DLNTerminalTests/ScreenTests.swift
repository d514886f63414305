import Foundation
import DLNEngine
import Testing
@testable import DLNTerminal

@Suite struct BufferTests {
    @Test func textIsClippedAndDiffFindsChangedCells() {
        var a = Buffer(width: 6, height: 2)
        #expect(a.put("abcdefgh", 2, 0) == 4)
        #expect(a.text == "  abcd\n")
        var b = a
        b.set(0, 1, "x", Style(fg: .rgb(RGB(1, 2, 3))))
        b.set(9, 9, "y")  // outside: ignored
        #expect(b.changes(from: a) == [6])
        #expect(b.changes(from: nil).count == 12)
        #expect(b.changes(from: Buffer(width: 5, height: 2)).count == 12)
        // A style change alone is a change.
        var c = b
        c.patch(0, 1, Style(attributes: .bold))
        #expect(c.changes(from: b) == [6] && c[0, 1].scalar == "x")
    }

    @Test func wideAndControlCharactersBecomeQuestionMarks() {
        var a = Buffer(width: 8, height: 1)
        a.put("a漢\u{7}σ⠿", 0, 0)
        #expect(a.text == "a??σ⠿")
    }

    @Test func numbersAreShortAndNeverGarbage() {
        #expect(NumberText.compact(0) == "0")
        #expect(NumberText.compact(400) == "400")
        #expect(NumberText.compact(0.05) == "0.05")
        #expect(NumberText.compact(0.0125) == "0.0125")
        #expect(NumberText.compact(2.891) == "2.89")
        #expect(NumberText.compact(1e6) == "1e6")
        #expect(NumberText.compact(1e-3) == "1e-3")
        #expect(NumberText.compact(6.513e-3) == "6.51e-3")
        #expect(NumberText.compact(-167.4) == "-167")
        #expect(NumberText.compact(.infinity) == "inf")
        #expect(NumberText.compact(-.infinity) == "-inf")
        #expect(NumberText.compact(.nan) == "nan")
        #expect(NumberText.powerOfTen(-3) == "1e-3" && NumberText.powerOfTen(0) == "1")
    }
}

@Suite struct LayoutTests {
    @Test func belowEightyByTwentyFourThereIsNoLayout() {
        #expect(DashboardLayout.compute(width: 79, height: 40, parameterRows: 16) == nil)
        #expect(DashboardLayout.compute(width: 200, height: 23, parameterRows: 16) == nil)
        #expect(DashboardLayout.compute(width: 80, height: 24, parameterRows: 16) != nil)
    }

    @Test func partsTileTheScreenWithoutOverlapAtEverySize() {
        for w in stride(from: 80, through: 400, by: 7) {
            for h in stride(from: 24, through: 120, by: 5) {
                let l = DashboardLayout.compute(width: w, height: h, parameterRows: 16, matrixWidth: 47)!
                let parts = [l.sigma, l.parameters, l.matrix, l.footer] + l.lower
                #expect(parts.reduce(0) { $0 + $1.width * $1.height } == w * h, "\(w)x\(h)")
                for (i, a) in parts.enumerated() {
                    #expect(a.right <= w && a.bottom <= h && a.x >= 0 && a.y >= 0)
                    for b in parts[(i + 1)...] { #expect(a.intersection(b).isEmpty, "\(a) overlaps \(b) at \(w)x\(h)") }
                }
                #expect(l.footer.height == 2 && l.lower.count == 3 && l.matrix.height >= 3)
            }
        }
    }

    @Test func columnsSplitExactly() {
        let r = Rect(x: 3, y: 1, width: 10, height: 4)
        let cols = r.columns(3)
        #expect(cols.map(\.width) == [4, 3, 3] && cols.map(\.x) == [3, 7, 10])
        #expect(r.centred(width: 4, height: 2) == Rect(x: 6, y: 2, width: 4, height: 2))
    }
}

@Suite struct DashboardTests {
    @Test func frameShowsChartsPanelAndValues() throws {
        let frame = try offlineFrame(steps: 400)
        let text = Dashboard.render(input(frame), width: 120, height: 40).text
        for part in ["singular values", "energy", "entropy", "eff ", "num ", "parameters", "upstairs", "completion", "W (10 × 10)",
                     "space pause", "running"] {
            #expect(text.contains(part), "missing \(part)")
        }
        // The panel's rows: name, padding, value.
        func row(_ key: String, _ value: String) -> Bool {
            text.split(separator: "\n").contains { $0.range(of: "│\(key) +\(NSRegularExpression.escapedPattern(for: value)) ", options: .regularExpression) != nil }
        }
        #expect(row("step, t", "400, " + NumberText.compact(frame.snapshot.observation.time, digits: 5)))
        #expect(row("beta", "inf") && row("kappa", "0"))
        #expect(row("error", NumberText.compact(frame.snapshot.observation.error!)))
        #expect(row("unobs", NumberText.compact(frame.snapshot.observation.errorUnobserved!)))
        // The legend lists sigma_1 with its current value.
        #expect(text.contains("σ1  " + NumberText.compact(frame.snapshot.observation.sigma[0])))
        #expect(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    }

    /// The default preset (dopri5, paced in time) at 120 x 40: the speed row's value is drawn whole in
    /// a form that fits, not cut at the panel's edge ("200 t/s, now 0 t/" when it reached its horizon).
    @Test func theSpeedRowFitsTheRightColumn() throws {
        for now in [0.0, 201.37, 12345.6] {
            var frame = try offlineFrame(steps: 20)
            frame.speed = 200
            frame.speedInTime = true
            frame.timePerSecond = now
            let text = Dashboard.render(input(frame), width: 120, height: 40).text
            let row = try #require(text.split(separator: "\n").first { $0.contains("│speed ") }, "\(text)")
            let value = row.components(separatedBy: "│speed").last!.split(separator: "│").first!.trimmingCharacters(in: .whitespaces)
            let forms = Dashboard.speedForms(frame)
            #expect(forms.contains(value), "speed row '\(value)' is none of \(forms)")
            #expect(value.hasPrefix("200 t/s"), "\(value)")
        }
    }

    @Test func smallWIsShownAsNumbers() throws {
        // denoise has d = 8: its numbers fit the right column at 120 x 40 (two-by-two shows its picture instead).
        let frame = try offlineFrame(preset: "denoise", steps: 50)
        let w = frame.snapshot.endToEnd
        let text = Dashboard.render(input(frame), width: 120, height: 40).text
        #expect(text.contains(String(format: "%+.2f", w[0, 0]) + " " + String(format: "%+.2f", w[0, 1])))
        #expect(text.contains("W (8 × 8)"))
    }

    @Test func asciiMonochromeAtEightyByTwentyFour() throws {
        // d = 12: more values than the legend has rows at 80 x 24.
        let frame = try offlineFrame(steps: 300, change: { $0.size = 12 })
        let b = Dashboard.render(input(frame, glyphs: .ascii, colorful: false), width: 80, height: 24)
        #expect(b.cells.allSatisfy { $0.scalar.isASCII })
        #expect(b.text.contains("singular values s_k") && b.text.contains("+3 hidden"))
    }

    @Test func tooSmallScreenSaysSoAtEverySmallSize() throws {
        let frame = try offlineFrame(steps: 10)
        let b = Dashboard.render(input(frame), width: 60, height: 20)
        #expect(b.text.contains("terminal too small: 60 x 20, need 80 x 24"))
        #expect(b.text.contains("q quits"))
        // Never cut: from the width where "need 80 x 24" fits, it is shown whole (at 40 x 10 the
        // one-line form is 41 characters and used to end in "need 80 x 2").
        for w in 12..<80 {
            let t = Dashboard.render(input(frame), width: w, height: 10).text
            #expect(t.contains("need 80 x 24") && t.contains("q quits"), "\(w) x 10: \(t)")
            if w >= 41 { #expect(t.contains("terminal too small: \(w) x 10, need 80 x 24"), "\(w)") }
        }
        for w in 0..<80 {
            for h in [0, 1, 2, 5, 23] {
                let s = Dashboard.render(input(frame), width: w, height: h)
                #expect(s.width == w && s.height == h)
            }
        }
    }

    @Test func helpOverlayListsEveryKey() throws {
        var view = ViewState()
        view.helpShown = true
        let text = Dashboard.render(input(try offlineFrame(steps: 10), view: view), width: 80, height: 24).text
        for (keys, action) in KeyMap.help {
            #expect(text.contains(keys) && text.contains(String(action.prefix(20))), "help lacks \(keys)")
        }
    }

    @Test func pausedRejectedAndMessagesAreVisible() throws {
        var frame = try offlineFrame(steps: 10)
        frame.paused = true
        frame.rejected = true
        var i = input(frame)
        i.message = Notice(serial: 2, text: "step 11 rejected: W became non-finite at dt = 1000", warning: true)
        let b = Dashboard.render(i, width: 120, height: 40)
        #expect(b.text.contains("step rejected"))
        #expect(b.text.contains("dt = 1000"))
        // Warnings stand out even without colour.
        let row = b.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("dt = 1000") }!
        #expect(b[2, row].attributes.contains(.reverse))
    }

    @Test func linearAxisAndRecentWindow() throws {
        let frame = try offlineFrame(steps: 5000)
        var view = ViewState()
        view.logSigma = false
        view.recentWindow = true
        let text = Dashboard.render(input(frame, view: view), width: 120, height: 40).text
        #expect(text.contains("linear, recent window"))
        // The recent window starts well after t = 0.
        let first = frame.recent.first!.time
        #expect(first > 0 && text.contains("t " + NumberText.compact(first)))
    }

    @Test func minusInfinityEntropyIsLabelledNotGarbage() throws {
        // A rank-one W has two vanishing singular values: S = -inf.
        let frame = try offlineFrame(preset: "two-by-two", steps: 5) { sim in
            try sim.apply(.flow(.riemannian))
        }
        var f = frame
        f.snapshot.observation.entropy = -.infinity
        f.whole = f.whole.map { var o = $0; o.entropy = -.infinity; return o }
        let text = Dashboard.render(input(f), width: 120, height: 40).text
        #expect(text.contains("S -inf"))
        #expect(text.contains("-inf┤"))
        #expect(!text.contains("nan"))
    }
}
