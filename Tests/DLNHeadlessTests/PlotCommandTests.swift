import Foundation
import Testing

/// `dlntui plot`: rows of real runs drawn as SVG, rendered by a real renderer (rsvg-convert) and
/// measured; the same rows give the same bytes; bad input gets the contract's statuses.
@Suite(.serialized) struct PlotCommandTests {
    /// Rows of real runs, made once: completion upstairs (CSV), langevin (JSONL, finite beta),
    /// dyson (signed eigenvalues).
    static let runs: (dir: String, csv: String, jsonl: String, dyson: String) = {
        let dir = Binary.temporaryDirectory()
        let csv = dir + "/completion.csv", jsonl = dir + "/langevin.jsonl", dyson = dir + "/dyson.csv"
        _ = try? Binary.run(["run", "--preset", "completion", "--steps", "400", "--every", "4", "--output", csv])
        _ = try? Binary.run(["run", "--preset", "langevin", "--steps", "200", "--every", "4", "--format", "jsonl", "--output", jsonl])
        _ = try? Binary.run(["run", "--preset", "dyson", "--steps", "100", "--every", "2", "--output", dyson])
        return (dir, csv, jsonl, dyson)
    }()

    static func plot(_ arguments: [String]) throws -> Invocation { try Binary.run(["plot"] + arguments) }

    static func texts(_ svg: String) -> [String] {
        svg.matches(of: /<text[^>]*>([^<]*)<\/text>/).map { String($0.1) }
    }

    /// The height in mm a figure says, and the pixels rsvg-convert makes of it at 96 dpi.
    static func expectedPixels(_ svg: String) throws -> (width: Int, height: Int) {
        let w = try #require(svg.firstMatch(of: /width="([0-9.]+)mm"/)).1
        let h = try #require(svg.firstMatch(of: /height="([0-9.]+)mm"/)).1
        return (Int((Double(w)! / 25.4 * 96).rounded(.up)), Int((Double(h)! / 25.4 * 96).rounded(.up)))
    }

