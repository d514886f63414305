import DLNEngine

/// The JSON record beside a row file: version, every parameter in force, the seed, where the
/// problem came from and every live edit, so that any row file can be reproduced.
public enum Sidecar {
    /// 0.2.0: the noise is drawn by the ziggurat, so a noisy run's rows for a given seed differ
    /// from 0.1.0's (same law); problems and starts are unchanged.
    public static let version = "0.2.0"

    public static func json(parameters p: Parameters, problem: Problem, edits: [LiveEdit],
                            extra: [String: String] = [:]) -> String {
        func optional(_ x: String?) -> String { x.map(JSON.string) ?? "null" }
        let params: [(String, String)] = [
            ("preset", optional(p.preset)),
            ("energy", JSON.string(p.energy.rawValue)),
            ("flow", JSON.string(p.flow.rawValue)),
            ("d", "\(p.size)"),
            ("N", "\(p.depth)"),
            ("beta", JSON.number(p.beta)),
            ("kappa", JSON.number(p.kappa)),
            ("dt", JSON.number(p.dt)),
            ("steps", "\(p.steps)"),
            ("every", "\(p.every)"),
            ("until_energy", p.untilEnergy.map(JSON.number) ?? "null"),
            ("seed", "\(p.seed)"),
            ("init", JSON.string(p.initialization.rawValue)),
            ("init_scale", JSON.number(p.initScale)),
            ("observed", JSON.number(p.observed)),
            ("target_rank", "\(p.targetRank)"),
            ("noise", JSON.number(p.noise)),
            ("measurements", p.energy == .sensing ? "\(p.measurementCount)" : "null"),
            ("rank_tol", JSON.number(p.rankTol)),
            ("target", optional(p.targetPath)),
            ("mask", optional(p.maskPath)),
            ("initial", optional(p.initialPath)),
        ]
        let editList = edits.map { e in
            "{\"step\": \(e.step), \"parameter\": \(JSON.string(e.parameter)), \"value\": \(JSON.string(e.value))}"
        }
        var top: [(String, String)] = [
            ("program", JSON.string("dlntui")),
            ("version", JSON.string(version)),
            ("parameters", JSON.object(params, indent: "  ")),
            ("seed", "\(p.seed)"),
            ("problem", JSON.object([
                ("origin", JSON.string(problem.origin)),
                ("d", "\(problem.size)"),
                ("scale", JSON.number(problem.scale)),
            ], indent: "  ")),
            ("entropy_constant", JSON.string("excluded: S omits the additive constant (N-1) log c_d")),
            ("edits", "[" + editList.joined(separator: ", ") + "]"),
        ]
        for key in extra.keys.sorted() { top.append((key, JSON.string(extra[key]!))) }
        return JSON.object(top) + "\n"
    }
}
