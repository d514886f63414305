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
    /// `lowerCharts` is how many charts share the bottom row; `parameterRows` the panel's
    /// height including its border; `matrixWidth` the columns W's numbers need (the right
    /// column widens for them up to 45% of the screen; beyond that W is a heat map).
    public static func compute(width: Int, height: Int, lowerCharts: Int = 3, parameterRows: Int,
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
        let lowerCount = max(1, lowerCharts)
        var layout = DashboardLayout(sigma: sigma, lower: bottom.columns(lowerCount),
                                     parameters: parameters, matrix: matrix, footer: footer)
        let m = max(0, layerCharts)
        guard m > 0 else { return layout }
        if bottom.height >= 16 {
            let (upper, lower) = bottom.splitTop(bottom.height / 2)
            layout.lower = upper.columns(lowerCount)
            layout.layers = lower.columns(m)
        } else {
            // One row: the first charts keep their places, the last ones give way.
            let kept = max(1, lowerCount - m)
            let all = bottom.columns(kept + m)
            layout.lower = Array(all.prefix(kept))
            layout.layers = Array(all.dropFirst(kept))
        }
        return layout
    }
}