    @Test("by default every chart the rows support, beside the rows, rendered non-blank at its size")
    func defaultFigure() throws {
        let r = try Self.plot([Self.runs.csv])
        #expect(r.status == 0, "\(r.stderr)")
        let path = Self.runs.dir + "/completion.svg"
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        let texts = Self.texts(svg)
        // Upstairs completion at beta = inf: sigma, energy, entropy, rank, error (the rows' ground
        // truth), balance; no free energy.
        for title in ["(a) singular values σ_k(t)", "(b) energy E(t)", "(c) entropy S(t)", "(d) ranks",
                      "(e) error against the ground truth", "(f) balance defect"] {
            #expect(texts.contains(title), "no \(title)")
        }
        #expect(!texts.contains { $0.contains("free energy") })
        for label in ["time t", "σ_k (log)", "E(W) (log)", "S(W)", "rank"] {
            #expect(texts.contains(label), "no text \(label)")
        }
        // Legend entries: the label and the last value.
        let d = try String(contentsOfFile: Self.runs.csv, encoding: .utf8).prefix { $0 != "\n" }.matches(of: /sigma_/).count
        for label in ["σ1 ", "σ\(d) ", "numerical ", "effective ", "unobserved "] { #expect(texts.contains { $0.hasPrefix(label) }, "no legend \(label)") }
        // The run's parameters from the sidecar: caption, <desc>, <metadata> with the seed.
        #expect(svg.contains("<desc>completion.csv: 101 rows, t from 0 to ") && svg.contains(". preset = completion"))
        #expect(svg.contains("<dlntui:entry key=\"seed\">1</dlntui:entry>"))
        #expect(svg.contains("flow = upstairs"))
        let png = Self.runs.dir + "/completion.png"
        #expect(try Renderer.rsvg(path, png: png) == 0)
        let facts = try PNGFacts.of(png)
        let want = try Self.expectedPixels(svg)
        #expect(abs(facts.width - want.width) <= 1 && abs(facts.height - want.height) <= 1, "\(facts) vs \(want)")
        // Ink: text, axes and twelve coloured lines (several palette colours survive antialiasing).
        #expect(facts.inked > facts.width * facts.height / 50, "\(facts)")
        #expect(facts.colours >= 8, "\(facts)")
    }

    @Test("every chart kind alone, from CSV and JSONL, renders", arguments: ["sigma", "energy", "entropy", "free-energy", "rank", "error", "balance"])
    func everyChart(name: String) throws {
        // The rows' own appended columns (error, error_unobserved after sigma_d) and one more the
        // reader must carry along, empty in some rows.
        let withError = Self.runs.dir + "/error-\(name).csv"
        let lines = try String(contentsOfFile: Self.runs.csv, encoding: .utf8).split(separator: "\n")
        #expect(lines[0].contains(",error,error_unobserved"))
        var text = lines[0] + ",later_column\n"
        for (i, line) in lines.dropFirst().enumerated() { text += line + ",\(i % 7 == 0 ? "" : "\(exp(-0.01 * Double(i)))")\n" }
        try text.write(toFile: withError, atomically: true, encoding: .utf8)
        let source = name == "free-energy" ? Self.runs.jsonl : withError
        let out = Self.runs.dir + "/\(name).svg"
        let r = try Self.plot([source, "--charts", name, "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("warning"), "\(r.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        let texts = Self.texts(svg)
        let title: [String: String] = ["sigma": "singular values σ_k(t)", "energy": "energy E(t)", "entropy": "entropy S(t)",
                                       "free-energy": "free energy F(t)", "rank": "ranks", "error": "error against the ground truth",
                                       "balance": "balance defect"]
        #expect(texts.contains { $0.hasPrefix(title[name]!) }, "\(texts.prefix(3))")
        if name == "error" { #expect(texts.contains { $0.hasPrefix("unobserved ") } && texts.contains("‖W − A‖_F / ‖A‖_F (log)")) }
        #expect(svg.contains("<path class=\"series\""))
        let png = out + ".png"
        #expect(try Renderer.rsvg(out, png: png) == 0)
        let facts = try PNGFacts.of(png)
        #expect(facts.inked > 500 && facts.colours >= 2, "\(facts)")
    }

    @Test("the same rows give the same bytes, wherever they are; other rows other bytes")
    func deterministic() throws {
        let a = Self.runs.dir + "/a.svg", b = Self.runs.dir + "/b.svg"
        #expect(try Self.plot([Self.runs.csv, "--output", a]).status == 0)
        let copy = Binary.temporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.runs.csv, toPath: copy + "/completion.csv")
        try FileManager.default.copyItem(atPath: Self.runs.csv + ".json", toPath: copy + "/completion.csv.json")
        #expect(try Self.plot([copy + "/completion.csv", "--output", b]).status == 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: a)), second = try Data(contentsOf: URL(fileURLWithPath: b))
        #expect(first == second)
        let replacing = try Self.plot([Self.runs.csv, "--output", b, "--linear"])
        #expect(replacing.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: b)) != first)
        // Writing over a figure that was there (a snapshot's own ROWS.svg) says so.
        #expect(replacing.stdout.contains("wrote \(b), replacing the file that was there"), "\(replacing.stdout)")
        let fresh = Self.runs.dir + "/fresh-\(UUID().uuidString).svg"
        #expect(try !Self.plot([Self.runs.csv, "--output", fresh]).stdout.contains("replacing"))
    }

    @Test("width, title and scale flags; dyson's eigenvalues are linear and named as eigenvalues")
    func flags() throws {
        let out = Self.runs.dir + "/wide.svg"
        let r = try Self.plot([Self.runs.csv, "--width", "170mm", "--title", "Completion, seed 1", "--charts", "sigma,energy", "--log", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.contains("width=\"170.0mm\"") && Self.texts(svg).contains("Completion, seed 1"))
        let png = out + ".png"
        #expect(try Renderer.rsvg(out, png: png) == 0)
        #expect(try PNGFacts.of(png).width == Int((170 / 25.4 * 96).rounded(.up)))
        let d = Self.runs.dir + "/dyson.svg"
        #expect(try Self.plot([Self.runs.dyson, "--charts", "sigma", "--output", d]).status == 0)
        let dyson = Self.texts(try String(contentsOfFile: d, encoding: .utf8))
        #expect(dyson.contains("eigenvalues x_k(t) of M") && dyson.contains("x_k") && dyson.contains { $0.hasPrefix("−") })
    }

    @Test("not dlntui rows: file, line and column, status 2")
    func badRows() throws {
        let dir = Binary.temporaryDirectory()
        let header = try String(contentsOfFile: Self.runs.csv, encoding: .utf8).split(separator: "\n")[0]
        let row = try String(contentsOfFile: Self.runs.csv, encoding: .utf8).split(separator: "\n")[1]
        let n = header.split(separator: ",", omittingEmptySubsequences: false).count
        let cases: [(String, String, String)] = [
            ("header.csv", "step,time,loss\n0,0,1\n", "header.csv:1:3: header has 'loss' where dlntui rows have 'energy'"),
            ("ragged.csv", "\(header)\n\(row)\n\(row[..<row.lastIndex(of: ",")!])\n", "ragged.csv:3:\(n): \(n - 1) fields where the header has \(n) (ragged)"),
            ("number.csv", "\(header)\n\(row.replacingOccurrences(of: ",", with: ",x", options: [], range: row.range(of: ",")))\n", "number.csv:2:2: 'x"),
            ("empty.csv", "", "empty.csv: empty"),
            ("bad.jsonl", "{\"step\": 0}\n", "bad.jsonl:1:1: no 'sigma' array"),
        ]
        for (name, text, message) in cases {
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
            let r = try Self.plot([dir + "/" + name])
            #expect(r.status == 2, "\(name): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(message), "\(name): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/" + name.split(separator: ".")[0] + ".svg"))
        }
        let missing = try Self.plot([dir + "/nothing.csv"])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"))
        let folder = try Self.plot([dir])
        // A folder is a study: without its quantiles.csv and summary.csv it is a data error too.
        #expect(folder.status == 2 && folder.stderr.contains("no quantiles.csv nor summary.csv"), "\(folder.stderr)")
    }

    @Test("an unwritable output is status 1; an unknown chart lists the valid ones, 64")
    func outputAndUsage() throws {
        let r = try Self.plot([Self.runs.csv, "--output", "/nonexistent-dir/x.svg"])
        #expect(r.status == 1 && r.stderr.contains("cannot write /nonexistent-dir/x.svg"), "\(r.stderr)")
        let u = try Self.plot([Self.runs.csv, "--charts", "sigma,speed"])
        #expect(u.status == 64)
        #expect(u.stderr.contains("unknown chart 'speed'") && u.stderr.contains("sigma, energy, entropy, free-energy, rank, error, balance"), "\(u.stderr)")
        #expect(try Self.plot([Self.runs.csv, "--log", "--linear"]).status == 64)
        #expect(try Self.plot([Self.runs.csv, "--width", "3mm"]).status == 64)
    }

    @Test("a study folder: quantile bands per quantity from quantiles.csv, rendered; a bad header is status 2")
    func study() throws {
        let dir = Binary.temporaryDirectory()
        var text = "point,time,quantity,q05,q25,q50,q75,q95,mean,n\n"
        for point in ["0", "1"] {
            for t in stride(from: 0.0, through: 100, by: 5) {
                for (q, base) in [("energy", exp(-t / 20) + 1e-4), ("effective_rank", 1 + 2 * exp(-t / 30)), ("sigma_1", 1 - exp(-t / 10) + 1e-3), ("sigma_2", 0.5)] {
                    let qs = [0.7, 0.85, 1, 1.15, 1.3].map { "\($0 * base)" }.joined(separator: ",")
                    text += "\(point),\(t),\(q),\(qs),\(base),100\n"
                }
            }
        }
        try text.write(toFile: dir + "/quantiles.csv", atomically: true, encoding: .utf8)
        let r = try Self.plot([dir])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try String(contentsOfFile: dir + "/study.svg", encoding: .utf8)
        let texts = Self.texts(svg)
        #expect(texts.contains("(a) energy: median, q25-q75, q05-q95") && texts.contains("(c) singular values: median, q25-q75, q05-q95"))
        #expect(texts.contains { $0.hasPrefix("point 1 σ2 ") } && texts.contains("effective rank"))
        // Two bands (q05-q95, q25-q75) per curve: 2 points x (1 + 1 + 2) curves.
        #expect(svg.matches(of: /<path class="band"/).count == 16)
        #expect(try Renderer.rsvg(dir + "/study.svg", png: dir + "/study.png") == 0)
        let facts = try PNGFacts.of(dir + "/study.png")
        #expect(facts.inked > facts.width * facts.height / 20 && facts.colours >= 8, "\(facts)")
        let u = try Self.plot([dir, "--charts", "energy,speed"])
        #expect(u.status == 64 && u.stderr.contains("this study has energy, effective_rank, sigma"), "\(u.stderr)")
        try "point,time,value\n0,0,1\n".write(toFile: dir + "/quantiles.csv", atomically: true, encoding: .utf8)
        let bad = try Self.plot([dir])
        #expect(bad.status == 2 && bad.stderr.contains("quantiles.csv:1:3: header has 'value' where a study's quantiles have 'quantity'"), "\(bad.stderr)")
    }
}
