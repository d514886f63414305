import DLNEngine
import DLNStudy

/// The honest warning of a fixed step, live: the first members of each configuration watch their
/// step as `dlntui ensemble` does (`MemberStepper.watched`), and the first warning among them reaches
/// the message row once (again after a restart, whose members watch afresh).
extension EnsembleWorker {
    /// The first watched member's warning, named by member (and configuration when compared).
    func stepWarning() -> String? {
        let labels = labels
        for (i, e) in ensembles.enumerated() {
            for s in e.steppers.prefix(MemberStepper.watched) {
                guard let w = s.result.warning else { continue }
                let whose = labels.isEmpty ? "" : labels[i] + ", "
                return "\(whose)member \(s.index % e.members): " + w
            }
        }
        return nil
    }

    /// Says the first step warning once; called after each round. A notice said in the last 3 s
    /// (a restart's, an edit's) stays in front of it: the warning follows it on the message row
    /// rather than replacing what the key just did.
    func sayStepWarning() {
        guard !stepWarned, let w = stepWarning() else { return }
        stepWarned = true
        if let n = notice, !n.warning, Monotonic.now() - noticeTime < 3 {
            say(n.text + "; " + w, warning: true)
        } else {
            say(w, warning: true)
        }
    }
}
