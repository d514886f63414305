import DLNFigures
import Foundation
@testable import DLNTerminal
import Testing

/// Snapshot `s` writes the dashboard's charts as SVG beside the CSV, sidecar and screen text: the
/// figure `dlntui plot` makes of the snapshot's own rows, with the dashboard's singular-value axis.
@Suite struct SnapshotFigureTests {
    @Test func theSnapshotWritesTheChartsAsSVG() throws {
        let frame = try offlineFrame(steps: 200)
        let folder = NSTemporaryDirectory() + "dlntui-snapshot-svg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let paths = try SnapshotWriter.save(frame, screen: "screen", folder: folder, date: date)
        #expect(paths.count == 4 && paths[3].hasSuffix(".svg") && paths[3].hasPrefix(paths[0].dropLast(4)))
        let svg = try String(contentsOfFile: paths[3], encoding: .utf8)
        // The same bytes as `dlntui plot`'s figure of the snapshot's CSV and sidecar.
        let table = try RowTable.read(path: paths[0])
        let sidecar = try SidecarInfo.read(path: paths[1])
        let plot = RunFigure.svg(table: table, sidecar: sidecar, charts: RunFigure.charts(nil, table: table), scale: nil,
                                 widthMillimetres: 85, title: nil)
        #expect(svg == plot)
        #expect(svg.contains("σ_k (log)") && svg.contains("energy E(t)"))
        // With the dashboard's axis linear (`l`), the figure's singular values are linear too.
        let linear = try SnapshotWriter.save(frame, screen: "screen", folder: folder, date: date.addingTimeInterval(1), logSigma: false)
        let text = try String(contentsOfFile: linear[3], encoding: .utf8)
        #expect(!text.contains("σ_k (log)") && text.contains(">σ_k<"))
    }
}
