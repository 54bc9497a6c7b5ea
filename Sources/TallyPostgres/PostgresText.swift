import TallyCore

/// PostgreSQL's text format of values, both ways, and its types as Tally's.
public enum PostgresText {
    /// The Tally type of a column of this SQL type; a text column of the domain `tally_period` holds periods.
    static func type(sqlType: String, domain: String) -> DataType {
        if domain == "tally_period" { return .period }
        switch sqlType {
        case "smallint", "integer", "bigint": return .int
        case "real", "double precision": return .float
        case _ where sqlType.hasPrefix("numeric"): return .float
        case "boolean": return .bool
        case "date": return .date
        default: return .string
        }
    }

    /// A value the server sent as text, as a value of the Tally type.
    package static func value(_ text: String, as type: DataType) -> Value? {
        switch type {
        case .int:
            if let v = Int64(text) { return .int(v) }
            return Double(text).flatMap { $0.rounded() == $0 && abs($0) < 9.2e18 ? .int(Int64($0)) : nil }
        case .float:
            switch text {
            case "NaN": return .float(.nan)
            case "Infinity": return .float(.infinity)
            case "-Infinity": return .float(-.infinity)
            default: return Double(text).map { .float($0) }
            }
        case .bool: return text == "t" ? .bool(true) : text == "f" ? .bool(false) : nil
        case .string, .null: return .string(text)
        case .date: return CivilDate.parse(Substring(text)).map { .date($0) }
        case .period: return Period.parse(Substring(text)).map { .period($0) }
        }
    }

    /// A cell in COPY's text format: `\N` for null, backslash escapes for tab, newline, carriage return and backslash.
    static func copyField(_ value: Value) -> String {
        switch value {
        case .null: return "\\N"
        case .bool(let b): return b ? "t" : "f"
        case .float(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
            return "\(d)"
        default:
            var out = ""
            for ch in value.text.unicodeScalars {
                switch ch {
                case "\\": out += "\\\\"
                case "\t": out += "\\t"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                default: out.unicodeScalars.append(ch)
                }
            }
            return out
        }
    }
}
