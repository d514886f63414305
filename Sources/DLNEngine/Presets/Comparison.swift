import Foundation

/// A bad `--compare` configuration (or a preset's): what was wrong, in the user's words.
public struct ComparisonError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Side by side runs: 2 to 4 configurations of one problem and one start (the same seed), each
/// written 'key=value[,key=value]' with the run flags' names without dashes ('N=2',
/// 'beta=10,kappa=0.5'). Only keys that leave the problem and the start alone are accepted, plus
/// `energy` (the landscape preset sets a bounded energy beside an unbounded one); a key's value
/// means what the flag's does (dt without integrator: euler at that step, as `--dt` alone).
public enum Comparison {
    public struct Setting: Equatable, Sendable {
        public var key: String
        public var value: String
    }

    /// The keys, in the order a label names them.
    public static let keys = ["energy", "flow", "N", "beta", "kappa", "integrator", "dt", "rtol", "atol", "time-scale"]
    public static let maxRuns = 4

    /// 'N=2,beta=10' as settings, in the order written; a key given twice, an unknown key or a
    /// piece without '=' is refused.
    public static func settings(_ spec: String) throws(ComparisonError) -> [Setting] {
        let pieces = spec.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !(pieces.count == 1 && pieces[0].isEmpty) else {
            throw ComparisonError("empty configuration '\(spec)' for --compare: expected key=value[,key=value] with keys \(keys.joined(separator: ", "))")
        }
        var out: [Setting] = []
        for piece in pieces {
            let kv = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw ComparisonError("invalid configuration '\(spec)' for --compare: '\(piece)' is not key=value (keys: \(keys.joined(separator: ", ")))")
            }
            let key = canonical(kv[0])
            guard keys.contains(key) else {
                throw ComparisonError("unknown key '\(kv[0])' in configuration '\(spec)' for --compare: expected one of \(keys.joined(separator: ", ")) (the problem and the start are shared, so d, seed, init, observed ... cannot differ)")
            }
            guard !out.contains(where: { $0.key == key }) else {
                throw ComparisonError("key '\(key)' given twice in configuration '\(spec)' for --compare")
            }
            out.append(Setting(key: key, value: kv[1]))
        }
        return out
    }

    /// The flag's short name -N is the key N; "depth" is accepted for it too.
    static func canonical(_ key: String) -> String {
        let k = key.hasPrefix("--") ? String(key.dropFirst(2)) : key.hasPrefix("-") ? String(key.dropFirst()) : key
        if k == "n" || k == "depth" { return "N" }
        return k
    }

    /// `base` with the settings written into it and checked (`Parameters.validate`).
    public static func apply(_ settings: [Setting], to base: Parameters, spec: String) throws(ComparisonError) -> Parameters {
        var p = base
        func bad(_ s: Setting, _ accepted: String) -> ComparisonError {
            ComparisonError("invalid value '\(s.value)' for \(s.key) in configuration '\(spec)' for --compare: expected \(accepted)")
        }
        func number(_ s: Setting, infinity: Bool = false) throws(ComparisonError) -> Double {
            if infinity && ["inf", "infinity"].contains(s.value.lowercased()) { return .infinity }
            guard let x = Double(s.value), x.isFinite else { throw bad(s, infinity ? "a number, or inf" : "a finite number") }
            return x
        }
        for s in settings {
            switch s.key {
            case "energy":
                guard let e = EnergyKind(rawValue: s.value) else { throw bad(s, "one of \(EnergyKind.names)") }
                p.energy = e
            case "flow":
                guard let f = FlowKind(rawValue: s.value) else { throw bad(s, "one of \(FlowKind.names)") }
                p.flow = f
            case "N":
                guard let n = Depth(s.value) else { throw bad(s, "an integer in 1...\(Parameters.maxDepth), or inf") }
                p.depth = n
            case "beta": p.beta = try number(s, infinity: true)
            case "kappa": p.kappa = try number(s)
            case "dt": p.dt = try number(s)
            case "rtol": p.rtol = try number(s)
            case "atol": p.atol = try number(s)
            case "integrator":
                guard let i = IntegratorKind(rawValue: s.value) else { throw bad(s, "one of \(IntegratorKind.names)") }
                p.integrator = i
            case "time-scale":
                guard let t = TimeScale(rawValue: s.value) else { throw bad(s, "plain or depth") }
                p.timeScale = t
            default: break
            }
        }
        let keys = Set(settings.map(\.key))
        // As the flags: --dt alone means euler at that step; a fixed-N flow brings its N.
        if keys.contains("dt") && !keys.contains("integrator") { p.integrator = .euler }
        // An integrator named is checked against the flow as --integrator is; a preset's dopri5 on
        // a flow the configuration made noisy steps euler (Euler-Maruyama), as with the flags.
        if keys.contains("integrator") { p.givenFlags.insert("--integrator") } else { p.useEulerForNoise() }
        if keys.contains("flow"), !keys.contains("N"), let fixed = p.flow.fixedDepth { p.depth = .finite(fixed) }
        do { try p.validate() } catch {
            throw ComparisonError("configuration '\(spec)' for --compare: \(error.description.replacingOccurrences(of: "for --", with: "for ").replacingOccurrences(of: "for -N", with: "for N"))")
        }
        return p
    }

    /// The runs of `--compare SPEC...` over the parameters of the other flags: 2 to 4.
    public static func configurations(_ specs: [String], base: Parameters) throws(ComparisonError) -> [Parameters] {
        guard specs.count >= 2 else {
            throw ComparisonError("--compare needs 2 to \(maxRuns) configurations (given \(specs.count)), e.g. --compare 'N=2' 'N=4'")
        }
        guard specs.count <= maxRuns else {
            throw ComparisonError("--compare takes at most \(maxRuns) configurations (given \(specs.count)): the charts draw one colour and dash each")
        }
        var out: [Parameters] = []
        for spec in specs { out.append(try apply(try settings(spec), to: base, spec: spec)) }
        // Two runs of the same parameters would draw one line twice under two labels: refused,
        // however the two were written ('N=2' and 'depth=2', or a key restating the flags').
        let resolved = out.map { p -> Parameters in
            var q = p
            q.givenFlags = []
            return q
        }
        for j in resolved.indices {
            if let i = resolved[..<j].firstIndex(of: resolved[j]) {
                throw ComparisonError("configurations '\(specs[i])' and '\(specs[j])' for --compare resolve to the same parameters: nothing would differ between the runs (give each a different value)")
            }
        }
        return out
    }

    /// A key's value in `p`, as a configuration writes it.
    public static func value(_ key: String, _ p: Parameters) -> String {
        switch key {
        case "energy": return p.energy.rawValue
        case "flow": return p.flow.rawValue
        case "N": return p.depthText
        case "beta": return text(p.beta)
        case "kappa": return text(p.kappa)
        case "integrator": return p.integrator.rawValue
        case "dt": return text(p.dt)
        case "rtol": return text(p.rtol)
        case "atol": return text(p.atol)
        case "time-scale": return p.effectiveTimeScale.rawValue
        default: return ""
        }
    }

    /// A value as a user types it and as it reads back: 0.5, 20, 1e6 (not 1000000), inf.
    static func text(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) >= 1e5 {
            let e = Int(log10(abs(x)).rounded(.down))
            let m = x / pow(10, Double(e))
            if m == m.rounded(), Double("\(Int(m))e\(e)") == x { return "\(Int(m))e\(e)" }
        }
        return NumberFormat.short(x)
    }

    /// The keys whose values are not the same in every run, in `keys` order (an adaptive
    /// integrator's dt is only its first step, so dt differs only between fixed steps).
    public static func differing(_ runs: [Parameters]) -> [String] {
        keys.filter { key in
            let values = runs.filter { key != "dt" || !$0.integrator.isAdaptive }.map { value(key, $0) }
            return Set(values).count > 1
        }
    }

    /// Keys whose values name themselves ('langevin', 'denoise', 'dopri5'): a label gives the value alone.
    static let named: Set<String> = ["energy", "flow", "integrator", "time-scale"]

    /// Each run named by what differs ('N=2', 'langevin', 'langevin,beta=10'); "run k" for runs
    /// that differ in nothing a key names.
    public static func labels(_ runs: [Parameters]) -> [String] {
        let keys = differing(runs)
        return runs.enumerated().map { i, p in
            keys.isEmpty ? "run \(i + 1)" : keys.map { named.contains($0) ? value($0, p) : "\($0)=\(value($0, p))" }.joined(separator: ",")
        }
    }

    /// The labels in at most about 3 characters where that still tells the runs apart ('rle' and
    /// 'lan', 'N=2' and 'N=4'), else the labels.
    public static func shortLabels(_ runs: [Parameters]) -> [String] {
        let long = labels(runs)
        let short = long.map { String($0.prefix(3)) }
        if Set(short).count == short.count { return short }
        let values = long.map { $0.split(separator: ",").map { String($0.split(separator: "=").last ?? "") }.joined(separator: ",") }
        return Set(values).count == values.count ? values : long
    }

    /// The settings that write each run's configuration over the others', as `--compare` takes them
    /// (every key that differs, with its key).
    public static func specs(_ runs: [Parameters]) -> [String] {
        let keys = differing(runs)
        return runs.map { p in keys.map { "\($0)=\(value($0, p))" }.joined(separator: ",") }
    }
}
