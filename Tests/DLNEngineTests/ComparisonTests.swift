import Testing
@testable import DLNEngine

/// `--compare`'s configurations: parsing, the values they write, the refusals and the labels.
@Suite struct ComparisonTests {
    /// The completion preset at its fixed step: under its dopri5 a configuration with finite beta
    /// steps euler (noise), and the labels would name the integrators too.
    static let base: Parameters = {
        var p = Preset.named("completion")!.parameters
        p.useFixedStep()
        return p
    }()

    @Test func configurationsWriteTheirKeysOverTheBase() throws {
        let runs = try Comparison.configurations(["N=2", "N=4,beta=10,kappa=0.5"], base: Self.base)
        #expect(runs.count == 2)
        #expect(runs[0].depth == 2 && runs[0].beta == Self.base.beta)
        #expect(runs[1].depth == 4 && runs[1].beta == 10 && runs[1].kappa == 0.5)
        // Everything else, the seed and problem among it, is the base's.
        #expect(runs.allSatisfy { $0.seed == Self.base.seed && $0.size == Self.base.size && $0.observed == Self.base.observed })
        #expect(Comparison.labels(runs) == ["N=2,beta=inf,kappa=0", "N=4,beta=10,kappa=0.5"])
        #expect(Comparison.labels(try Comparison.configurations(["N=2", "N=4"], base: Self.base)) == ["N=2", "N=4"])
    }

    @Test func everyKeyIsReadAsItsFlag() throws {
        var base = Self.base
        base.integrator = .rk4
        let p = try Comparison.apply(try Comparison.settings("flow=riemannian, N=inf, beta=inf, dt=0.01, time-scale=depth"), to: base, spec: "")
        #expect(p.flow == .riemannian && p.isInfiniteDepth && p.beta == .infinity && p.dt == 0.01)
        // dt without integrator is euler at that step, as --dt alone.
        #expect(p.integrator == .euler)
        let q = try Comparison.apply(try Comparison.settings("integrator=dopri5,rtol=1e-8,atol=1e-12,dt=0.1"), to: base, spec: "")
        #expect(q.integrator == .dopri5 && q.rtol == 1e-8 && q.atol == 1e-12 && q.dt == 0.1)
        // A fixed-N flow brings its N; -N and depth name the key N too.
        #expect(try Comparison.apply(try Comparison.settings("flow=bures-wasserstein"), to: base, spec: "").depth == 2)
        #expect(try Comparison.settings("-N=3")[0].key == "N")
        let e = try Comparison.apply(try Comparison.settings("energy=denoise"), to: Preset.named("two-by-two")!.parameters, spec: "")
        #expect(e.energy == .denoise && e.size == 2)
    }

    static func refusal(_ specs: [String], base: Parameters = base) -> String? {
        do { _ = try Comparison.configurations(specs, base: base); return nil } catch { return error.message }
    }

    @Test func badConfigurationsAreRefusedInWords() {
        let cases: [([String], String)] = [
            (["N=2"], "needs 2 to 4 configurations (given 1)"),
            (["N=1", "N=2", "N=3", "N=4", "N=5"], "at most 4 configurations (given 5)"),
            (["seed=3", "N=2"], "unknown key 'seed'"),
            (["d=4", "N=2"], "unknown key 'd'"),
            (["N=2", "N=two"], "invalid value 'two' for N in configuration 'N=two'"),
            (["N=2", "beta=-1"], "invalid value '-1' for beta"),
            (["N=2", "beta=nan"], "invalid value 'nan' for beta"),
            (["N=2", "flow=sideways"], "invalid value 'sideways' for flow"),
            (["N=2", "N"], "'N' is not key=value"),
            (["N=2", ""], "empty configuration"),
            (["N=2,N=3", "N=1"], "key 'N' given twice"),
            (["N=2", "N=2000"], "configuration 'N=2000' for --compare: invalid value '2000' for N"),
            (["N=2", "flow=dyson,integrator=rk4"], "configuration 'flow=dyson,integrator=rk4' for --compare: invalid value 'rk4' for integrator"),
            // Two configurations that resolve to the same parameters, however written.
            (["N=2", "N=2"], "configurations 'N=2' and 'N=2' for --compare resolve to the same parameters"),
            (["N=4", "N=2", "depth=2"], "configurations 'N=2' and 'depth=2' for --compare resolve to the same parameters"),
            (["N=2,beta=inf", "N=3", "N=2"], "configurations 'N=2,beta=inf' and 'N=2' for --compare resolve to the same parameters"),
            (["N=2", "N=2,integrator=euler"], "configurations 'N=2' and 'N=2,integrator=euler' for --compare resolve to the same parameters"),
        ]
        for (specs, want) in cases {
            let got = Self.refusal(specs)
            #expect(got?.contains(want) == true, "\(specs): \(got ?? "accepted")")
        }
    }

    @Test func labelsNameWhatDiffersOnly() throws {
        var a = Self.base, b = Self.base
        b.flow = .langevin
        #expect(Comparison.labels([a, b]) == ["upstairs", "langevin"])
        #expect(Comparison.shortLabels([a, b]) == ["ups", "lan"])
        #expect(Comparison.specs([a, b]) == ["flow=upstairs", "flow=langevin"])
        b = a
        #expect(Comparison.labels([a, b]) == ["run 1", "run 2"])
        // An adaptive method's dt is only its first step: not a difference.
        a.integrator = .dopri5; b.integrator = .dopri5; b.dt = 0.5
        #expect(Comparison.differing([a, b]).isEmpty)
        b.beta = 20; a.beta = 10
        #expect(Comparison.shortLabels([a, b]) == ["10", "20"])
    }

    @Test func comparisonPresetsApply() throws {
        for preset in Preset.all where !preset.compare.isEmpty {
            let runs = try Comparison.configurations(preset.compare, base: preset.parameters)
            #expect(Set(Comparison.labels(runs)).count == runs.count, "\(preset.name)")
        }
        #expect(Preset.named("depth")!.compare == ["N=1", "N=2", "N=3"])
        let landscape = try Comparison.configurations(Preset.named("landscape")!.compare, base: Preset.named("landscape")!.parameters)
        #expect(landscape.map(Landscape.unboundedBelow) == [true, false])
    }
}

extension ComparisonTests {
    @Test func valuesReadAsTyped() {
        for (x, want) in [(1e6, "1e6"), (0.5, "0.5"), (20.0, "20"), (2.5e7, "25000000"), (1e-3, "0.001"), (Double.infinity, "inf"), (3e100, "3e100")] {
            #expect(Comparison.text(x) == want, "\(x): \(Comparison.text(x))")
            #expect(x.isInfinite || Double(Comparison.text(x)) == x)
        }
    }
}
