import TallyCore

extension ScalarFunctions {
    /// Moving through the calendar: earlier periods, months added to dates, and the equivalents of DuckDB's
    /// `date_trunc` and KQL's `ago`, `startofmonth(x, offset)` and `endofmonth(x, offset)`.
    static let periods: [ScalarFunction] = [
        ScalarFunction(name: "prev", signature: "prev(period[, n])", doc: "the period n (default 1) before: prev(month(today()))", arity: 1...2,
                       resultType: { t in
            if let p = Expect.type("prev", t, 0, .period) ?? Expect.type("prev", t, 1, .int) { return .failure(p) }
            return .success(.period)
        }, eval: { a, n in
            let steps = a.count > 1 ? a[1] : Column(repeating: .int(1), count: n)
            return try PeriodArithmetic.apply(.subtract, a[0], steps)
        }),
        ScalarFunction(name: "last_year", signature: "last_year(period or date)",
                       doc: "the same period (or day) a year earlier: last_year(2025-Q3) = 2024-Q3", arity: 1...1, resultType: { t in
            if let p = Expect.type("last_year", t, 0, .period, .date) { return .failure(p) }
            return .success(t[0] == .null ? .period : t[0])
        }, eval: { a, n in
            try mapDays(a[0], type: a[0].type, "last_year") { v in
                a[0].type == .period ? CalendarShift.yearEarlier(Period(encoded: v))?.encoded : CalendarShift.addMonths(v, -12)
            }
        }),
        addCalendar("add_months", unit: "months", months: 1),
        addCalendar("add_quarters", unit: "quarters", months: 3),
        addCalendar("add_years", unit: "years", months: 12),
        ScalarFunction(name: "date_trunc", signature: "date_trunc(unit, date)",
                       doc: "the first day of the year, quarter, month or week holding the date (as DuckDB's date_trunc)", arity: 2...2,
                       resultType: { t in
            if let p = Expect.type("date_trunc", t, 0, .string) ?? Expect.type("date_trunc", t, 1, .date) { return .failure(p) }
            return .success(.date)
        }, eval: { a, n in
            var out = [Int64](repeating: 0, count: n)
            let validity = andValidity(a[0], a[1])
            for i in 0..<n where validity?[i] ?? true {
                let unit = a[0].dictionary[Int(a[0].codes[i])].lowercased()
                if unit == "day" { out[i] = a[1].ints[i]; continue }
                guard let kind = PeriodKind.allCases.first(where: { $0.name == unit }) else {
                    throw KernelError(message: "unknown date_trunc unit `\(unit)`", hints: ["units: year, quarter, month, week, day"])
                }
                out[i] = CivilDate.period(ofDay: a[1].ints[i], kind: kind).startDay
            }
            return Column(ints: out, type: .date, validity: validity)
        }),
        ScalarFunction(name: "ago", signature: "ago(days)", doc: "today's date minus a number of days (KQL's ago)", arity: 1...1, resultType: { t in
            if let p = Expect.type("ago", t, 0, .int) { return .failure(p) }
            return .success(.date)
        }, eval: { a, n in
            try mapDays(a[0], type: .date, "ago") { days in
                let (d, overflow) = today.subtractingReportingOverflow(days)
                return !overflow && CivilDate.supported.contains(d) ? d : nil
            }
        }),
    ] + PeriodKind.allCases.flatMap { kind in [boundary(kind, start: true), boundary(kind, start: false)] }

    /// `add_months(date, n)` and its multiples: the date n units later, the day clamped to the month's end.
    static func addCalendar(_ name: String, unit: String, months: Int64) -> ScalarFunction {
        ScalarFunction(name: name, signature: "\(name)(date, n)", doc: "the date n \(unit) later, the day clamped to the month's end",
                       arity: 2...2, resultType: { t in
            if let p = Expect.type(name, t, 0, .date) ?? Expect.type(name, t, 1, .int) { return .failure(p) }
            return .success(.date)
        }, eval: { a, n in
            var out = [Int64](repeating: 0, count: n)
            let validity = andValidity(a[0], a[1])
            for i in 0..<n where validity?[i] ?? true {
                let (total, overflow) = a[1].ints[i].multipliedReportingOverflow(by: months)
                guard !overflow, let d = CalendarShift.addMonths(a[0].ints[i], total) else {
                    throw KernelError(message: "date out of range: \(CivilDate.format(a[0].ints[i])) + \(a[1].ints[i]) \(unit)",
                                      hints: ["dates run from 0001-01-01 to 9999-12-31"])
                }
                out[i] = d
            }
            return Column(ints: out, type: .date, validity: validity)
        })
    }

    /// KQL's `startofmonth(date[, offset])`, `endofquarter(date[, offset])` and the like: the first or last day of the
    /// period holding the date, moved by `offset` periods.
    static func boundary(_ kind: PeriodKind, start: Bool) -> ScalarFunction {
        let name = (start ? "startof" : "endof") + kind.name
        return ScalarFunction(name: name, signature: "\(name)(date[, offset])",
                              doc: "the \(start ? "first" : "last") day of the \(kind.name) holding the date, offset periods later", arity: 1...2,
                              resultType: { t in
            if let p = Expect.type(name, t, 0, .date) ?? Expect.type(name, t, 1, .int) { return .failure(p) }
            return .success(.date)
        }, eval: { a, n in
            let validity = a.count > 1 ? andValidity(a[0], a[1]) : a[0].validity
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n where validity?[i] ?? true {
                let here = CivilDate.period(ofDay: a[0].ints[i], kind: kind)
                let offset = a.count > 1 ? a[1].ints[i] : 0
                guard let p = CalendarShift.shift(here, by: offset) else {
                    let call = "\(name)(\(CivilDate.format(a[0].ints[i]))\(a.count > 1 ? ", \(offset)" : ""))"
                    throw KernelError(message: "date out of range: \(call) is a \(kind.name) reaching past the calendar",
                                      hints: ["dates run from 0001-01-01 to 9999-12-31"])
                }
                out[i] = start ? p.startDay : p.endDay
            }
            return Column(ints: out, type: .date, validity: validity)
        })
    }

    /// Maps each non-null value of an int-backed column; `nil` from `f` is an out-of-range error naming `name`.
    static func mapDays(_ c: Column, type: DataType, _ name: String, _ f: (Int64) -> Int64?) throws -> Column {
        var out = [Int64](repeating: 0, count: c.count)
        for i in 0..<c.count where !c.isNull(i) {
            guard let v = f(c.ints[i]) else {
                throw KernelError(message: "`\(name)` is out of range for \(c.value(at: i).text)", hints: ["dates run from 0001-01-01 to 9999-12-31"])
            }
            out[i] = v
        }
        return Column(ints: out, type: type, validity: c.validity)
    }
}
