import DLNEngine
import Foundation
import Testing
@testable import DLNTerminal

@Suite struct DashboardTests {
    @Test func printsA120x40Frame() throws {
        let frame = try offlineFrame(steps: 1500)
        let b = Dashboard.render(input(frame), width: 120, height: 40)
        try b.text.write(toFile: "/tmp/tui-frame.txt", atomically: true, encoding: .utf8)
        let b2 = Dashboard.render(input(frame, glyphs: .ascii, colorful: false), width: 80, height: 24)
        print(b2.text)
        let f2 = try offlineFrame(preset: "two-by-two", steps: 500)
        try Dashboard.render(input(f2), width: 100, height: 30).text.write(toFile: "/tmp/tui-frame2.txt", atomically: true, encoding: .utf8)
    }
}
