import Foundation

/// One scalar value: a literal, a parameter, or a cell read out for display.
///
/// Never used per row on a hot path; columns hold typed arrays instead.
public enum Value: Hashable, Sendable {
    case null
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case string(String)
    case date(Int64)
    case period(Period)

    public var type: DataType {
        switch self {
        case .null: return .null
        case .int: return .int
        case .float: return .float
        case .bool: return .bool
        case .string: return .string
        case .date: return .date
        case .period: return .period
        }
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The numeric value of an int or float.
    public var asDouble: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .float(let v): return v
        default: return nil
        }
    }

    /// Text as written in CSV and in `str()`: full precision, ISO dates, periods as written.
    public var text: String {
        switch self {
        case .null: return ""
        case .int(let v): return String(v)
        case .float(let v): return formatFloat(v)
        case .bool(let v): return v ? "true" : "false"
        case .string(let s): return s
        case .date(let d): return CivilDate.format(d)
        case .period(let p): return p.description
        }
    }
}

/// The shortest text that reads back as the same double; whole numbers keep `.0` so they read back as floats.
public func formatFloat(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) + ".0" }
    return "\(v)"
}

/// A number for messages: whole values without decimals, others with up to two.
public func formatNumber(_ v: Double) -> String {
    let r = (v * 100).rounded() / 100
    if r == r.rounded(), abs(r) < 1e15 { return String(Int64(r)) }
    return "\(r)"
}
