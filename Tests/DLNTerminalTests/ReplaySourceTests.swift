import DLNEngine
import DLNFigures
import Foundation
import Testing
@testable import DLNTerminal

/// The replay's player: speed, pause, step, seek, Home/End, counted in rows by hand.
@Suite struct ReplayPlayerTests {
    @Test func advancesByTheRowsTheTimeIsWorth() {
        var p = ReplayPlayer(count: 200)
        #expect(p.rowsPerSecond == 50)
        p.advance(seconds: 1)
        #expect(p.position == 50)
        // Fractions of a row carry over: a hundred hundredths of a second are one second.
        for _ in 0..<100 { p.advance(seconds: 0.01) }
        #expect(p.position == 100)
        p.faster()
        #expect(p.rowsPerSecond == 100)
        p.advance(seconds: 0.5)
        #expect(p.position == 150)
        p.slower(); p.slower()
        #expect(p.rowsPerSecond == 20)
        p.advance(seconds: 100)
        #expect(p.position == 199 && p.atEnd)
    }

    @Test func pauseHoldsAndStepMovesOneRow() {
        var p = ReplayPlayer(count: 10)
        p.paused = true
        p.advance(seconds: 10)
        #expect(p.position == 0)
        p.step()
        #expect(p.position == 1 && p.paused)
        for _ in 0..<20 { p.step() }
        #expect(p.position == 9)
    }

    @Test func seeksByATenthAndJumpsToTheEnds() {
        var p = ReplayPlayer(count: 200)
        p.seek(tenths: 1)
        #expect(p.position == 20)
        p.seek(tenths: 1)
        #expect(p.position == 40)
        p.seek(tenths: -1)
        #expect(p.position == 20)
        p.seek(tenths: -3)
        #expect(p.position == 0)
        p.end()
        #expect(p.position == 199)
        p.seek(tenths: 1)
        #expect(p.position == 199)
        p.home()
        #expect(p.position == 0)
        // Fewer than ten rows: a seek is still one row.
        var q = ReplayPlayer(count: 5)
        q.seek(tenths: 1)
        #expect(q.position == 1)
    }

    @Test func growingKeepsThePosition() {
        var p = ReplayPlayer(count: 3)
        p.end()
        p.grow(to: 8)
        #expect(p.position == 2 && p.count == 8 && !p.atEnd)
        p.advance(seconds: 1)
        #expect(p.position == 7)
    }
}

/// The recorded run as a frame source: complete rows only, follow, frames from the rows.
@Suite struct RecordedRunTests {
    static let header = "step,time,energy,entropy,free_energy,effective_rank,numerical_rank,stable_rank,balance_defect,sigma_1,sigma_2\n"

    /// Row i: step 10 i, time i / 10, sigma (2 - i/10, 1/(i+1)).
    static func row(_ i: Int) -> String {
        "\(10 * i),\(Double(i) / 10),\(1.0 / Double(i + 1)),-3,\(1.0 / Double(i + 1)),1.5,2,1.2,,\(2 - Double(i) / 10),\(1 / Double(i + 1))\n"
    }

    func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "dlntui-replay-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aTruncatedFileReplaysItsCompleteRows() throws {
        let path = try file(Self.header + (0..<3).map(Self.row).joined() + "30,0.3,0.25")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try RecordedRun(path: path)
        #expect(run.rows.map(\.step) == [0, 10, 20])
        #expect(run.rows[2].sigma == [1.8, 1.0 / 3])
        #expect(run.rows[0].balanceDefect == nil)
        #expect(run.player.count == 3)
    }

    @Test func followReadsRowsAppendedToTheFile() throws {
        let path = try file(Self.header + Self.row(0) + "10,0.1,")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try RecordedRun(path: path)
        #expect(run.rows.count == 1)
        #expect(try run.reload() == 0)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        // The rest of the cut line, then two rows and half of another.
        let rest = String(Self.row(1).dropFirst("10,0.1,".count))
        handle.write(Data((rest + Self.row(2) + Self.row(3) + "40,0.4").utf8))
        try handle.close()
        #expect(try run.reload() == 3)
        #expect(run.rows.map(\.step) == [0, 10, 20, 30])
        #expect(run.player.count == 4 && run.player.position == 0)
    }

    @Test func framesShowTheRowAtThePosition() throws {
        let path = try file(Self.header + (0..<50).map(Self.row).joined())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try RecordedRun(path: path)
        let first = try #require(run.latestFrame())
        #expect(first.recorded && first.snapshot.observation.step == 0)
        run.update { $0.seek(tenths: 2) }
        let later = try #require(run.latestFrame())
        #expect(later.generation != first.generation)
        #expect(later.snapshot.observation.step == 100 && later.snapshot.observation.time == 1.0)
        #expect(later.whole.map(\.step) == (0...10).map { 10 * $0 })
        #expect(later.series(recent: false).last?.step == 100)
        // The same position: the same generation (no redraw asked for).
        #expect(run.latestFrame()?.generation == later.generation)
    }

    @Test func followWaitsOnlyForAFileOfNoRowYet() throws {
        let header = try file(Self.header)
        let bad = try file("step,time,energy\n")
        let rows = try file(Self.header + Self.row(0))
        defer { for p in [header, bad, rows] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(ReplayApp.noRowYet(header))
        #expect(!ReplayApp.noRowYet(bad))
        #expect(!ReplayApp.noRowYet(rows))
    }

    @Test func notDlntuiRowsNamesLineAndColumn() throws {
        let path = try file("step,time,energy\n1,2,3\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try RecordedRun(path: path)
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains(":1:4")
        }
        let ragged = try file(Self.header + Self.row(0) + "10,0.1\n")
        defer { try? FileManager.default.removeItem(atPath: ragged) }
        #expect { _ = try RecordedRun(path: ragged) } throws: { "\($0)".contains(":3:") }
    }
}
