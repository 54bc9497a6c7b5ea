@testable import TallyShell
import XCTest

/// Axis ticks on a 1-2-5 ladder, 4 to 7 of them, with compact labels.
final class AxisScaleTests: XCTestCase {
    func labels(_ a: AxisScale) -> [String] { a.ticks.map(a.label) }

    func testRevenueRangeGetsHalfMillionSteps() {
        let a = AxisScale(low: 0, high: 2_076_446, fromZero: true)
        XCTAssertEqual(labels(a), ["0", "500k", "1M", "1.5M", "2M"])
        XCTAssertEqual(a.low, 0)
        XCTAssertEqual(a.high, 2_076_446)
    }

    func testSmallCountsStayWhole() {
        let a = AxisScale(low: 0, high: 3, integers: true, fromZero: true)
        XCTAssertEqual(labels(a), ["0", "1", "2", "3"])
        XCTAssertEqual(labels(AxisScale(low: 0, high: 7_456, integers: true, fromZero: true)), ["0", "2k", "4k", "6k"])
    }

    func testHalfStepsKeepTheirDecimal() {
        XCTAssertEqual(labels(AxisScale(low: 0, high: 10_673, integers: true, fromZero: true, maxTicks: 5)), ["0", "2.5k", "5k", "7.5k", "10k"])
        XCTAssertEqual(labels(AxisScale(low: 0, high: 1.2)), ["0", "0.2", "0.4", "0.6", "0.8", "1", "1.2"])
    }

    func testPercentAxis() {
        let a = AxisScale(low: 0, high: 0.23, fromZero: true, style: .percent)
        XCTAssertEqual(labels(a), ["0%", "5%", "10%", "15%", "20%"])
    }

    func testTightLineAxisAndNegatives() {
        XCTAssertEqual(labels(AxisScale(low: 477_804, high: 571_909)), ["480k", "500k", "520k", "540k", "560k"])
        XCTAssertEqual(labels(AxisScale(low: -0.35, high: 0.6)), ["-0.2", "0", "0.2", "0.4", "0.6"])
        XCTAssertEqual(labels(AxisScale(low: -1_500, high: 2_600, fromZero: true)), ["-1k", "0", "1k", "2k"])
    }

    func testEveryRangeHasFourToSevenTicks() {
        for (lo, hi) in [(0.0, 1.0), (0, 13), (0, 99), (0, 101), (3, 4), (-7, 7), (0, 2_500_000), (1e-3, 9e-3), (12_345, 12_399)] {
            let n = AxisScale(low: lo, high: hi).ticks.count
            XCTAssertTrue((3...7).contains(n), "\(lo)…\(hi): \(n) ticks")
        }
    }

    func testOneValueAndNonFiniteDoNotTrap() {
        XCTAssertFalse(AxisScale(low: 5, high: 5).ticks.isEmpty)
        XCTAssertFalse(AxisScale(low: -.infinity, high: .nan).ticks.isEmpty)
        XCTAssertFalse(AxisScale(low: 0, high: 1e300).ticks.isEmpty)
    }
}
