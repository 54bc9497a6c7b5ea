import Foundation
import TallyCore

extension ScalarFunctions {
    /// A function of a date (or a period, through its first day) giving an int-backed value.
    static func ofDate(_ name: String, _ doc: String, result: DataType, _ f: @escaping (Int64) -> Int64) -> ScalarFunction {
        ScalarFunction(name: name, signature: "\(name)(date)", doc: doc, arity: 1...1, resultType: { t in
            if let p = Expect.type(name, t, 0, .date, .period) { return .failure(p) }
            return .success(result)
        }, eval: { a, n in
            let c = a[0]
            let days = c.type == .period ? c.ints.map { Period(encoded: $0).startDay } : c.ints
            return Column(ints: perDistinctDay(days, f), type: result, validity: c.validity)
        })
    }

    /// The period of a date (`month(d)`): grouped in SQL by its first day.
    static func periodOf(_ kind: PeriodKind, _ doc: String) -> ScalarFunction {
        var f = ofDate(kind.name, doc, result: .period) { CivilDate.period(ofDay: $0, kind: kind).encoded }.sql { c in
            guard c.argumentTypes[0] == .date else { throw SQLRefusal("its argument is \(Expect.article(c.argumentTypes[0])), not a date") }
            return c.dialect.period(kind, of: c.arguments[0])
        }
        f.periodOfDate = kind
        return f
    }

    /// A component of a date as a whole number, in SQL.
    static func datePart(_ part: SQLDatePart) -> SQLSpelling {
        { c in
            guard c.argumentTypes[0] == .date else { throw SQLRefusal("its argument is \(Expect.article(c.argumentTypes[0])), not a date") }
            return c.dialect.datePart(part, c.arguments[0])
        }
    }

    /// `f` of every day. Dates in a table span far fewer distinct days than rows (ten years are 3,653 days), so `f` —
    /// calendar arithmetic, tens of nanoseconds — runs once per day of the span into a table, and each row is a lookup.
    /// A span wider than the rows (null slots hold day 0, so they count) falls back to `f` per row.
    static func perDistinctDay(_ days: [Int64], _ f: (Int64) -> Int64) -> [Int64] {
        guard !days.isEmpty else { return [] }
        var low = Int64.max, high = Int64.min
        days.withUnsafeBufferPointer { d in
            for x in d {
                low = min(low, x)
                high = max(high, x)
            }
        }
        let (span, over) = high.subtractingReportingOverflow(low)
        guard !over, span < Int64(max(days.count, 4_096)) else { return days.map(f) }
        let values = (low...high).map(f)
        return [Int64](unsafeUninitializedCapacity: days.count) { out, initialized in
            days.withUnsafeBufferPointer { d in
                values.withUnsafeBufferPointer { v in
                    for i in 0..<d.count { out[i] = v[Int(d[i] &- low)] }
                }
            }
            initialized = days.count
        }
    }

    static func ofPeriod(_ name: String, _ doc: String, result: DataType, _ f: @escaping (Period) -> Int64) -> ScalarFunction {
        ScalarFunction(name: name, signature: "\(name)(period)", doc: doc, arity: 1...1, resultType: { t in
            if let p = Expect.type(name, t, 0, .period) { return .failure(p) }
            return .success(result)
        }, eval: { a, _ in
            Column(ints: a[0].ints.map { f(Period(encoded: $0)) }, type: result, validity: a[0].validity)
        })
    }

    /// Today's date; `TALLY_TODAY=YYYY-MM-DD` fixes it (for reproducible scripts and tests).
    static var today: Int64 {
        if let fixed = ProcessInfo.processInfo.environment["TALLY_TODAY"], let d = CivilDate.parse(Substring(fixed)) { return d }
        return Int64((Date().timeIntervalSince1970 / 86_400).rounded(.down))
    }

    static let calendar: [ScalarFunction] = [
        ofDate("year", "calendar year as an int", result: .int) { CivilDate.civil($0).year }.sql(datePart(.year)).identifying(),
        periodOf(.quarter, "the quarter period, e.g. 2025-Q3"),
        periodOf(.month, "the month period, e.g. 2025-07"),
        periodOf(.week, "the ISO week period, e.g. 2025-W27"),
        ofDate("day", "day of the month, 1–31", result: .int) { CivilDate.civil($0).day }.sql(datePart(.day)),
        ofDate("weekday", "ISO weekday, 1 = Monday … 7 = Sunday", result: .int) { CivilDate.weekday($0) }.sql(datePart(.isoWeekday)),
        ofPeriod("days_in", "number of days in the period", result: .int) { $0.dayCount },
        ofPeriod("start_of", "first day of the period", result: .date) { $0.startDay },
        ofPeriod("end_of", "last day of the period", result: .date) { $0.endDay },
        ScalarFunction(name: "elapsed", signature: "elapsed(period, date)", doc: "days of the period up to and including date (0 before it, all after it)",
            arity: 2...2, resultType: { t in
            if let p = Expect.type("elapsed", t, 0, .period) ?? Expect.type("elapsed", t, 1, .date) { return .failure(p) }
            return .success(.int)
        }, eval: { a, n in
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n {
                let p = Period(encoded: a[0].ints[i])
                out[i] = min(p.dayCount, max(0, a[1].ints[i] - p.startDay + 1))
            }
            return Column(ints: out, validity: andValidity(a[0], a[1]))
        }),
        ScalarFunction(name: "today", signature: "today()", doc: "the current date", arity: 0...0, resultType: { _ in .success(.date) }, eval: { _, n in
            Column(ints: Array(repeating: today, count: n), type: .date)
        }).sql { _ in .date(today) },
    ]
}
