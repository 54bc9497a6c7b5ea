import Foundation

/// A problem in a CSV file, with the 1-based line and column where it starts.
public struct CSVError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): error: \(message)" : "\(file): error: \(message)"
    }
}

/// Reads RFC 4180 CSV (or TSV) with a header row into a typed ``Table``.
///
/// Types are inferred per column (int, float, bool, date, period, string); an empty field is null;
/// a column mixing int and float becomes float, any other mix becomes string.
public struct CSVReader {
    public let delimiter: UInt8

    public init(delimiter: UInt8 = UInt8(ascii: ",")) { self.delimiter = delimiter }

    /// Reads a file; the delimiter is a tab for `.tsv` files.
    public static func read(path: String) throws -> Table {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CSVError(file: path, line: 0, column: 0, message: "cannot read file `\(path)`: no such file or not readable")
        }
        let reader = CSVReader(delimiter: path.lowercased().hasSuffix(".tsv") ? 9 : UInt8(ascii: ","))
        return try reader.parse([UInt8](data), file: path)
    }

    /// Parses CSV bytes; `file` names the source in errors.
    public func parse(_ bytes: [UInt8], file: String) throws -> Table {
        if let bad = firstInvalidUTF8(bytes) {
            let (line, col) = position(of: bad, in: bytes)
            throw CSVError(file: file, line: line, column: col, message: "invalid UTF-8 byte 0x\(String(bytes[bad], radix: 16))")
        }
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var fields = FieldScanner(bytes: bytes, delimiter: delimiter, offset: start, file: file)
        guard let header = try fields.nextRecord() else {
            throw CSVError(file: file, line: 1, column: 1, message: "empty file: a header row is needed")
        }
        let names = header.map { fields.text($0) }
        var seen = Set<String>()
        for (i, n) in names.enumerated() {
            if n.isEmpty { throw CSVError(file: file, line: 1, column: header[i].column, message: "column \(i + 1) has an empty name in the header") }
            if !seen.insert(n).inserted { throw CSVError(file: file, line: 1, column: header[i].column, message: "duplicate column name `\(n)` in the header") }
        }
        var cells = Array(repeating: [Field](), count: names.count)
        while let record = try fields.nextRecord() {
            if record.count == 1 && record[0].isEmpty && names.count > 1 { continue }
            guard record.count == names.count else {
                let col = record.count > names.count ? record[names.count].column : (record.last.map { $0.column + $0.length } ?? 1)
                throw CSVError(file: file, line: record[0].line, column: col,
                               message: "row has \(record.count) fields, the header has \(names.count)")
            }
            for (i, f) in record.enumerated() { cells[i].append(f) }
        }
        var columns: [Column] = []
        for i in 0..<names.count {
            columns.append(buildColumn(cells[i], scanner: fields))
        }
        return Table(names: names, columns: columns, rowCount: cells.first?.count ?? 0)
    }

    private func buildColumn(_ cells: [Field], scanner: FieldScanner) -> Column {
        var type: DataType = .null
        for f in cells where !f.isEmpty {
            let t = f.quoted ? DataType.string : classify(scanner.bytes, f)
            type = widen(type, t)
            if type == .string { break }
        }
        if type == .null { type = .string }
        var b = ColumnBuilder(type: type, capacity: cells.count)
        for f in cells {
            if f.isEmpty && !f.quoted { b.appendNull(); continue }
            let slice = scanner.bytes[f.start..<(f.start + f.length)]
            switch type {
            case .int: b.append(int: parseInt(slice) ?? 0)
            case .float: b.append(float: parseDouble(slice) ?? 0)
            case .bool: b.append(int: slice.first == UInt8(ascii: "t") || slice.first == UInt8(ascii: "T") ? 1 : 0)
            case .date: b.append(int: CivilDate.parse(Substring(decoding: slice, as: UTF8.self)) ?? 0)
            case .period: b.append(int: Period.parse(Substring(decoding: slice, as: UTF8.self))?.encoded ?? 0)
            default: b.append(string: scanner.text(f))
            }
        }
        return b.finish()
    }

    private func widen(_ a: DataType, _ b: DataType) -> DataType {
        if a == .null { return b }
        if a == b { return a }
        if (a == .int && b == .float) || (a == .float && b == .int) { return .float }
        if a == .period && b == .int || a == .int && b == .period { return .string }
        return .string
    }

    private func classify(_ bytes: [UInt8], _ f: Field) -> DataType {
        let s = bytes[f.start..<(f.start + f.length)]
        if parseInt(s) != nil { return .int }
        if parseDouble(s) != nil { return .float }
        let text = Substring(decoding: s, as: UTF8.self)
        if text == "true" || text == "false" || text == "TRUE" || text == "FALSE" { return .bool }
        if CivilDate.parse(text) != nil { return .date }
        if s.count > 4, Period.parse(text) != nil { return .period }
        return .string
    }
}

