import Foundation
import Testing

/// `dlntui plot DIR` on a study folder: the histograms of summary.csv's statistics and the d = 2
/// limits, checked against counts and coordinates computed here from the files themselves.
@Suite(.serialized) struct PlotStudyTests {
    /// A real ensemble of the two-by-two problem, made once.
    static let ensemble: String = {
        let dir = Binary.temporaryDirectory() + "/study"
        _ = try? Binary.run(["ensemble", "--preset", "two-by-two", "--members", "40", "--steps", "1500", "--output", dir], timeout: 120)
        return dir
    }()

    /// summary.csv as columns by name (the test's own reader: plain CSV, no quoting in these files).
    static func columns(_ path: String) throws -> [String: [String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let names = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var out: [String: [String]] = [:]
        for line in lines.dropFirst() {
            for (k, f) in line.split(separator: ",", omittingEmptySubsequences: false).enumerated() { out[names[k], default: []].append(String(f)) }
        }
        return out
    }

    static func attributes(_ svg: String, _ element: String, _ cls: String) -> [[String: Double]] {
        svg.matches(of: try! Regex("<\(element) class=\"\(cls)\"([^>]*)/>")).map { m in
            var a: [String: Double] = [:]
            for pair in String(m.output[1].substring!).matches(of: /([a-z]+)="([-0-9.]+)"/) { a[String(pair.1)] = Double(pair.2) }
            return a
        }
    }

    @Test("a real ensemble: bands, histograms and the limits on the hyperbola, rendered non-blank at its size")
    func realEnsemble() throws {
        let dir = Self.ensemble
        let r = try Binary.run(["plot", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try String(contentsOfFile: dir + "/study.svg", encoding: .utf8)
        let texts = PlotCommandTests.texts(svg)
        for title in ["final effective rank", "final numerical rank", "σ2/σ1 at the end", "time of the jump to rank 1, t_rank_1",
                      "limits (W12, W21) of the members"] {
            #expect(texts.contains { $0.hasSuffix(") " + title) }, "no chart \(title)")
        }
        // No ground truth in this problem: its empty error quantiles are left out of the default.
        #expect(!texts.contains { $0.contains("error: median") })
        #expect(svg.contains("<title>W12 W21 = 1</title>") && svg.matches(of: /<path class="band"/).count >= 8)
        let png = dir + "/study.png"
        #expect(try Renderer.rsvg(dir + "/study.svg", png: png) == 0)
        let facts = try PNGFacts.of(png)
        let want = try PlotCommandTests.expectedPixels(svg)
        #expect(abs(facts.width - want.width) <= 1 && abs(facts.height - want.height) <= 1, "\(facts) vs \(want)")
        #expect(facts.inked > facts.width * facts.height / 30 && facts.colours >= 6, "\(facts)")
    }

    @Test("the limits: one point per member at its (w_1_2, w_2_1) from summary.csv, on the curve's own map")
    func limits() throws {
        let dir = Self.ensemble
        let out = dir + "/limits.svg"
        let r = try Binary.run(["plot", dir, "--charts", "limits", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        let c = try Self.columns(dir + "/summary.csv")
        let xs = try #require(c["w_1_2"]).map { Double($0)! }, ys = try #require(c["w_2_1"]).map { Double($0)! }
        let points = Self.attributes(svg, "circle", "point")
        try #require(points.count == xs.count)
        let cx = points.map { $0["cx"]! }, cy = points.map { $0["cy"]! }
        // One affine map per axis, from the two members farthest apart in each coordinate.
        let (i, j) = (xs.indices.min { xs[$0] < xs[$1] }!, xs.indices.max { xs[$0] < xs[$1] }!)
        let (k, l) = (ys.indices.min { ys[$0] < ys[$1] }!, ys.indices.max { ys[$0] < ys[$1] }!)
        let ax = (cx[j] - cx[i]) / (xs[j] - xs[i]), ay = (cy[l] - cy[k]) / (ys[l] - ys[k])
        #expect(ax > 0 && ay < 0)
        for m in xs.indices {
            #expect(abs(cx[i] + ax * (xs[m] - xs[i]) - cx[m]) < 0.02, "member \(m) x")
            #expect(abs(cy[k] + ay * (ys[m] - ys[k]) - cy[m]) < 0.02, "member \(m) y")
        }
        // The hyperbola's path on the same map: each of its vertices satisfies x y = 1.
        let path = try #require(svg.firstMatch(of: /<path class="series"[^>]* d="([^"]+)"><title>W12 W21 = 1/)).1
        let vertices = path.matches(of: /([-0-9.]+),([-0-9.]+)/).map { (Double($0.1)!, Double($0.2)!) }
        #expect(vertices.count > 100)
        for (px, py) in vertices {
            let x = xs[i] + (px - cx[i]) / ax, y = ys[k] + (py - cy[k]) / ay
            #expect(abs(x * y - 1) < 0.03, "vertex (\(px), \(py)) is (\(x), \(y))")
        }
    }

    /// A summary of two points written here: effective ranks, numerical ranks, a rank jump some
    /// members never make.
    static func handMade() throws -> (dir: String, erank: [[Double]], rank: [[Int]], jump: [[Double?]]) {
        let dir = Binary.temporaryDirectory() + "/hand"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var g = SystemRandomNumberGenerator()
        var erank: [[Double]] = [[], []], rank: [[Int]] = [[], []], jump: [[Double?]] = [[], []]
        var text = "point,member,seed,N,status,steps,time,effective_rank,numerical_rank,sigma_1,sigma_2,t_rank_1,t_rank_2,wall_s\n"
        for p in 0..<2 {
            for m in 0..<30 {
                let e = Double.random(in: 1...(p == 0 ? 2 : 1.5), using: &g)
                let n = Int.random(in: 1...2, using: &g)
                let t: Double? = m % 3 == 0 ? nil : Double.random(in: 0...10, using: &g)
                erank[p].append(e); rank[p].append(n); jump[p].append(t)
                text += "\(p),\(m),7,\(p + 2),ok,100,5,\(e),\(n),1,0.5,1,\(t.map { "\($0)" } ?? ""),0.1\n"
            }
        }
        try text.write(toFile: dir + "/summary.csv", atomically: true, encoding: .utf8)
        return (dir, erank, rank, jump)
    }

    @Test("histograms: bins x points bars, heights proportional to counts made here, integer ranks one bar per value")
    func histograms() throws {
        let h = try Self.handMade()
        let out = h.dir + "/h.svg"
        let r = try Binary.run(["plot", h.dir, "--charts", "hist-effective_rank", "--bins", "4", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        let bars = Self.attributes(svg, "rect", "bar")
        try #require(bars.count == 8)
        // Shared bins over both points' extent; counts by brute force.
        let all = h.erank[0] + h.erank[1]
        let lo = all.min()!, hi = all.max()!
        var counts: [Double] = []
        for p in 0..<2 {
            for b in 0..<4 {
                let a = lo + Double(b) * (hi - lo) / 4, e = lo + Double(b + 1) * (hi - lo) / 4
                counts.append(Double(h.erank[p].filter { $0 >= a && ($0 < e || (b == 3 && $0 <= e)) }.count))
            }
        }
        let biggest = counts.indices.max { counts[$0] < counts[$1] }!
        let perCount = bars[biggest]["height"]! / counts[biggest]
        for (bar, n) in zip(bars, counts) { #expect(abs(bar["height"]! - n * perCount) < 0.03, "\(bar) for \(n)") }
        #expect(PlotCommandTests.texts(svg).contains { $0.hasPrefix("point 1 (N=3)") })

        let ranks = h.dir + "/r.svg"
        #expect(try Binary.run(["plot", h.dir, "--charts", "hist-numerical_rank", "--output", ranks]).status == 0)
        let rankBars = Self.attributes(try String(contentsOfFile: ranks, encoding: .utf8), "rect", "bar")
        #expect(rankBars.count == 4)
        let want = (0..<2).flatMap { p in [1, 2].map { v in Double(h.rank[p].filter { $0 == v }.count) } }
        let unit = rankBars[0]["height"]! / want[0]
        for (bar, n) in zip(rankBars, want) { #expect(abs(bar["height"]! - n * unit) < 0.03) }

        let jumps = h.dir + "/j.svg"
        #expect(try Binary.run(["plot", h.dir, "--charts", "hist-t_rank_2", "--output", jumps]).status == 0)
        let never = h.jump.flatMap { $0 }.filter { $0 == nil }.count
        // The note, wrapped to the legend's column.
        let note = PlotCommandTests.texts(try String(contentsOfFile: jumps, encoding: .utf8)).joined(separator: " ")
        #expect(note.contains("\(never) of 60 members never reached it"), "\(note)")
    }

    @Test("bad study folders: file, line and column (2); unknown charts list this study's (64); bad --bins (64)")
    func errors() throws {
        let h = try Self.handMade()
        let u = try Binary.run(["plot", h.dir, "--charts", "hist-speed"])
        #expect(u.status == 64 && u.stderr.contains("this study has hist-effective_rank, hist-numerical_rank, hist-sigma_ratio"), "\(u.stderr)")
        let b = try Binary.run(["plot", h.dir, "--bins", "0"])
        #expect(b.status == 64 && b.stderr.contains("--bins"), "\(b.stderr)")
        try "point,member,colour\n0,0,red\n".write(toFile: h.dir + "/summary.csv", atomically: true, encoding: .utf8)
        let bad = try Binary.run(["plot", h.dir])
        #expect(bad.status == 2 && bad.stderr.contains("summary.csv:1:3: header has 'colour' where a study's summary has 'seed'"), "\(bad.stderr)")
        try "point,member,seed,status,x\n0,0,1,ok\n".write(toFile: h.dir + "/summary.csv", atomically: true, encoding: .utf8)
        let ragged = try Binary.run(["plot", h.dir])
        #expect(ragged.status == 2 && ragged.stderr.contains("summary.csv:2:5:"), "\(ragged.stderr)")
        let empty = Binary.temporaryDirectory()
        let none = try Binary.run(["plot", empty])
        #expect(none.status == 2 && none.stderr.contains("no quantiles.csv nor summary.csv"), "\(none.stderr)")
    }
}
