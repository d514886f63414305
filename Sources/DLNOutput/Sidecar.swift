import DLNEngine

/// The JSON record beside a row file: enough to rerun what the rows describe (`dlntui run --from`).
/// `start` holds every parameter the run started from (after preset and flags), `edits` every live
/// edit, forced change, rollback and refused step in the order they happened, `inputs` the data
/// files read with the SHA-256 of their bytes; `parameters` are those in force at the end.
public enum Sidecar {
    /// 0.3.0: the sidecar gained `start`, `inputs`, numbers as JSON numbers, N = inf as "inf", the
    /// time scale, and a chronological edit log; rows are unchanged from 0.2.0.
    /// 0.2.0: the noise is drawn by the ziggurat, so a noisy run's rows for a given seed differ
    /// from 0.1.0's (same law); problems and starts are unchanged.
    public static let version = "0.3.0"

    /// `extra`: further top-level keys with their values already encoded as JSON.
    public static func json(start: Parameters, parameters p: Parameters, problem: Problem, edits: [LiveEdit],
                            inputs: [InputFile], extra: [(String, String)] = []) -> String {
        var top: [(String, String)] = [
            ("program", JSON.string("dlntui")),
            ("version", JSON.string(version)),
            // The kernel OpenBLAS ran with: rows are bit-identical only for the same kernel.
            ("blas_kernel", JSON.string(BLAS.kernelName)),
            ("start", JSON.object(fields(start), indent: "  ")),
            ("parameters", JSON.object(fields(p), indent: "  ")),
            ("seed", "\(start.seed)"),
            ("problem", JSON.object([
                ("origin", JSON.string(SidecarColumns.origin(p, problem: problem))),
                ("d", "\(problem.size)"),
                ("scale", JSON.number(problem.scale)),
                ("ground_truth", p.flow == .dyson ? "null" : JSON.string(problem.groundTruthNote ?? "the clean target")),
            ], indent: "  ")),
            ("columns", JSON.object(SidecarColumns.columns(p, problem: problem), indent: "  ")),
            ("inputs", "[" + inputs.map(input).joined(separator: ", ") + "]"),
            ("entropy_constant", JSON.string(SidecarColumns.entropyConstant(p))),
            ("edits", "[" + edits.map(edit).joined(separator: ",\n    ") + "]"),
        ]
        top += extra
        return JSON.object(top) + "\n"
    }

    /// Every parameter, as `Parameters.init(sidecar:)` reads it back.
    static func fields(_ p: Parameters) -> [(String, String)] {
        func optional(_ x: String?) -> String { x.map(JSON.string) ?? "null" }
        return [
            ("preset", optional(p.preset)),
            ("energy", JSON.string(p.energy.rawValue)),
            ("flow", JSON.string(p.flow.rawValue)),
            ("d", "\(p.size)"),
            ("N", p.isInfiniteDepth ? JSON.string("inf") : "\(p.depth)"),
            ("time_scale", JSON.string(p.effectiveTimeScale.rawValue)),
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
            // A study member's start and noise come from a seed mixed from (seed, member).
            ("member", p.member.map { "\($0)" } ?? "null"),
            ("integrator", JSON.string(p.integrator.rawValue)),
            ("rtol", JSON.number(p.rtol)),
            ("atol", JSON.number(p.atol)),
            ("lift", JSON.string(p.lift.rawValue)),
            // What `lift` made of the run at these parameters (the riemannian flow in balanced factors, or W).
            ("stepped", JSON.string(p.steppedText)),
            ("until_time", p.untilTime.map(JSON.number) ?? "null"),
            ("every_time", p.everyTime.map(JSON.number) ?? "null"),
            ("target", optional(p.targetPath)),
            ("mask", optional(p.maskPath)),
            ("initial", optional(p.initialPath)),
        ]
    }

    static func value(_ v: EditValue) -> String {
        switch v {
        case .number(let x): return JSON.number(x)
        case .integer(let n): return "\(n)"
        case .text(let t): return JSON.string(t)
        }
    }

    static func edit(_ e: LiveEdit) -> String {
        var s = "{\"step\": \(e.step), \"parameter\": \(JSON.string(e.parameter)), \"value\": \(value(e.value))"
        if let cause = e.cause { s += ", \"cause\": \(JSON.string(cause))" }
        return s + "}"
    }

    static func input(_ f: InputFile) -> String {
        // The path as typed, and resolved: `run --from` elsewhere still finds the file.
        "{\"role\": \(JSON.string(f.role)), \"path\": \(JSON.string(f.path)), \"absolute_path\": \(JSON.string(OutputClashes.resolved(f.path))), \"sha256\": \(f.sha256.map(JSON.string) ?? "null")}"
    }
}
