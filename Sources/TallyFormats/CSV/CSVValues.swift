import TallyCore
/// Fast, allocation-free parsing of CSV field bytes into typed values.
enum CSVValues {
    /// Kinds a field can read as, as bits, so a column's kinds combine with `|`.
    static let int: UInt8 = 1, float: UInt8 = 2, bool: UInt8 = 4, date: UInt8 = 8, period: UInt8 = 16, text: UInt8 = 32

    /// The narrowest kind a field reads as.
    @inline(__always)
    static func classify(_ b: UnsafeBufferPointer<UInt8>, _ f: FieldRef) -> UInt8 { read(b, f).kind }

    /// The narrowest kind a field reads as, and its value as that kind: an int, a date's days, a double's or a period's
    /// bits; 0 for booleans and text, which are stored otherwise.
    @inline(__always)
    static func read(_ b: UnsafeBufferPointer<UInt8>, _ f: FieldRef) -> (kind: UInt8, bits: UInt64) {
        if f.quoted { return (text, 0) }
        let s = f.start, n = f.length
        let c = b[s]
        if (c >= 48 && c <= 57) || c == 45 || c == 43 || c == 46 {
            if n >= 7, n <= 10, b[s + 4] == 45, c != 45, c != 43 {
                if n == 10 { return parseDate(b, s, n).map { (date, UInt64(bitPattern: $0)) } ?? (text, 0) }
                return parsePeriod(b, s, n).map { (period, UInt64(bitPattern: $0.encoded)) } ?? (text, 0)
            }
            if let v = parseInt(b, s, n) { return (int, UInt64(bitPattern: v)) }
            if let v = parseDouble(b, s, n) { return (float, v.bitPattern) }
            return (text, 0)
        }
        if n == 4 || n == 5 {
            if matches(b, s, n, "true") || matches(b, s, n, "false") || matches(b, s, n, "TRUE") || matches(b, s, n, "FALSE") { return (bool, 0) }
        }
        return (text, 0)
    }

    /// The column type for the kinds its fields read as.
    static func type(for kinds: UInt8) -> DataType {
        switch kinds {
        case 0: return .string
        case int: return .int
        case float, int | float: return .float
        case bool: return .bool
        case date: return .date
        case period: return .period
        default: return .string
        }
    }

    static func matches(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ n: Int, _ word: StaticString) -> Bool {
        guard n == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<n where b[s + k] != w[k] { return false }
        return true
    }

    @inline(__always)
    static func parseInt(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ n: Int) -> Int64? {
        var i = s
        let end = s + n
        var negative = false
        if b[i] == 45 || b[i] == 43 { negative = b[i] == 45; i += 1 }
        guard i < end, end - i <= 19 else { return nil }
        var v: Int64 = 0
        while i < end {
            let d = b[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        return negative ? -v : v
    }

    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { acc, _ in acc * 10 } }

    /// Decimal numbers; the common `-123.45` form exactly (one correctly rounded division), others via the standard library.
    @inline(__always)
    static func parseDouble(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ n: Int) -> Double? {
        var i = s
        let end = s + n
        var negative = false
        if b[i] == 45 || b[i] == 43 { negative = b[i] == 45; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0
        var seenPoint = false
        while i < end {
            let c = b[i]
            if c == 46 {
                if seenPoint { return nil }
                seenPoint = true
            } else if c &- 48 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(c &- 48)
                digits += 1
                if seenPoint { fraction += 1 }
            } else {
                return slowDouble(b, s, n)
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        if digits > 18 || fraction > 22 { return slowDouble(b, s, n) }
        let v = Double(mantissa) / powersOfTen[fraction]
        return negative ? -v : v
    }

    static func slowDouble(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ n: Int) -> Double? {
        for k in s..<(s + n) {
            let c = b[k]
            guard (c >= 48 && c <= 57) || c == 46 || c == 101 || c == 69 || c == 45 || c == 43 else { return nil }
        }
        return Double(String(decoding: UnsafeBufferPointer(rebasing: b[s..<(s + n)]), as: UTF8.self)).flatMap { $0.isFinite ? $0 : nil }
    }

    @inline(__always)
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ n: Int) -> Int64? {
        var v: Int64 = 0
        for k in s..<(s + n) {
            let d = b[k] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d)
        }
        return v
    }

    /// `YYYY-MM-DD` as days since 1970-01-01.
    @inline(__always)
    static func parseDate(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ n: Int) -> Int64? {
        guard n == 10, b[s + 4] == 45, b[s + 7] == 45, let y = digits(b, s, 4), let m = digits(b, s + 5, 2), let d = digits(b, s + 8, 2),
              m >= 1, m <= 12, d >= 1, d <= CivilDate.daysInMonth(y, m) else { return nil }
        return CivilDate.days(year: y, month: m, day: d)
    }

    /// `YYYY-MM`, `YYYY-Qn` or `YYYY-Wnn` (a bare year stays an int).
    static func parsePeriod(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ n: Int) -> Period? {
        Period.parse(Substring(String(decoding: UnsafeBufferPointer(rebasing: b[s..<(s + n)]), as: UTF8.self)))
    }
}
