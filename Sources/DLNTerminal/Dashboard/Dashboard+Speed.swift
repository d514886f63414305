import DLNEngine

extension Dashboard {
    /// The panel's speed: steps per second asked for and measured, or under an adaptive method the
    /// simulated time per second ("t/s") asked for and measured (its steps vary in size).
    static func speedText(_ f: WorkerFrame) -> String {
        let asked = f.speed.map { NumberText.compact($0) + (f.speedInTime ? " t/s" : "/s") } ?? "unlimited"
        let now = f.speedInTime ? NumberText.compact(f.timePerSecond, digits: 3) + " t/s" : NumberText.compact(f.snapshot.stepsPerSecond.rounded())
        return asked + ", now " + now
    }
}
