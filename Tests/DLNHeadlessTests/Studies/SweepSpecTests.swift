import DLNStudy
import Foundation
import Testing

/// SPEC.toml: a bad spec is rejected before any work with file, line and key; a good one runs the
/// grid's product with the grid values as columns.
@Suite struct SweepSpecTests {
    static let bad: [(String, Int, String)] = [
        ("members = 2\npreset = \"two-by-two\"\nbogus = 3\n", 3, "key 'bogus': unknown key"),
        // A number written as a string is a wrong type (it ran before), in a value and in a grid.
        ("members = 2\npreset = \"two-by-two\"\ndt = \"0.05\"\n", 3, "key 'dt': expected a number, got the string \"0.05\""),
        ("members = 2\n[grid]\nbeta = [\"1e4\", 2.0]\n", 3, "key 'beta': expected a number"),
        ("members = 2\nd = \"abc\"\n", 2, "key 'd'"),
        ("members = 2\n\n[grid]\nN = []\n", 4, "empty grid"),
        ("members = 2\n# beta next\nbeta = -1.0\n", 3, "key 'beta'"),
        ("members = 2\n[grid]\ndt = [0.1, 0.05]\nN = [2, 0]\n", 4, "key 'N'"),
        ("members = 2\nsteps = [1, 2]\n", 2, "key 'steps'"),
        ("members = 2\n[grid\nN = 1\n", 2, "parsing"),
        ("members = 0\n", 1, "key 'members'"),
        ("members = 2\nsteps = 10\n[grid]\nsteps = [1]\n", 4, "both"),
        ("members = 2\n[other]\nx = 1\n", 2, "unknown table"),
        ("preset = \"two-by-two\"\n", 0, "'members' is missing"),
    ]

    @Test func anUnreadableSpecSaysWhy() throws {
        let r = try Binary.run(["sweep", "/nonexistent/spec.toml", "--output", StudyTest.folder(), "--quiet"])
        #expect(r.status == 2 && r.stderr.contains("/nonexistent/spec.toml: cannot read the spec: no such file"), "\(r.stderr)")
    }

    @Test func badSpecsNameFileLineAndKey() throws {
        for (text, line, words) in Self.bad {
            let dir = StudyTest.folder()
            let spec = NSTemporaryDirectory() + "spec-\(UUID().uuidString).toml"
            try text.write(toFile: spec, atomically: true, encoding: .utf8)
            let r = try Binary.run(["sweep", spec, "--output", dir, "--quiet"])
            #expect(r.status == 2, "\(text): \(r.stderr)")
            #expect(r.stderr.contains(line > 0 ? "\(spec):\(line)" : spec) && r.stderr.contains(words), "\(text): \(r.stderr)")
            // Rejected before any work: no study folder.
            #expect(!FileManager.default.fileExists(atPath: dir + "/study.json"))
        }
    }

    @Test func aGridRunsItsProductWithItsValuesAsColumns() throws {
        let dir = StudyTest.folder()
        let spec = NSTemporaryDirectory() + "spec-\(UUID().uuidString).toml"
        try """
            preset = "two-by-two"
            members = 3
            seed = 4
            steps = 40
            flow = "riemannian"
            [grid]
            N = [2, "inf"]
            beta = [1e4, inf]
            """.write(toFile: spec, atomically: true, encoding: .utf8)
        let r = try Binary.run(["sweep", spec, "--output", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let t = try CSVTable(path: dir + "/summary.csv")
        #expect(Array(t.header.prefix(6)) == ["point", "member", "seed", "N", "beta", "status"])
        #expect(t.rows.count == 12)
        #expect(t.column("N") == ["2", "2", "2", "2", "2", "2", "inf", "inf", "inf", "inf", "inf", "inf"])
        #expect(t.column("beta") == ["10000.0", "10000.0", "10000.0", "inf", "inf", "inf", "10000.0", "10000.0", "10000.0", "inf", "inf", "inf"])
        // Point 1 (N = 2, beta = inf: the first key varies slowest), member 1 is that run.
        let run = try Binary.run(["run", "--preset", "two-by-two", "--steps", "40", "--flow", "riemannian", "-N", "2",
                                  "--seed", "4", "--member", "1"])
        let last = run.stdout.lines.last!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let row = t.rows[1 * 3 + 1]
        let energy = t.header.firstIndex(of: "energy")!
        #expect(Array(row[energy..<(energy + last.count - 2)]) == Array(last.dropFirst(2)))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/study.json"))) as! [String: Any]
        #expect((json["counts"] as! [String: Any])["ok"] as? Int == 12)
        #expect(json["members"] as? Int == 3)
        #expect((json["hash"] as? String)?.count == 16)
    }
}

/// numpy's "linear" quantile rule, checked against order statistics worked out by hand.
@Suite struct QuantileTests {
    @Test func linearInterpolationBetweenOrderStatistics() {
        // n = 5: h = 4 q; q = 0.05 -> between x1 and x2 at 0.2; q = 0.95 -> between x4 and x5 at 0.8 (80 + 0.8 x 80).
        let x = [10.0, 20, 40, 80, 160]
        #expect(Quantiles.linear(x, 0.5) == 40)
        #expect(Quantiles.linear(x, 0.25) == 20)
        #expect(abs(Quantiles.linear(x, 0.05) - 12) < 1e-12)
        #expect(abs(Quantiles.linear(x, 0.95) - 144) < 1e-12)
        #expect(Quantiles.linear([3], 0.95) == 3)
        // Unsorted input with NaN: NaN is left out, the mean is over the rest.
        let s = Quantiles.summary([4, .nan, 1, 3, 2])!
        #expect(s.n == 4 && s.mean == 2.5)
        #expect(s.quantiles == [1.15, 1.75, 2.5, 3.25, 3.85].enumerated().map { k, v in
            // h = 3 q over 1, 2, 3, 4: independently, 1 + 3 q.
            abs(s.quantiles[k] - v) < 1e-12 ? s.quantiles[k] : v })
        #expect(Quantiles.summary([.nan]) == nil)
    }

    /// quantiles.csv at the last saved time against the summary's final values, quantile by quantile.
    @Test func quantilesFileAgreesWithTheSummary() throws {
        let dir = StudyTest.folder()
        let r = try StudyTest.ensemble(["--preset", "two-by-two", "--steps", "100", "--every", "25", "--members", "17"], output: dir)
        #expect(r.status == 0)
        let s = try CSVTable(path: dir + "/summary.csv"), q = try CSVTable(path: dir + "/quantiles.csv")
        #expect(q.header == ["point", "time", "quantity", "q05", "q25", "q50", "q75", "q95", "mean", "n"])
        // Saved times 0, 25, ..., 100 steps at dt = 0.05; quantities energy, effective and numerical rank, sigmas.
        #expect(Set(q.column("time")) == ["0", "1.25", "2.5", "3.75", "5"])
        for name in ["energy", "effective_rank", "sigma_1", "sigma_2"] {
            let values = s.column(name).map { Double($0)! }.sorted()
            let row = q.rows.first { $0[1] == "5" && $0[2] == name }!
            for (k, level) in [0.05, 0.25, 0.5, 0.75, 0.95].enumerated() {
                let h = 16 * level, lo = Int(h), frac = h - Double(lo)
                let expected = values[lo] + frac * (values[min(lo + 1, 16)] - values[lo])
                #expect(abs(Double(row[3 + k])! - expected) <= 1e-14 * max(1, abs(expected)), "\(name) q\(level)")
            }
            #expect(row[9] == "17")
        }
    }
}
