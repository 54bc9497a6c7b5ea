/// Conversions between days since 1970-01-01 and the proleptic Gregorian calendar.
///
/// Algorithms from Howard Hinnant's `chrono`-compatible date library.
public enum CivilDate {
    /// The day numbers of 0001-01-01 through 9999-12-31, the dates Tally reads, writes and computes.
    public static let supported: ClosedRange<Int64> = -719_162...2_932_896
    /// Days since 1970-01-01 for a calendar date.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A day number kept within ±2^40 days (about ±3 billion years) before calendar arithmetic, so a number no date has
    /// (the unused slot of a null, after arithmetic on it) never overflows it.
    static func bounded(_ days: Int64) -> Int64 { max(-(1 << 40), min(1 << 40, days)) }

    /// The calendar date of a day number.
    public static func civil(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = bounded(days) + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public static func weekday(_ days: Int64) -> Int64 { floorMod(bounded(days) + 3, 7) + 1 }

    public static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The Monday of ISO week `week` of ISO year `year`.
    public static func isoWeekStart(year: Int64, week: Int64) -> Int64 {
        let jan4 = days(year: year, month: 1, day: 4)
        let week1Monday = jan4 - (weekday(jan4) - 1)
        return week1Monday + (week - 1) * 7
    }

    public static func isoWeeksInYear(_ year: Int64) -> Int64 {
        (isoWeekStart(year: year + 1, week: 1) - isoWeekStart(year: year, week: 1)) / 7
    }

    /// The period of the given kind that contains a day.
    public static func period(ofDay day: Int64, kind: PeriodKind) -> Period {
        let d = bounded(day)
        let (y, m, _) = civil(d)
        switch kind {
        case .year: return .year(y)
        case .quarter: return .quarter(y, (m - 1) / 3 + 1)
        case .month: return .month(y, m)
        case .week:
            let thursday = d - (weekday(d) - 1) + 3
            let isoYear = civil(thursday).year
            let week = (d - isoWeekStart(year: isoYear, week: 1)) / 7 + 1
            return .week(isoYear, week)
        }
    }

    /// `YYYY-MM-DD`.
    public static func format(_ days: Int64) -> String {
        let (y, m, d) = civil(days)
        let ys = y >= 0 && y < 10000 ? String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y) : String(y)
        return "\(ys)-\(pad2(m))-\(pad2(d))"
    }

    /// Parses `YYYY-MM-DD` exactly; `nil` when malformed or not a real date.
    public static func parse(_ text: Substring) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = parseDigits(b[0..<4]), let m = parseDigits(b[5..<7]), let d = parseDigits(b[8..<10]),
              (1...12).contains(m), d >= 1, d <= daysInMonth(y, m) else { return nil }
        return days(year: y, month: m, day: d)
    }
}