/// Parses an optionally signed decimal integer that fits in 64 bits.
func parseInt(_ s: ArraySlice<UInt8>) -> Int64? {
    var i = s.startIndex
    var negative = false
    if i < s.endIndex, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { negative = s[i] == UInt8(ascii: "-"); i += 1 }
    guard i < s.endIndex, s.endIndex - i <= 19 else { return nil }
    var v: Int64 = 0
    while i < s.endIndex {
        let d = s[i] &- 48
        guard d < 10 else { return nil }
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int64(d))
        if o1 || o2 { return nil }
        v = a
        i += 1
    }
    return negative ? -v : v
}

/// Parses a decimal number such as `12.5`, `-3`, `1e6`; rejects `inf`, `nan` and hex.
func parseDouble(_ s: ArraySlice<UInt8>) -> Double? {
    guard let first = s.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") || (first >= 48 && first <= 57) else { return nil }
    for b in s where !(b >= 48 && b <= 57) && b != UInt8(ascii: ".") && b != UInt8(ascii: "e") && b != UInt8(ascii: "E") && b != UInt8(ascii: "-") && b != UInt8(ascii: "+") {
        return nil
    }
    return Double(String(decoding: s, as: UTF8.self))
}

/// One field's place in the file.
struct Field {
    var start: Int
    var length: Int
    var quoted: Bool
    var hasEscapedQuote: Bool
    var line: Int
    var column: Int
    var isEmpty: Bool { length == 0 }
}

/// Splits CSV bytes into records of fields without copying them.
struct FieldScanner {
    let bytes: [UInt8]
    let delimiter: UInt8
    var offset: Int
    let file: String
    var line = 1
    var lineStart = 0

    init(bytes: [UInt8], delimiter: UInt8, offset: Int, file: String) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.offset = offset
        self.file = file
        lineStart = offset
    }

    /// The text of a field, with doubled quotes undone.
    func text(_ f: Field) -> String {
        let s = String(decoding: bytes[f.start..<(f.start + f.length)], as: UTF8.self)
        return f.hasEscapedQuote ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    /// The next record, or nil at the end of the input.
    mutating func nextRecord() throws -> [Field]? {
        guard offset < bytes.count else { return nil }
        var record: [Field] = []
        while true {
            let fieldLine = line
            let fieldColumn = offset - lineStart + 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") {
                let openLine = line, openCol = fieldColumn
                offset += 1
                let start = offset
                var escaped = false
                while true {
                    guard offset < bytes.count else {
                        throw CSVError(file: file, line: openLine, column: openCol, message: "unterminated quoted field (opened here)")
                    }
                    let b = bytes[offset]
                    if b == UInt8(ascii: "\"") {
                        if offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "\"") { escaped = true; offset += 2; continue }
                        break
                    }
                    if b == 10 { line += 1; lineStart = offset + 1 }
                    offset += 1
                }
                record.append(Field(start: start, length: offset - start, quoted: true, hasEscapedQuote: escaped, line: fieldLine, column: fieldColumn))
                offset += 1
                if offset < bytes.count, bytes[offset] != delimiter, bytes[offset] != 10, bytes[offset] != 13 {
                    throw CSVError(file: file, line: line, column: offset - lineStart + 1, message: "unexpected character after a closing quote")
                }
            } else {
                let start = offset
                while offset < bytes.count, bytes[offset] != delimiter, bytes[offset] != 10, bytes[offset] != 13 {
                    offset += 1
                }
                record.append(Field(start: start, length: offset - start, quoted: false, hasEscapedQuote: false, line: fieldLine, column: fieldColumn))
            }
            if offset >= bytes.count { return record }
            if bytes[offset] == delimiter { offset += 1; continue }
            if bytes[offset] == 13 { offset += 1 }
            if offset < bytes.count, bytes[offset] == 10 { offset += 1 }
            line += 1
            lineStart = offset
            return record
        }
    }
}

/// The offset of the first byte that breaks UTF-8, if any.
func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var i = 0
    let n = bytes.count
    while i < n {
        let b = bytes[i]
        if b < 0x80 { i += 1; continue }
        let len: Int
        if b & 0xE0 == 0xC0, b >= 0xC2 { len = 2 } else if b & 0xF0 == 0xE0 { len = 3 } else if b & 0xF8 == 0xF0, b <= 0xF4 { len = 4 } else { return i }
        guard i + len <= n else { return i }
        for k in 1..<len where bytes[i + k] & 0xC0 != 0x80 { return i }
        i += len
    }
    return nil
}

/// 1-based line and column (in characters) of a byte offset.
func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
    var line = 1, col = 1
    for i in 0..<offset {
        if bytes[i] == 10 { line += 1; col = 1 } else if bytes[i] & 0xC0 != 0x80 { col += 1 }
    }
    return (line, col)
}
