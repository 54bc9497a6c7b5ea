/// The logical type of a column or an expression.
public enum DataType: String, Sendable, CaseIterable {
    case int, float, bool, string, date, period
    /// The type of the `null` literal; it unifies with every other type.
    case null

    /// Whether values of this type take part in arithmetic.
    public var isNumeric: Bool { self == .int || self == .float || self == .null }

    /// The narrowest type that holds values of both types, if any.
    public static func unify(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        if a.isNumeric && b.isNumeric { return .float }
        return nil
    }
}

/// The granularity of a period value.
public enum PeriodKind: Int64, Sendable, CaseIterable {
    case year = 0, quarter = 1, month = 2, week = 3

    public var name: String {
        switch self {
        case .year: return "year"
        case .quarter: return "quarter"
        case .month: return "month"
        case .week: return "week"
        }
    }
}

/// A calendar period: a year, quarter, month or ISO week.
///
/// Stored in columns as one `Int64` (see ``encoded``) that sorts chronologically within a kind.
public struct Period: Hashable, Sendable, Comparable {
    public let kind: PeriodKind
    /// Years for `.year`; `year * 4 + q - 1` for quarters; `year * 12 + m - 1` for months;
    /// `isoYear * 53 + w - 1` for weeks.
    public let index: Int64

    public init(kind: PeriodKind, index: Int64) {
        self.kind = kind
        self.index = index
    }

    public static func year(_ y: Int64) -> Period { Period(kind: .year, index: y) }
    public static func quarter(_ y: Int64, _ q: Int64) -> Period { Period(kind: .quarter, index: y * 4 + q - 1) }
    public static func month(_ y: Int64, _ m: Int64) -> Period { Period(kind: .month, index: y * 12 + m - 1) }
    public static func week(_ y: Int64, _ w: Int64) -> Period { Period(kind: .week, index: y * 53 + w - 1) }

    /// The single-integer form kept in columns.
    public var encoded: Int64 { (kind.rawValue << 40) | (index & 0xFF_FFFF_FFFF) }

    public init(encoded: Int64) {
        kind = PeriodKind(rawValue: encoded >> 40) ?? .year
        var i = encoded & 0xFF_FFFF_FFFF
        if i & 0x80_0000_0000 != 0 { i -= 0x100_0000_0000 }
        index = i
    }

    /// The first day of the period, in days since 1970-01-01.
    public var startDay: Int64 {
        switch kind {
        case .year: return CivilDate.days(year: index, month: 1, day: 1)
        case .quarter: return CivilDate.days(year: floorDiv(index, 4), month: floorMod(index, 4) * 3 + 1, day: 1)
        case .month: return CivilDate.days(year: floorDiv(index, 12), month: floorMod(index, 12) + 1, day: 1)
        case .week: return CivilDate.isoWeekStart(year: floorDiv(index, 53), week: floorMod(index, 53) + 1)
        }
    }

    /// The period that follows this one.
    public var next: Period {
        switch kind {
        case .week:
            return CivilDate.period(ofDay: startDay + 7, kind: .week)
        default:
            return Period(kind: kind, index: index + 1)
        }
    }

    /// The last day of the period, in days since 1970-01-01.
    public var endDay: Int64 { next.startDay - 1 }

    /// Number of days in the period.
    public var dayCount: Int64 { endDay - startDay + 1 }

    /// The number of periods from `self` to `other` (same kind), e.g. months between two months.
    public func distance(to other: Period) -> Int64 {
        if kind == .week { return (other.startDay - startDay) / 7 }
        return other.index - index
    }

    public var description: String {
        switch kind {
        case .year: return String(index)
        case .quarter: return "\(floorDiv(index, 4))-Q\(floorMod(index, 4) + 1)"
        case .month: return "\(floorDiv(index, 12))-\(pad2(floorMod(index, 12) + 1))"
        case .week: return "\(floorDiv(index, 53))-W\(pad2(floorMod(index, 53) + 1))"
        }
    }

    public static func < (a: Period, b: Period) -> Bool {
        a.kind == b.kind ? a.index < b.index : a.kind.rawValue < b.kind.rawValue
    }

    /// Parses `2025`, `2025-Q3`, `2025-11` or `2025-W07`; `nil` for anything else.
    public static func parse(_ text: Substring) -> Period? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 4, let year = parseDigits(bytes[0..<4]) else { return nil }
        if bytes.count == 4 { return .year(year) }
        guard bytes.count >= 6, bytes[4] == UInt8(ascii: "-") else { return nil }
        let rest = bytes[5...]
        if rest.first == UInt8(ascii: "Q"), rest.count == 2, let q = parseDigits(rest.dropFirst()), (1...4).contains(q) {
            return .quarter(year, q)
        }
        if rest.first == UInt8(ascii: "W"), rest.count == 3, let w = parseDigits(rest.dropFirst()),
           w >= 1, w <= CivilDate.isoWeeksInYear(year) {
            return .week(year, w)
        }
        if rest.count == 2, let m = parseDigits(rest), (1...12).contains(m) { return .month(year, m) }
        return nil
    }
}

func pad2(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }

func parseDigits(_ bytes: ArraySlice<UInt8>) -> Int64? {
    guard !bytes.isEmpty else { return nil }
    var v: Int64 = 0
    for b in bytes {
        guard b >= 48, b <= 57 else { return nil }
        v = v * 10 + Int64(b - 48)
    }
    return v
}

/// Floor division (rounds toward negative infinity).
public func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
}

/// Modulo with the sign of the divisor.
public func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
