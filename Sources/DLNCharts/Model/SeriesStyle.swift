/// How one series looks, as indices a renderer maps to its own means: a colour of its palette, a
/// dash pattern (0 solid) and a marker glyph (the terminal's ASCII charts).
public struct SeriesStyle: Sendable, Equatable, Hashable {
    public var colour: Int
    public var dash: Int
    public var marker: Int

    public init(colour: Int, dash: Int, marker: Int) {
        self.colour = colour
        self.dash = dash
        self.marker = marker
    }
}

/// The styles series take in order, so that no two visible series look alike: colour x dash pairs
/// are distinct for the first colours x dashes series.
public struct StyleCycle: Sendable, Equatable {
    public var colours: Int
    public var dashes: Int
    public var markers: Int
    /// Figures vary the dash among the first colours too (a grey-scale print still separates
    /// neighbours); the screen keeps its first `colours` series solid and dashes the next rounds.
    public var dashWithinRound: Bool

    public init(colours: Int, dashes: Int, markers: Int, dashWithinRound: Bool) {
        self.colours = max(1, colours)
        self.dashes = max(1, dashes)
        self.markers = max(1, markers)
        self.dashWithinRound = dashWithinRound
    }

    /// 8 colours (series1...series8 of a theme), 4 dash patterns, 8 ASCII markers.
    public static let screen = StyleCycle(colours: 8, dashes: 4, markers: 8, dashWithinRound: false)
    /// 8 Okabe-Ito colours, 4 dash patterns.
    public static let figure = StyleCycle(colours: 8, dashes: 4, markers: 8, dashWithinRound: true)

    /// How many series get distinct styles.
    public var distinct: Int { colours * dashes }

    /// The style of series i (from 0): colour c = i mod colours, round r = i / colours; the dash is
    /// r (screen) or c + r (figure) mod dashes, so i and j = i + m colours (same colour) differ in
    /// dash for 0 < m < dashes.
    public func style(_ i: Int) -> SeriesStyle {
        let i = max(0, i)
        let round = i / colours, colour = i % colours
        let dash = (dashWithinRound ? colour + round : round) % dashes
        return SeriesStyle(colour: colour, dash: dash, marker: (colour + round) % markers)
    }
}
