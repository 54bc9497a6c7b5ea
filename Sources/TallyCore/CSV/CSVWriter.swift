import Foundation

/// Writes tables as RFC 4180 CSV or TSV.
public enum CSVWriter {
    /// The whole table as CSV text with a header row. Nulls are empty; empty strings are `""`.
    public static func write(_ table: Table, delimiter: Character = ",") -> String {
        var out = table.names.map { quote($0, delimiter) }.joined(separator: String(delimiter)) + "\n"
        for r in 0..<table.rowCount {
            var first = true
            for c in table.columns {
                if !first { out.append(delimiter) }
                first = false
                let v = c.value(at: r)
                if case .string(let s) = v { out += s.isEmpty ? "\"\"" : quote(s, delimiter) } else { out += v.text }
            }
            out += "\n"
        }
        return out
    }

    static func quote(_ s: String, _ delimiter: Character) -> String {
        if s.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
