import DLNCharts
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The SVG text itself: well-formed XML, physical size, text sizes and line widths in the ranges a
/// journal asks for, labels as text, nothing external, the same bytes for the same charts.
@Suite struct SVGFigureTests {
    static func sample() -> [ChartModel] {
        let t = (0..<200).map { Double($0) * 0.5 }
        let sigma = (0..<12).map { k in
            Series(label: "σ\(k + 1)", xs: t, ys: t.map { 1 / (1 + exp(-($0 - 10 * Double(k)) / 3)) * pow(0.7, Double(k)) + 1e-9 }, style: k)
        }
        let a = ChartModel.fitted(title: "singular values σ_k(t)", xTitle: "time t", yTitle: "σ_k", series: sigma, scale: .log10,
                                  references: [ReferenceLine(value: 0.5, label: "target σ1 0.5")], widen: true)
        let s = Series(label: "S", xs: t, ys: t.map { $0 < 5 ? -.infinity : -Double($0) }, style: 0)
        let b = ChartModel.fitted(title: "entropy <S> & \"W\"", xTitle: "time t", yTitle: "S(W)", series: [s], scale: .linear, widen: true)
        return [a, b]
    }

    static func render() -> String {
        SVGFigure.render(sample(), info: FigureInfo(title: "a test", caption: "flow = upstairs, seed = 1",
                                                    metadata: [("version", "0.2.0"), ("seed", "1")]))
    }

    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var texts: [String] = []
        var current = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes))
            current = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { texts.append(current) }
            current = ""
        }
    }

    @Test("well-formed, 85 mm wide with a viewBox in points, labels as <text>")
    func structure() throws {
        let svg = Self.render()
        let parser = XMLParser(data: Data(svg.utf8))
        let c = Collector()
        parser.delegate = c
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        let root = try #require(c.elements.first)
        #expect(root.name == "svg" && root.attributes["width"] == "85.0mm")
        let box = try #require(root.attributes["viewBox"]).split(separator: " ").compactMap { Double($0) }
        let heightMM = try #require(Double(root.attributes["height"]!.dropLast(2)))
        // 1 user unit = 1 pt: 85 mm = 240.94 pt, and the height in the same ratio.
        #expect(abs(box[2] - 85 * 72 / 25.4) < 0.01 && abs(box[3] - heightMM * 72 / 25.4) < 0.01)
        for label in ["σ_k", "time t", "S(W)", "10⁻⁴", "target σ1 0.5", "σ12", "−∞", "(a) singular values σ_k(t)", "(b) entropy <S> & \"W\""] {
            #expect(c.texts.contains(label), "no text \(label)")
        }
        #expect(c.elements.contains { $0.name == "desc" } && c.elements.contains { $0.name == "metadata" })
    }

    @Test("text 7-9 pt, lines at least 0.5 pt, a generic font family, no external reference")
    func printSizes() {
        let svg = Self.render()
        let sizes = svg.matches(of: /font-size: ([0-9.]+)px/).map { Double($0.1)! }
        #expect(!sizes.isEmpty && sizes.allSatisfy { (7...9).contains($0) })
        let widths = svg.matches(of: /stroke-width[:=] ?"?([0-9.]+)/).map { Double($0.1)! }
        #expect(!widths.isEmpty && widths.allSatisfy { $0 >= 0.5 })
        #expect(svg.contains("sans-serif"))
        // The only URI is the SVG namespace; no href, no url(), no @import.
        #expect(svg.matches(of: /https?:/).count == 1 && svg.contains("http://www.w3.org/2000/svg"))
        #expect(!svg.contains("href") && !svg.contains("url(") && !svg.contains("@import"))
    }

    @Test("the same charts give the same bytes; other data other bytes")
    func deterministic() {
        #expect(Self.render() == Self.render())
        var other = Self.sample()
        other[1].series[0].ys[100] += 1
        #expect(SVGFigure.render(other, info: FigureInfo()) != SVGFigure.render(Self.sample(), info: FigureInfo()))
    }

    @Test("series past the palette differ in dash: sigma_1 and sigma_9 are not drawn alike")
    func distinctStrokes() {
        let svg = Self.render()
        let strokes = svg.matches(of: /<path class="series" stroke="(#[0-9A-F]{6})"( stroke-dasharray="([0-9.,]+)")?/).map {
            "\($0.1)|\($0.3 ?? "")"
        }
        #expect(strokes.count >= 13)
        #expect(Set(strokes.prefix(12)).count == 12)
    }
}
