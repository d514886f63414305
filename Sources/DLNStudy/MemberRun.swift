import DLNEngine
import DLNOutput
import Foundation

/// What a finished member leaves: one summary row's values and its values at the saved times.
public struct MemberResult: Sendable {
    /// Global member number: point * M + member.
    public var index: Int
    public var status: MemberStatus
    public var steps: Int
    public var time: Double
    /// The row of `dlntui run` at the member's last step (without the newline); empty if its
    /// observables could not be formed.
    public var lastRow: String
    /// The final end-to-end W, row by row (d <= 8 only; empty otherwise).
    public var w: [Double]
    /// The first saved time at which the numerical rank reached r = 1 ... d; nil if never.
    public var rankTimes: [Double?]
    public var wallSeconds: Double
    /// Saved time k, quantity q at k * Q + q (`RowContract.quantities`); NaN where the member has no
    /// value (after a failure). A member stopped early keeps its last values.
    public var trace: [Double]
    /// The step-doubling watch's warning (a fixed step too large for the flow here), watched on the
    /// first `MemberStepper.watched` members of each point only.
    public var warning: String? = nil
}

/// Runs one member on the calling thread: the schedule of `dlntui run` (a row at step 0, every
/// `every` steps, the last step, the step where `--until-energy` is met), so its rows and final W
/// are those of `dlntui run --seed S --member i` bit for bit.
enum MemberRun {
    static let maxMatrixSize = 8

    /// nil when `stop()` became true before the member finished (its work is dropped).
    static func run(_ study: Study, member g: Int, rows: ((String) -> Void)? = nil,
                    stop: () -> Bool) -> MemberResult? {
        let start = Monotonic.now()
        let member = MemberStepper(study, member: g, rows: rows)
        while !member.finished {
            if stop() { return nil }
            member.advance(toStep: (member.simulation?.stepCount ?? 0) + 64)
        }
        var result = member.result
        result.wallSeconds = Monotonic.now() - start
        return result
    }
}
