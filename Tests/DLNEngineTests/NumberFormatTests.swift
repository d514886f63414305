import Testing
@testable import DLNEngine

/// The short forms messages print numbers in.
@Suite struct NumberFormatTests {
    @Test func briefRoundsToSignificantDigitsThenPrintsShort() {
        // The step-doubling warning printed "by t = 1656.8827111200644".
        #expect(NumberFormat.brief(1656.8827111200644) == "1656.9")
        #expect(NumberFormat.brief(0.1 + 0.2) == "0.3")
        #expect(NumberFormat.brief(200) == "200")
        #expect(NumberFormat.brief(1.23456789e-7) == "1.2346e-7")
        #expect(NumberFormat.brief(-2.5e300, digits: 2) == "-2.5e300")
        #expect(NumberFormat.brief(.infinity) == "inf" && NumberFormat.brief(.nan) == "nan")
    }
}
