import DLNEngine

extension Dashboard {
    /// The panel's speed: steps per second asked for and measured, or under an adaptive method the
    /// simulated time per second ("t/s") asked for and measured (its steps vary in size); then
    /// shorter forms for a narrow column (the measured value without the unit the asked one states).
    static func speedForms(_ f: WorkerFrame) -> [String] {
        let asked = f.speed.map { NumberText.compact($0) + (f.speedInTime ? " t/s" : "/s") } ?? "unlimited"
        let number = f.speedInTime ? NumberText.compact(f.timePerSecond, digits: 3) : NumberText.compact(f.snapshot.stepsPerSecond.rounded())
        let now = f.speedInTime ? number + " t/s" : number
        return [asked + ", now " + now, asked + ", now " + number, asked + " now " + number, asked]
    }
}
