import DLNEngine
import Foundation

/// The two-by-two problem as a picture (14.3): the point (W_12, W_21) and its trail against the
/// rank-one hyperbola W_12 W_21 = 1, on which the limit lands near (1, 1) or (-1, -1).
extension Dashboard {
    static func hyperbolaPanel(_ buffer: inout Buffer, _ input: DashboardInput, _ s: Styles, area: Rect) {
        let w = input.frame.snapshot.endToEnd
        let now = (w[0, 1], w[1, 0])
        let value = "(\(NumberText.compact(now.0)), \(NumberText.compact(now.1)))"
        let inner = box(&buffer, input, s, titles: [
            [Span("(W12, W21) ", s.title), Span(value, s.text), Span("  W12 W21 = 1", s.label)],
            [Span("(W12, W21) ", s.title), Span(value, s.text)],
            [Span(value, s.text)],
        ], area)
        guard inner.width >= 4, inner.height >= 2 else { return }
        let trail = input.frame.traceNow.compactMap(\.offDiagonal)
        let view = HyperbolaView(trail: trail.map { ($0.w12, $0.w21) }, glyphs: input.glyphs,
                                 axisStyle: s.border, curveStyle: s.label, trailStyle: Style(fg: input.theme.series(0)),
                                 markStyle: s.key, pointStyle: Style(fg: input.theme.color(.warningFg), attributes: .bold),
                                 labelStyle: s.label)
        view.render(into: &buffer, area: inner)
    }
}

/// A square window [-R, R]^2 of the (x, y) = (W_12, W_21) plane: axes, the hyperbola xy = 1, the
/// points (1, 1) and (-1, -1), a trail and its last point. Equal scales on both axes (a cell is
/// about twice as tall as wide), centred in the area.
public struct HyperbolaView {
    public var trail: [(Double, Double)]
    public var glyphs: Glyphs
    public var axisStyle: Style
    public var curveStyle: Style
    public var trailStyle: Style
    public var markStyle: Style
    public var pointStyle: Style
    public var labelStyle: Style
    /// The ensemble view's members, one dot each (drawn over the trail).
    public var cloud: [(Double, Double)] = []
    public var cloudStyle: Style = .none
    /// Compared ensembles: the other configurations' members, one style each (drawn after `cloud`).
    public var moreClouds: [(points: [(Double, Double)], style: Style)] = []

    /// The half-width R: at least 1.5, enough for the trail (and 95% of the cloud) with a margin,
    /// in steps of 0.5.
    public var radius: Double {
        var largest = trail.reduce(0.0) { m, p in
            max(m, p.0.isFinite ? abs(p.0) : 0, p.1.isFinite ? abs(p.1) : 0)
        }
        let spread = (cloud + moreClouds.flatMap(\.points)).map { max(abs($0.0), abs($0.1)) }.filter(\.isFinite).sorted()
        if !spread.isEmpty { largest = max(largest, spread[(spread.count - 1) * 95 / 100]) }
        return max(1.5, (largest * 1.15 * 2).rounded(.up) / 2)
    }

    /// The plotting rectangle in dots and the dot positions of a point: (px, py), py from the top.
    struct Frame {
        var originX: Int, originY: Int, dotsX: Int, dotsY: Int
        var r: Double
        func dot(_ x: Double, _ y: Double) -> (Int, Int) {
            let px = originX + Int(((x + r) / (2 * r) * Double(dotsX - 1)).rounded())
            let py = originY + Int(((r - y) / (2 * r) * Double(dotsY - 1)).rounded())
            return (px, py)
        }
        func contains(_ x: Double, _ y: Double) -> Bool { abs(x) <= r && abs(y) <= r }
    }

    func frame(columns: Int, rows: Int, marker: Marker) -> Frame {
        let dotsWide = columns * marker.dotsWide, dotsHigh = rows * marker.dotsHigh
        // A dot's height over its width: a cell is about twice as tall as wide.
        let aspect = 2 * Double(marker.dotsWide) / Double(marker.dotsHigh)
        let side = min(Double(dotsWide), Double(dotsHigh) * aspect)
        let dx = max(2, Int(side)), dy = max(2, Int(side / aspect))
        return Frame(originX: (dotsWide - min(dx, dotsWide)) / 2, originY: (dotsHigh - min(dy, dotsHigh)) / 2,
                     dotsX: min(dx, dotsWide), dotsY: min(dy, dotsHigh), r: radius)
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width >= 4, area.height >= 2 else { return }
        let marker = glyphs.marker
        var canvas = Canvas(columns: area.width, rows: area.height, marker: marker)
        let f = frame(columns: area.width, rows: area.height, marker: marker)
        let r = f.r
        // Axes.
        let (x0, y0) = f.dot(0, 0)
        let (left, top) = f.dot(-r, r), (right, bottom) = f.dot(r, -r)
        canvas.line(left, y0, right, y0, series: 0)
        canvas.line(x0, top, x0, bottom, series: 0)
        // xy = 1, sampled along both axes so the steep ends are drawn too.
        for branch in [1.0, -1.0] {
            var previous: (Int, Int)?
            let n = max(f.dotsX, f.dotsY) * 2
            for i in 0...n {
                // x from 1/R to R (y = 1/x from R to 1/R): the whole branch inside the window.
                let x = branch * (1 / r) * pow(r * r, Double(i) / Double(n))
                let p = f.dot(x, 1 / x)
                if let q = previous { canvas.line(q.0, q.1, p.0, p.1, series: 1) } else { canvas.dot(p.0, p.1, series: 1) }
                previous = p
            }
        }
        // The trail, clipped to the window.
        var previous: (Int, Int)?
        for (x, y) in trail {
            guard x.isFinite, y.isFinite, f.contains(x, y) else { previous = nil; continue }
            let p = f.dot(x, y)
            if let q = previous { canvas.line(q.0, q.1, p.0, p.1, series: 2) } else { canvas.dot(p.0, p.1, series: 2) }
            previous = p
        }
        for (x, y) in cloud where x.isFinite && y.isFinite && f.contains(x, y) {
            let p = f.dot(x, y)
            canvas.dot(p.0, p.1, series: 3)
        }
        for (k, more) in moreClouds.enumerated() {
            for (x, y) in more.points where x.isFinite && y.isFinite && f.contains(x, y) {
                let p = f.dot(x, y)
                canvas.dot(p.0, p.1, series: 4 + k)
            }
        }
        canvas.render(into: &buffer, at: (area.x, area.y), glyphs: glyphs,
                      styles: [axisStyle, curveStyle, trailStyle, cloudStyle] + moreClouds.map(\.style))
        func cell(_ x: Double, _ y: Double) -> (Int, Int) {
            let (px, py) = f.dot(x, y)
            return (area.x + px / marker.dotsWide, area.y + py / marker.dotsHigh)
        }
        // The corners are marked unless members sit on them (their dots are the mark then).
        for m in [1.0, -1.0] where cloud.isEmpty && moreClouds.isEmpty {
            let (cx, cy) = cell(m, m)
            buffer.set(cx, cy, "+", markStyle)
        }
        if let (x, y) = trail.last, x.isFinite, y.isFinite, f.contains(x, y) {
            let (cx, cy) = cell(x, y)
            buffer.set(cx, cy, glyphs.unicode ? "\u{25CF}" : "@", pointStyle)
        }
        // The scale, in the corner the hyperbola leaves empty (upper left).
        let label = "R=\(NumberText.compact(r))"
        if area.width >= label.count + 2 { buffer.put(label, area.x, area.y, labelStyle) }
    }
}
