import DLNEngine

/// The message line's text for an applied edit, made from what `Simulation.apply` reports it did
/// (never from what the key meant to do).
public enum EditMessage {
    public static func text(_ a: AppliedEdit, by command: Command) -> String {
        let p = a.before, q = a.after
        let how = [Command.halveBeta, .halveKappa].contains(command) ? " (halved)" : [Command.doubleBeta, .doubleKappa].contains(command) ? " (doubled)" : ""
        var text: String
        switch a.asked {
        case .beta:
            text = "beta = \(NumberText.compact(q.beta, digits: 4))" + how
        case .kappa:
            text = "kappa = \(NumberText.compact(q.kappa, digits: 4))" + how
                + (q.flow == .langevin || q.flow == .rleUpstairs ? "" : "; kappa acts on the langevin and rle-upstairs flows")
        case .dt:
            text = "dt = \(NumberText.compact(q.dt, digits: 4))"
        case .rtol:
            text = "rtol = \(NumberText.compact(q.rtol, digits: 4))" + (q.rtol < p.rtol ? " (halved)" : " (doubled)")
        case .atol:
            text = "atol = \(NumberText.compact(q.atol, digits: 4))"
        case .integrator:
            text = "integrator: \(q.integrator.rawValue)" + (q.integrator.isAdaptive
                ? " (rtol \(NumberText.compact(q.rtol)), atol \(NumberText.compact(q.atol)); - / + change rtol)" : " at dt = \(NumberText.compact(q.dt, digits: 4))")
                + (q.stepsBalancedFactors == p.stepsBalancedFactors ? ""
                    : q.stepsBalancedFactors ? "; riemannian stepped in balanced factors" : "; riemannian stepped as W")
        case .depth:
            text = "N = \(q.depthText), W kept" + (q.flow.isUpstairs || q.stepsBalancedFactors ? " (refactored into balanced factors)" : "")
                + (p.stepsBalancedFactors && !q.stepsBalancedFactors ? "; stepped as W (N = inf has no factors)" : "")
        case .timeScale:
            text = q.timeScale == .depth ? "time depth-normalised: the generator is divided by N = \(q.depthText)"
                : "time plain: the generator of the seed, not divided by N"
        case .flow:
            text = "flow: \(q.flow.rawValue)"
            var changes: [String] = []
            if q.depth != p.depth {
                let why = q.flow == .buresWasserstein ? " (the N = 2 flow)"
                    : p.isInfiniteDepth && q.flow.needsFiniteDepth ? " (a factor flow needs a finite N)" : " (back to yours)"
                changes.append("N \(p.depthText) -> \(q.depthText)" + why)
            }
            if let note = a.wNote { changes.append(note + " (||dW||_F \(NumberText.compact(a.wChange, digits: 3)))") }
            if q.timeScale != p.timeScale { changes.append("time \(q.timeScale.rawValue)") }
            let keptW = a.wNote == nil
            let keptN = q.depth == p.depth
            let kept = keptW && keptN ? ", W and N kept" : keptW ? ", W kept" : keptN ? ", N kept" : ""
            text += kept + (changes.isEmpty ? "" : "; " + changes.joined(separator: ", "))
            let forcedN = q.depth != p.depth && (q.flow == .buresWasserstein || (p.isInfiniteDepth && q.flow.needsFiniteDepth))
            let replacedW = a.wNote.map { !$0.hasPrefix("restored") } ?? false
            if forcedN || replacedW { text += "; the next f restores what it can" }
        }
        return text
    }
}
