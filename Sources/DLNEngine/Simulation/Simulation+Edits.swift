/// Why an edit was not applied; the simulation is then exactly as it was.
public enum EditError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The value is out of range for the run (beta <= 0, N = 5 for bures-wasserstein, ...).
    case parameter(ParameterError)
    /// The new state could not be formed (a failed factorisation or eigendecomposition).
    case step(StepError)

    public var description: String {
        switch self {
        case .parameter(let e): return e.description
        case .step(let e): return e.description
        }
    }
}

/// Live edits: the one entry point (`apply`) that every key and every replayed log goes through.
extension Simulation {
    /// Applies `edit` to the running trajectory at the current step and logs it (with whatever it
    /// forced: N or W on a flow change, the time scale at N = inf). An edit to the value in force
    /// logs nothing. On a throw nothing has changed: parameters, flow, state and log are as before.
    @discardableResult
    public func apply(_ edit: Edit) throws(EditError) -> AppliedEdit {
        let before = parameters
        var q = edit.written(into: before)
        var forced: [LiveEdit] = []
        var wChange = 0.0
        var wNote: String? = nil
        switch edit {
        case .timeScale:
            // N = inf is always depth-normalised.
            q.timeScale = q.effectiveTimeScale
        case .depth(let n):
            // N = inf has no factors: the factor flows stop at the largest finite depth.
            q.depth = n.isInfinite && before.flow.needsFiniteDepth ? .finite(Parameters.maxDepth) : n
            if q.isInfiniteDepth { q.timeScale = .depth }
        case .flow(let kind):
            q.depth = Self.depth(for: kind, asked: requestedDepth)
            if q.isInfiniteDepth { q.timeScale = .depth }
        case .beta, .kappa, .dt, .integrator, .rtol, .atol:
            break
        }
        guard q != before else { return AppliedEdit(asked: edit, before: before, after: before, logged: [], wChange: 0, wNote: nil) }
        // Noise made by an edit of beta, kappa or the flow does not refuse the integrator in force:
        // Euler-Maruyama steps the flow while it is noisy (`steppingIntegrator`). Only asking for
        // another integrator on a noisy flow is refused.
        var checked = q
        if case .integrator = edit { checked.givenFlags.insert("--integrator") } else { checked.integrator = .euler }
        // --lift balanced falls back to W where it cannot apply (N = inf, a flow with an entropic force)
        // rather than refusing the edit that got there; it applies again when the run comes back.
        checked.givenFlags.remove("--lift")
        do { try checked.validate() } catch { throw .parameter(error) }

        let d = problem.size
        var w = Matrix.zeros(d)
        flow.endToEnd(state, into: &w)
        switch edit {
        case .dt:
            // Time runs on from here in multiples of the new dt.
            segmentTime = time
            segmentStep = stepCount
            parameters = q
        case .depth:
            // W kept: downstairs nothing moves; upstairs W is refactored into N balanced factors (5.16).
            // The riemannian flow in balanced factors is refactorised the same way, or goes back to W at N = inf.
            if let (next, newState) = try relifted(q, w: w) {
                flow = next
                state = newState
            } else if flow.stepsFactors {
                flow.knobs = q.knobs  // the factorisation reads the depth; put back if it fails
                do { state = try flow.state(for: w) } catch {
                    flow.knobs = before.knobs
                    throw .step(error)
                }
            }
            parameters = q
            requestedDepth = q.depth
        case .flow(let kind):
            // The W the user had, if a flow change replaced it and no step has been taken since.
            let restoring = replacedW.map { $0.step == stepCount } ?? false
            let kept = restoring ? replacedW!.w : w
            let next = kind.make(energy: energy, knobs: q.knobs, lifted: q.stepsBalancedFactors)
            let newState: FlowState
            do { newState = try next.state(for: kept) } catch { throw .step(error) }
            var newW = Matrix.zeros(d)
            next.endToEnd(newState, into: &newW)
            wChange = (newW - w).frobeniusNorm
            flow = next
            state = newState
            parameters = q
            // Rounding in a refactorisation is not a change of W.
            let tolerance = 1e-9 * max(1, w.frobeniusNorm)
            // Restored only if the new flow holds the remembered W as it was (dyson takes its
            // symmetric part): otherwise it says so and keeps the memory for the next change.
            let restored = restoring && (newW - kept).frobeniusNorm <= tolerance
            if wChange > tolerance {
                if restored {
                    wNote = "restored to the W before \(replacedW!.by.rawValue)"
                    replacedW = nil
                } else if restoring {
                    wNote = "the W before \(replacedW!.by.rawValue) not restored exactly: " + Self.wReplacement(kind)
                        + "; a flow change before the next step can restore it"
                    replacedW = (stepCount, replacedW!.w, replacedW!.by)
                } else {
                    wNote = Self.wReplacement(kind)
                    replacedW = (stepCount, w, kind)
                }
                forced.append(LiveEdit(step: stepCount, parameter: "W", value: .text(wNote!), cause: "flow"))
            } else {
                wChange = 0
                if restored { replacedW = nil }
            }
        case .integrator(let kind):
            // A fresh scheme from here (dopri5 starts at dt); time runs on from the current t.
            // Under --lift auto the riemannian flow is stepped in balanced factors by heun, rk4 and
            // dopri5 and as W by euler: the state changes coordinates with the integrator (W kept).
            let lift = try relifted(q, w: w)
            segmentTime = time
            segmentStep = stepCount
            if let (next, newState) = lift {
                flow = next
                state = newState
            }
            parameters = q
            integrator = kind.make(tolerances: q.tolerances, initialStep: q.dt)
        case .rtol, .atol:
            // dopri5 keeps its proposed step and its counts; only the acceptance test changes.
            parameters = q
            (integrator as? DormandPrince5)?.tolerances = q.tolerances
        case .beta, .kappa, .timeScale:
            parameters = q
        }
        var logged = [LiveEdit(step: stepCount, edit: Self.effective(edit, q))]
        if case .flow = edit, q.depth != before.depth {
            logged.append(LiveEdit(step: stepCount, edit: .depth(q.depth), cause: "flow"))
        }
        if q.timeScale != before.timeScale, edit.parameter != "time-scale" {
            logged.append(LiveEdit(step: stepCount, edit: .timeScale(q.timeScale), cause: edit.parameter))
        }
        logged += forced
        edits += logged
        return AppliedEdit(asked: edit, before: before, after: q, logged: logged, wChange: wChange, wNote: wNote)
    }

