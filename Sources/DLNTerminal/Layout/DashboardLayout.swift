/// Where each part of the main screen goes for a terminal size: pure arithmetic, so every size
/// from 1x1 up can be checked without a terminal.
public struct DashboardLayout: Equatable, Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    /// The singular-value chart (top left, the largest).
    public var sigma: Rect
    /// The smaller charts along the bottom, left to right.
    public var lower: [Rect]
    /// The per-layer charts of the upstairs flows (balance, gauge): a row of their own below
    /// the others when there is height for it, otherwise in place of the lower-priority charts.
    public var layers: [Rect] = []
    public var parameters: Rect
    public var matrix: Rect
    /// Key hints (first row) and the message line (second row).
    public var footer: Rect

    /// nil when the terminal is smaller than 80 x 24: the too-small screen is shown instead.
    /// `lowerCharts` is how many core charts share the bottom row (each always shown);
    /// `extraCharts` how many optional ones follow them there (the error chart), shown where each
    /// chart keeps `minimumChartWidth` columns; `parameterRows` the panel's height including its
    /// border; `matrixWidth` the columns W's numbers need (the right column widens for them up
    /// to 45% of the screen; beyond that W is a heat map).
    public static func compute(width: Int, height: Int, lowerCharts: Int = 3, extraCharts: Int = 0, parameterRows: Int,
                               matrixWidth: Int = 0, layerCharts: Int = 0) -> DashboardLayout? {
        guard width >= minimumWidth, height >= minimumHeight else { return nil }
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let (main, footer) = screen.splitBottom(2)
        // The right column holds the panel and W; it grows slowly with the width.
        var panelWidth = min(44, max(28, width * 28 / 100))
        if matrixWidth + 2 > panelWidth && matrixWidth + 2 <= width * 45 / 100 { panelWidth = matrixWidth + 2 }
        let (left, right) = main.splitRight(panelWidth)
        let (sigma, bottom) = left.splitTop(left.height * 55 / 100)
        let (parameters, matrix) = right.splitTop(min(parameterRows, right.height - 3))
        let core = max(1, lowerCharts)
        let m = max(0, layerCharts)
        // How many of `wanted` optional charts fit beside `fixed` in a row of `row.width` columns.
        func fitting(_ wanted: Int, beside fixed: Int, in row: Rect) -> Int {
            var n = wanted
            while n > 0 && row.width / (fixed + n) < minimumChartWidth { n -= 1 }
            return n
        }
        var layout = DashboardLayout(sigma: sigma, lower: [], parameters: parameters, matrix: matrix, footer: footer)
        if m > 0 && bottom.height >= 16 {
            // Two rows: the scalar charts above, the per-layer ones below.
            let (upper, lower) = bottom.splitTop(bottom.height / 2)
            layout.lower = upper.columns(core + fitting(max(0, extraCharts), beside: core, in: upper))
            layout.layers = lower.columns(m)
            return layout
        }
        // One row: the core charts always; then the extra charts, then the per-layer ones, as
        // many as keep every chart readable. The layer charts give way first.
        let extras = fitting(max(0, extraCharts), beside: core, in: bottom)
        let layers = fitting(m, beside: core + extras, in: bottom)
        let all = bottom.columns(core + extras + layers)
        layout.lower = Array(all.prefix(core + extras))
        layout.layers = Array(all.dropFirst(core + extras))
        return layout
    }

    /// The narrowest a bottom-row chart may be: its y labels, axis and a plot still worth reading.
    public static let minimumChartWidth = 13
}
