/// What a replay cannot draw: rows hold the observables, not W nor the per-layer trace, so the
/// panels that need them keep their place and say so.
extension Dashboard {
    static let notRecorded = "not recorded"

    static func notRecordedPanels(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, areas: [Rect]) {
        let flow = input.frame.snapshot.parameters.flow
        let d = input.frame.snapshot.observation.sigma.count
        var what = ["W"]
        if flow.isUpstairs { what.append("per-layer balance") }
        if d == 2 { what.append("(W12, W21)") }
        for (i, area) in areas.enumerated() {
            let inner = box(&buffer, input, s, titles: [[Span(i == 0 ? "W" : "(W12, W21)", s.title)]], area)
            guard !inner.isEmpty else { continue }
            let lines = i == 0 ? [notRecorded + ":", what.joined(separator: ", "), "(rows hold the observables)"] : [notRecorded]
            for (row, line) in lines.enumerated() where row < inner.height {
                buffer.put(line, inner.x + 1, inner.y + row, s.label, maxWidth: inner.width - 1)
            }
        }
    }
}
