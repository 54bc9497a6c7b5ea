@testable import TallyShell
import TallyCore
import TallyEngine
import XCTest

/// Axis ticks on a 1-2-5 ladder, 3 to 7 of them, whose first and last take in the data (Vega-Lite's `nice`), with
/// compact labels; calendar ticks for dates and periods.
final class AxisScaleTests: XCTestCase {
    func labels(_ a: AxisScale) -> [String] { a.ticks.map(a.label) }

    func testRevenueRangeGetsHalfMillionStepsUpToTheNextNiceValue() {
        let a = AxisScale(low: 0, high: 2_076_446, fromZero: true)
        XCTAssertEqual(labels(a), ["0", "500k", "1M", "1.5M", "2M", "2.5M"])
        XCTAssertEqual(a.low, 0)
        XCTAssertEqual(a.high, 2_500_000, "the 2,076,446 bar ends under a labelled tick, not above the last one")
    }

    func testSmallCountsStayWhole() {
        let a = AxisScale(low: 0, high: 3, integers: true, fromZero: true)
        XCTAssertEqual(labels(a), ["0", "1", "2", "3"])
        XCTAssertEqual(labels(AxisScale(low: 0, high: 7_456, integers: true, fromZero: true)), ["0", "2k", "4k", "6k", "8k"])
    }

    func testHalfStepsKeepTheirDecimal() {
        // 2.5k steps would need 0…12.5k, six ticks: the next step up keeps within five.
        XCTAssertEqual(labels(AxisScale(low: 0, high: 10_673, integers: true, fromZero: true, maxTicks: 5)), ["0", "5k", "10k", "15k"])
        XCTAssertEqual(labels(AxisScale(low: 0, high: 9_800, integers: true, fromZero: true, maxTicks: 5)), ["0", "2.5k", "5k", "7.5k", "10k"])
        XCTAssertEqual(labels(AxisScale(low: 0, high: 1.2)), ["0", "0.2", "0.4", "0.6", "0.8", "1", "1.2"])
    }

    func testPercentAxis() {
        let a = AxisScale(low: 0, high: 0.23, fromZero: true, style: .percent)
        XCTAssertEqual(labels(a), ["0%", "5%", "10%", "15%", "20%", "25%"])
    }

    func testTightLineAxisAndNegatives() {
        XCTAssertEqual(labels(AxisScale(low: 477_804, high: 571_909)), ["460k", "480k", "500k", "520k", "540k", "560k", "580k"])
        XCTAssertEqual(labels(AxisScale(low: -0.35, high: 0.6)), ["-0.4", "-0.2", "0", "0.2", "0.4", "0.6"])
        XCTAssertEqual(labels(AxisScale(low: -1_500, high: 2_600, fromZero: true)), ["-2k", "-1k", "0", "1k", "2k", "3k"])
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

    /// The domain always covers the data, ends on ticks, and the ticks are evenly spaced by 1, 2, 2.5 or 5 × 10ⁿ.
    func testDomainCoversTheDataWithOneTwoFiveSteps() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let a = Double.random(in: -1e6...1e6, using: &rng), b = a + Double.random(in: 1e-3...1e7, using: &rng)
            let axis = AxisScale(low: a, high: b, fromZero: Bool.random(using: &rng))
            XCTAssertLessThanOrEqual(axis.low, a)
            XCTAssertGreaterThanOrEqual(axis.high, b)
            XCTAssertEqual(axis.low, axis.ticks.first)
            XCTAssertEqual(axis.high, axis.ticks.last)
            XCTAssertTrue((2...7).contains(axis.ticks.count), "\(a)…\(b): \(axis.ticks.count) ticks")
            let mantissa = axis.step / pow(10, log10(axis.step).rounded(.down))
            XCTAssertTrue([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 }, "step \(axis.step)")
        }
    }

    func testCalendarTicksFallOnMonthQuarterAndYearStarts() {
        let days = (0..<1_096).map { Value.date(CivilDate.days(year: 2023, month: 1, day: 1) + Int64($0)) }
        XCTAssertEqual(ChartStyle.calendarTicks(days, maxTicks: 6)!.map(\.label), ["2023-01", "2023-07", "2024-01", "2024-07", "2025-01", "2025-07"])
        let yearly = ChartStyle.calendarTicks(days, maxTicks: 5)!
        XCTAssertEqual(yearly.map(\.label), ["2023", "2024", "2025"])
        XCTAssertEqual(yearly.map(\.index), [0, 365, 731])
        let quarterly = ChartStyle.calendarTicks(days, maxTicks: 12)!
        XCTAssertEqual(quarterly.count, 12)
        XCTAssertEqual(quarterly[1].label, "2023-04")
        XCTAssertEqual(quarterly[1].index, 90, "1 April 2023 is the 91st day")
        let months = (1...12).map { Value.period(.month(2025, Int64($0))) }
        XCTAssertEqual(ChartStyle.calendarTicks(months, maxTicks: 12)!.count, 12)
        XCTAssertEqual(ChartStyle.calendarTicks(months, maxTicks: 5)!.map(\.label), ["2025-01", "2025-04", "2025-07", "2025-10"])
        // A series that starts mid-month has its first tick at the next month's first day.
        let midMonth = (0..<40).map { Value.date(CivilDate.days(year: 2025, month: 1, day: 15) + Int64($0)) }
        XCTAssertEqual(ChartStyle.calendarTicks(midMonth, maxTicks: 5)!.map(\.index), [17])
        XCTAssertNil(ChartStyle.calendarTicks([.string("East"), .string("West")], maxTicks: 5))
    }
}
