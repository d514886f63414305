import DLNEngine

/// What the sidecar says each row column holds, per flow: the dyson flow keeps the column names
/// (scripts index them) but its `sigma_k` are signed eigenvalues and it has no target.
enum SidecarColumns {
    static func columns(_ p: Parameters, problem: Problem) -> [(String, String)] {
        let d = problem.size
        if p.flow == .dyson {
            return [
                ("step", "steps taken"), ("time", "integration time t"),
                ("energy", "E = |x|^2 / 2, the eigenvalue loss"),
                ("entropy", "S = 2 log van(x) = 2 sum_{i<j} log |x_i - x_j| (11.5), -inf at a collision"),
                ("free_energy", "E - S / 2"),
                ("effective_rank", "of |x_1|, ..., |x_d|"), ("numerical_rank", "#{k : |x_k| > rank_tol max |x|}"),
                ("stable_rank", "of |x_1|, ..., |x_d|"), ("balance_defect", "empty: no factors"),
                ("sigma_1...sigma_\(d)", "the signed eigenvalues x_1 >= ... >= x_d of the Hermitian lift M (11.4), not singular values"),
                ("error", "empty (CSV) / null (JSONL): no target"), ("error_unobserved", "empty / null: no target"),
            ].map { ($0.0, JSON.string($0.1)) }
        }
        let truth = problem.groundTruthNote ?? "the clean target A"
        let hasTruth = GroundTruth(problem: problem) != nil
        return [
            ("step", "steps taken"), ("time", "integration time t"),
            ("energy", "E(W) of the \(p.energy.rawValue) energy"), ("entropy", "S(W), additive constant excluded"),
            ("free_energy", "F = E - S / beta"),
            ("effective_rank", "exp of the entropy of sigma / sum sigma"), ("numerical_rank", "#{k : sigma_k > rank_tol x the target's spectral norm}"),
            ("stable_rank", "||W||_F^2 / ||W||_2^2"), ("balance_defect", p.flow.isUpstairs ? "sum_p ||G_p||_F (4.2)"
                : p.stepsBalancedFactors ? "sum_p ||G_p||_F (4.2) of the balanced factors the riemannian flow is stepped in (zero but for rounding and the integrator's error)"
                : "empty: downstairs, no factors"),
            ("sigma_1...sigma_\(d)", "singular values of W, descending"),
            ("error", hasTruth ? "||W - A||_F / ||A||_F, A = \(truth)" : "empty / null: no ground truth"),
            ("error_unobserved", problem.kind == .completion && hasTruth ? "||P(W - A)||_F / ||P A||_F over the unobserved entries" : "empty / null: every entry seen or no ground truth"),
        ].map { ($0.0, JSON.string($0.1)) }
    }

    /// `problem.origin`: the dyson flow has no problem, whatever placeholder built one.
    static func origin(_ p: Parameters, problem: Problem) -> String {
        p.flow == .dyson ? "none: the dyson flow evolves the eigenvalues of the Hermitian lift (11.4) under |x|^2/2, with no target or observation" : problem.origin
    }

    static func entropyConstant(_ p: Parameters) -> String {
        p.flow == .dyson ? "S = 2 log van(x) (11.5): the additive constant C_d excluded"
            : "excluded: S omits the additive constant (N-1) log c_d"
    }
}
