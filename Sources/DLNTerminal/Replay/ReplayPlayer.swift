/// Where a replay is in its rows and how fast it moves: a pure value, so seeking, stepping and
/// speed are tested without a terminal or a file. `position` is the row shown (0-based).
public struct ReplayPlayer: Equatable, Sendable {
    /// Rows per second, slowest first (`<` and `>` move along it).
    public static let speeds: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
    public static let defaultSpeedIndex = 5

    public private(set) var count: Int
    public private(set) var position = 0
    public var paused = false
    public private(set) var speedIndex = ReplayPlayer.defaultSpeedIndex
    /// Rows owed by the time passed but not yet shown (a fraction of a row carries over).
    private var credit = 0.0

    public init(count: Int) { self.count = max(0, count) }

    public var rowsPerSecond: Double { Self.speeds[speedIndex] }
    public var atEnd: Bool { position >= count - 1 }
    var last: Int { max(0, count - 1) }

    /// Time passes: the position moves by the rows that time is worth, stopping at the last row.
    public mutating func advance(seconds: Double) {
        guard !paused, seconds > 0, count > 0 else { return }
        if atEnd { credit = 0; return }
        credit += seconds * rowsPerSecond
        let rows = Int(credit.rounded(.down))
        guard rows > 0 else { return }
        credit -= Double(rows)
        position = min(last, position + rows)
    }

    /// More rows arrived (`--follow`); the position stays where it was.
    public mutating func grow(to n: Int) { count = max(count, n) }

    /// `.`: one row on, and paused (as one step pauses the live run).
    public mutating func step() {
        paused = true
        position = min(last, position + 1)
    }

    /// `[` / `]`: a tenth of the run back (negative) or forward, at least one row.
    public mutating func seek(tenths: Int) {
        let jump = max(1, count / 10) * tenths
        position = max(0, min(last, position + jump))
        credit = 0
    }

    public mutating func home() { position = 0; credit = 0 }
    public mutating func end() { position = last; credit = 0 }
    public mutating func slower() { speedIndex = max(0, speedIndex - 1) }
    public mutating func faster() { speedIndex = min(Self.speeds.count - 1, speedIndex + 1) }
}
