import TallyCore
import Foundation

/// Writes tables as RFC 4180 CSV or TSV, column type by column type: integers and dates as digits,
/// strings from their dictionary entries quoted once, without a boxed value per cell.
public enum CSVWriter {
    /// The whole table as CSV text with a header row. Nulls are empty; empty strings are `""`.
    public static func write(_ table: Table, delimiter: Character = ",", header: Bool = true) -> String {
        String(decoding: bytes(table, delimiter: delimiter, header: header), as: UTF8.self)
    }

    /// The same text as UTF-8 bytes (without the header line when `header` is false: a later batch of the same rows).
    public static func bytes(_ table: Table, delimiter: Character = ",", header: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(table.rowCount * table.columns.count * 8)
        var rows = RowWriter(table, delimiter: delimiter)
        if header { rows.header(into: &out) }
        rows.append(0..<table.rowCount, into: &out)
        return out
    }

    /// The same text written to a file a block of rows at a time, so that a table of any size needs no more memory for its
    /// text than one block.
    public static func write(_ table: Table, to file: FileHandle, delimiter: Character = ",", rowsPerBlock: Int = 1 << 16) throws {
        var rows = RowWriter(table, delimiter: delimiter)
        var out: [UInt8] = []
        rows.header(into: &out)
        var start = 0
        repeat {
            let end = min(table.rowCount, start + rowsPerBlock)
            rows.append(start..<end, into: &out)
            try file.write(contentsOf: out)
            out.removeAll(keepingCapacity: true)
            start = end
        } while start < table.rowCount
    }

    /// Writes a table's rows as text, with what every row shares (dictionary entries, dates seen) prepared once.
    struct RowWriter {
        let table: Table
        let delimiter: Character
        let d: UInt8
        /// Per column, the quoted text of each dictionary entry (strings only).
        let entries: [[[UInt8]]]
        var dateCache: [Int64: [UInt8]] = [:]

        init(_ table: Table, delimiter: Character) {
            self.table = table
            self.delimiter = delimiter
            d = UInt8(ascii: delimiter.unicodeScalars.first!)
            entries = table.columns.map { c in
                switch c.type {
                case .string: return c.dictionary.map { Array(($0.isEmpty ? "\"\"" : quote($0, delimiter)).utf8) }
                default: return []
                }
            }
        }

        func header(into out: inout [UInt8]) {
            out += Array(table.names.map { quote($0, delimiter) }.joined(separator: String(delimiter)).utf8)
            out.append(10)
        }

        mutating func append(_ rows: Range<Int>, into out: inout [UInt8]) {
            for r in rows {
                for (k, c) in table.columns.enumerated() {
                    if k > 0 { out.append(d) }
                    if c.isNull(r) { continue }
                    switch c.type {
                    case .int: appendInteger(c.ints[r], to: &out)
                    case .float: appendFloat(c.floats[r], to: &out)
                    case .string: out += entries[k][Int(c.codes[r])]
                    case .bool: out += Array((c.ints[r] != 0 ? "true" : "false").utf8)
                    case .date:
                        let day = c.ints[r]
                        if let cached = dateCache[day] { out += cached } else {
                            let text = Array(CivilDate.format(day).utf8)
                            dateCache[day] = text
                            out += text
                        }
                    case .period: out += Array(Period(encoded: c.ints[r]).description.utf8)
                    case .null: break
                    }
                }
                out.append(10)
            }
        }
    }

    static func appendInteger(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(45) }
        appendDigits(v.magnitude, to: &out)
    }

    static func appendDigits(_ value: UInt64, to out: inout [UInt8]) {
        if value == 0 { out.append(48); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var x = value, n = 0
            while x > 0 { buf[n] = UInt8(48 + x % 10); x /= 10; n += 1 }
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(buf[k]) }
        }
    }

    /// The same text as ``formatFloat``; values that are whole cents (prices, amounts) without a
    /// `String` on the way.
    static func appendFloat(_ v: Double, to out: inout [UInt8]) {
        let cents = (v * 100).rounded()
        guard v.isFinite, abs(v) < 1e13, cents / 100 == v else { out += Array(formatFloat(v).utf8); return }
        let c = Int64(cents)
        if c < 0 { out.append(45) }
        let m = c.magnitude
        appendDigits(m / 100, to: &out)
        out.append(46)
        let frac = m % 100
        if frac == 0 { out.append(48); return }
        out.append(UInt8(48 + frac / 10))
        if frac % 10 != 0 { out.append(UInt8(48 + frac % 10)) }
    }

    static func quote(_ s: String, _ delimiter: Character) -> String {
        if s.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
