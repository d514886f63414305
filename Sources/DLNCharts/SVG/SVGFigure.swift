import Foundation

/// What a figure says about itself beyond its charts: a title, the run's parameters (a caption
/// line and the SVG's <desc>), and key/value pairs for <metadata> (version, parameters, seed).
public struct FigureInfo: Sendable, Equatable {
    public var title: String?
    public var caption: String?
    public var metadata: [(key: String, value: String)]

    public init(title: String? = nil, caption: String? = nil, metadata: [(key: String, value: String)] = []) {
        self.title = title
        self.caption = caption
        self.metadata = metadata
    }

    public static func == (a: FigureInfo, b: FigureInfo) -> Bool {
        a.title == b.title && a.caption == b.caption && a.metadata.map(\.key) == b.metadata.map(\.key)
            && a.metadata.map(\.value) == b.metadata.map(\.value)
    }
}

/// Charts as one SVG figure: panels stacked (two columns from 120 mm wide), a physical width in
/// millimetres and a viewBox in points, every label a <text>, no external reference, and the same
/// bytes for the same charts (fixed decimals, ids numbered in order, nothing from the clock).
public enum SVGFigure {
    public static let defaultWidthMillimetres = 85.0

    public static func render(_ charts: [ChartModel], info: FigureInfo, widthMillimetres: Double = defaultWidthMillimetres) -> String {
        let ptPerMM = FigureStyle.pointsPerMillimetre
        let width = widthMillimetres * ptPerMM
        let columns = widthMillimetres >= 120 && charts.count > 1 ? 2 : 1
        let panelWidth = width / Double(columns)
        let panelHeight = max(118, panelWidth * 0.62)
        let rows = (charts.count + columns - 1) / columns
        var top = 4.0
        var body = ""
        if let title = info.title {
            top += FigureStyle.figureTitleFont + 2
            body += "<text class=\"figure-title\" x=\"\(SVGText.n(width / 2))\" y=\"\(SVGText.n(top))\" text-anchor=\"middle\">\(SVGText.escaped(title))</text>\n"
            top += 4
        }
        let probes = charts.map { SVGPanel(chart: $0, id: "", x: 0, y: 0, width: panelWidth, height: panelHeight, letter: "") }
        let labelWidth = probes.map(\.labelWidth).max() ?? 0, legendWidth = probes.map(\.legendWidth).max() ?? 0
        for (i, chart) in charts.enumerated() {
            let x = Double(i % columns) * panelWidth, y = top + Double(i / columns) * panelHeight
            let letter = charts.count > 1 ? "(\(String(UnicodeScalar(UInt8(97 + i % 26))))) " : ""
            body += SVGPanel(chart: chart, id: "p\(i + 1)", x: x, y: y, width: panelWidth, height: panelHeight, letter: letter,
                            labelWidth: labelWidth, legendWidth: legendWidth).svg()
        }
        var bottom = top + Double(rows) * panelHeight
        if let caption = info.caption {
            let limit = max(20, Int(width / (FigureStyle.tickFont * 0.52)))
            for line in SVGText.wrapped(caption, limit: limit) {
                bottom += FigureStyle.tickFont + 2
                body += "<text class=\"caption\" x=\"4\" y=\"\(SVGText.n(bottom))\">\(SVGText.escaped(line))</text>\n"
            }
        }
        // Whole tenths of a millimetre, and the viewBox in points to the same height.
        let heightMM = (bottom + 5) / ptPerMM
        let heightMMRounded = (heightMM * 10).rounded(.up) / 10
        let height = heightMMRounded * ptPerMM
        var svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(Ticks.format("%.1f", widthMillimetres))mm\" height=\"\(Ticks.format("%.1f", heightMMRounded))mm\" viewBox=\"0 0 \(SVGText.n(width)) \(SVGText.n(height))\">\n"
        svg += "<title>\(SVGText.escaped(info.title ?? charts.map(\.title).joined(separator: "; ")))</title>\n"
        if let caption = info.caption { svg += "<desc>\(SVGText.escaped(caption))</desc>\n" }
        svg += metadata(info.metadata)
        svg += style()
        svg += "<rect x=\"0\" y=\"0\" width=\"\(SVGText.n(width))\" height=\"\(SVGText.n(height))\" fill=\"#FFFFFF\"/>\n"
        svg += body
        svg += "</svg>\n"
        return svg
    }

    static func metadata(_ pairs: [(key: String, value: String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        var s = "<metadata>\n<dlntui:figure xmlns:dlntui=\"urn:dlntui:figure\">\n"
        for (k, v) in pairs {
            s += "<dlntui:entry key=\"\(SVGText.escaped(k))\">\(SVGText.escaped(v))</dlntui:entry>\n"
        }
        return s + "</dlntui:figure>\n</metadata>\n"
    }

    /// One style sheet: classes keep each element's attributes short; sizes in points.
    static func style() -> String {
        var s = "<style>\n"
        s += "text { font-family: \(FigureStyle.fontFamily); fill: \(FigureStyle.textColour); }\n"
        s += ".tick { font-size: \(SVGText.n(FigureStyle.tickFont))px; }\n"
        s += ".axis-title { font-size: \(SVGText.n(FigureStyle.labelFont))px; }\n"
        s += ".panel-title { font-size: \(SVGText.n(FigureStyle.titleFont))px; font-weight: bold; }\n"
        s += ".figure-title { font-size: \(SVGText.n(FigureStyle.figureTitleFont))px; font-weight: bold; }\n"
        s += ".legend, .caption, .reference-label, .lane { font-size: \(SVGText.n(FigureStyle.tickFont))px; }\n"
        s += ".reference-label { fill: \(FigureStyle.referenceColour); }\n"
        s += ".axis { stroke: \(FigureStyle.textColour); stroke-width: \(SVGText.n(FigureStyle.axisWidth)); fill: none; }\n"
        s += ".tickmark { stroke: \(FigureStyle.textColour); stroke-width: \(SVGText.n(FigureStyle.tickWidth)); }\n"
        s += ".reference { stroke: \(FigureStyle.referenceColour); stroke-width: \(SVGText.n(FigureStyle.referenceWidth)); stroke-dasharray: 1.5,1.5; }\n"
        s += ".series { fill: none; stroke-width: \(SVGText.n(FigureStyle.lineWidth)); stroke-linejoin: round; stroke-linecap: butt; }\n"
        return s + "</style>\n"
    }
}