    /// The riemannian flow in the coordinates q asks for (`Parameters.stepsBalancedFactors`) with its
    /// state for W, when they are not those in force; nil otherwise.
    func relifted(_ q: Parameters, w: Matrix) throws(EditError) -> (any Flow, FlowState)? {
        guard q.flow == flow.kind, q.stepsBalancedFactors != (flow is BalancedRiemannianFlow) else { return nil }
        let next = q.flow.make(energy: energy, knobs: q.knobs, lifted: q.stepsBalancedFactors)
        do { return (next, try next.state(for: w)) } catch { throw .step(error) }
    }

    /// A step that was refused: logged because its noise was drawn although the state did not
    /// move, so a replay must draw it too.
    public func logRefusedStep(_ error: StepError) {
        edits.append(LiveEdit(step: stepCount, parameter: LiveEdit.refused, value: .text(error.description)))
    }

    /// Replays a logged refusal: the step is attempted as it was (drawing its noise) and, if this
    /// time it goes through, undone. Returns whether it was refused again; logged either way.
    @discardableResult
    public func reenactRefusedStep() -> Bool {
        let c = checkpoint()
        let log = edits
        do {
            try advance()
        } catch {
            logRefusedStep(error)
            return true
        }
        _ = restore(c)
        edits = log
        edits.append(LiveEdit(step: stepCount, parameter: LiveEdit.refused, value: .text("not refused on replay")))
        return false
    }

    /// The N a flow runs at, given the N last asked for: its fixed N if it has one
    /// (`FlowKind.fixedDepth`), a finite N for the factor flows.
    static func depth(for kind: FlowKind, asked: Depth) -> Depth {
        if let fixed = kind.fixedDepth { return .finite(fixed) }
        if asked.isInfinite && kind.needsFiniteDepth { return .finite(Parameters.maxDepth) }
        return asked
    }

    /// The edit as it took effect (N = inf asked of a factor flow is N = 1000).
    static func effective(_ edit: Edit, _ q: Parameters) -> Edit {
        switch edit {
        case .depth: return .depth(q.depth)
        case .timeScale: return .timeScale(q.timeScale)
        default: return edit
        }
    }

    /// What a flow does to a W it cannot hold.
    static func wReplacement(_ kind: FlowKind) -> String {
        switch kind {
        case .buresWasserstein: return "W replaced by the positive semidefinite part of its symmetric part (W = W_1^T W_1)"
        case .dyson: return "W replaced by its symmetric part (M starts real symmetric)"
        default: return "W changed by the \(kind.rawValue) flow's start"
        }
    }
}
