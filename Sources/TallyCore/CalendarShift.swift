/// Moving dates and periods along the calendar: by months (clamping the day to the month's end), and
/// periods by whole periods. Results outside 0001–9999 are `nil`.
public enum CalendarShift {
    /// The day `months` months after `day`, the day of month clamped (2025-01-31 + 1 month = 2025-02-28).
    public static func addMonths(_ day: Int64, _ months: Int64) -> Int64? {
        guard CivilDate.supported.contains(day), abs(months) <= 12 * 10_000 else { return nil }
        let (y, m, d) = CivilDate.civil(day)
        let index = y * 12 + (m - 1) + months
        let year = floorDiv(index, 12), month = floorMod(index, 12) + 1
        guard (1...9999).contains(year) else { return nil }
        return CivilDate.days(year: year, month: month, day: min(d, CivilDate.daysInMonth(year, month)))
    }

    /// The period `n` periods after `p` (before, for negative `n`).
    public static func shift(_ p: Period, by n: Int64) -> Period? {
        guard abs(n) <= 53 * 10_000 else { return nil }
        let shifted: Period
        if p.kind == .week {
            let start = p.startDay + 7 * n
            guard CivilDate.supported.contains(start) else { return nil }
            shifted = CivilDate.period(ofDay: start, kind: .week)
        } else {
            shifted = Period(kind: p.kind, index: p.index + n)
        }
        return CivilDate.supported.contains(shifted.startDay) && CivilDate.supported.contains(shifted.endDay) ? shifted : nil
    }

    /// The same period a year earlier: the same quarter, month or ISO week number (week 53 becomes the last week).
    public static func yearEarlier(_ p: Period) -> Period? {
        switch p.kind {
        case .year: return shift(p, by: -1)
        case .quarter: return shift(p, by: -4)
        case .month: return shift(p, by: -12)
        case .week:
            let year = floorDiv(p.index, 53), week = floorMod(p.index, 53) + 1
            guard year > 1 else { return nil }
            return .week(year - 1, min(week, CivilDate.isoWeeksInYear(year - 1)))
        }
    }
}
