import Foundation
import Testing
@testable import DLNTerminal

/// `NumberText.format` (vsnprintf) stands in for Foundation's String(format:) on every frame: the two
/// must give the same text for the formats the interface uses.
@Suite struct NumberTextFormatTests {
    static let values: [Double] = {
        var state: UInt64 = 9
        var xs: [Double] = [0, -0.0, 1, -1, 0.5, 0.125, 0.0625, 2.5, 9.995, 99.95, 1e-300, 1e300, 123456.789, 0.01, 0.015]
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let mantissa = Double(state >> 11) / Double(1 << 53) - 0.5
            let exponent = Int((state >> 3) % 24) - 12
            xs.append(mantissa * pow(10, Double(exponent)))
        }
        return xs
    }()

    @Test("the same text as String(format:) for %.*f, %.*e and the matrix panel's formats")
    func sameTextAsFoundation() {
        for x in Self.values {
            for p in 0...4 {
                #expect(NumberText.format("%.*f", Int32(p), x) == String(format: "%.*f", p, x), "x=\(x) p=\(p)")
                #expect(NumberText.format("%.*e", Int32(p), x) == String(format: "%.*e", p, x), "x=\(x) p=\(p)")
            }
            for f in ["%+.2f", "%+.1f", "%+.0e"] {
                #expect(NumberText.format(f, x) == String(format: f, x), "x=\(x) \(f)")
            }
        }
    }

    @Test("text longer than the stack buffer still comes out whole")
    func longText() {
        #expect(NumberText.format("%.*f", Int32(4), 1e300) == String(format: "%.*f", 4, 1e300))
    }
}
