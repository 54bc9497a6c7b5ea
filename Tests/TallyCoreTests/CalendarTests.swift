import TallyCore
import XCTest

final class CalendarTests: XCTestCase {
    func testDayNumbersRoundTrip() {
        XCTAssertEqual(CivilDate.days(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(CivilDate.days(year: 2000, month: 3, day: 1), 11_017)
        for d in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (y, m, day) = CivilDate.civil(d)
            XCTAssertEqual(CivilDate.days(year: y, month: m, day: day), d)
        }
    }

    func testWeekdayIsISO() {
        XCTAssertEqual(CivilDate.weekday(CivilDate.parse("2025-11-03")!), 1)  // a Monday
        XCTAssertEqual(CivilDate.weekday(CivilDate.parse("2025-11-09")!), 7)  // a Sunday
    }

    func testISOWeeks() {
        // 2024-12-30 is a Monday in ISO week 1 of 2025; 2021-01-03 belongs to 2020-W53.
        XCTAssertEqual(CivilDate.period(ofDay: CivilDate.parse("2024-12-30")!, kind: .week).description, "2025-W01")
        XCTAssertEqual(CivilDate.period(ofDay: CivilDate.parse("2021-01-03")!, kind: .week).description, "2020-W53")
        XCTAssertEqual(CivilDate.isoWeeksInYear(2020), 53)
        XCTAssertEqual(CivilDate.isoWeeksInYear(2025), 52)
        XCTAssertEqual(Period.parse("2025-W07")!.startDay, CivilDate.parse("2025-02-10")!)
    }

    func testRejectsImpossibleDates() {
        XCTAssertNil(CivilDate.parse("2025-02-29"))
        XCTAssertNotNil(CivilDate.parse("2024-02-29"))
        XCTAssertNil(CivilDate.parse("2025-13-01"))
        XCTAssertNil(CivilDate.parse("2025-1-01"))
    }

    func testPeriodsParsePrintAndOrder() {
        for text in ["2025", "2025-Q3", "2025-11", "2025-W07"] {
            XCTAssertEqual(Period.parse(Substring(text))?.description, text)
        }
        XCTAssertNil(Period.parse("2025-Q5"))
        XCTAssertNil(Period.parse("2025-W54"))
        XCTAssertLessThan(Period.parse("2024-12")!, Period.parse("2025-01")!)
        XCTAssertEqual(Period.parse("2025-Q3")!.dayCount, 92)
        XCTAssertEqual(Period.parse("2024-02")!.dayCount, 29)
        XCTAssertEqual(Period.parse("2025-12")!.next.description, "2026-01")
        XCTAssertEqual(Period.parse("2025-11")!.distance(to: Period.parse("2026-02")!), 3)
        let p = Period.parse("1969-07")!
        XCTAssertEqual(Period(encoded: p.encoded), p)
    }
}
