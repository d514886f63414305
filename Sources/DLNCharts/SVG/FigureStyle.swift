/// What figures are drawn with, in points (the SVG's user unit is 1 pt): a colour-blind-safe
/// palette (Okabe and Ito's eight colours, yellow last: it is faint on white), four dash patterns
/// so that a grey-scale print still separates series, and the sizes journals ask for (text 7-9 pt,
/// lines at least 0.5 pt at the printed width).
public enum FigureStyle {
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    /// Stroke dash arrays in points: solid, dashed, dotted, dash-dot.
    public static let dashes = ["", "3.2,1.6", "0.9,1.3", "4,1.3,0.9,1.3"]
    public static let fontFamily = "Helvetica, Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif"

    public static let tickFont = 7.0
    public static let labelFont = 8.0
    public static let titleFont = 8.5
    public static let figureTitleFont = 9.0
    public static let lineWidth = 0.9
    public static let axisWidth = 0.6
    public static let tickWidth = 0.5
    public static let referenceWidth = 0.5
    public static let referenceColour = "#8C8C8C"
    public static let textColour = "#1A1A1A"

    public static let pointsPerMillimetre = 72.0 / 25.4
}
