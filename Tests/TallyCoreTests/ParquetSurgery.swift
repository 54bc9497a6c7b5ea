@testable import TallyFormats

/// A Parquet file damaged as a faulty copy or a hostile writer would: its footer parsed, changed and written back, or
/// the bytes of a page changed. Integers are written back as Thrift i64, which a compact-protocol reader takes for any
/// integer field (Tally's does; a reader that checks field types would refuse the file for that alone).
struct ParquetSurgery {
    /// The file up to its footer.
    var body: [UInt8]
    /// The footer's FileMetaData: 3 is num_rows, 4 the row groups.
    var footer: [Int16: ThriftValue]

    init(_ file: [UInt8]) throws {
        let length = (0..<4).reduce(0) { $0 | Int(file[file.count - 8 + $1]) << (8 * $1) }
        let start = file.count - 8 - length
        body = Array(file[..<start])
        footer = try Array(file[start..<file.count - 8]).withUnsafeBufferPointer { b in
            var reader = ThriftReader(b)
            return try reader.fields()
        }
    }

    /// The damaged file.
    var file: [UInt8] {
        var encoded: [UInt8] = []
        ParquetSurgery.encode(fields: footer, into: &encoded)
        let length = (0..<4).map { UInt8(truncatingIfNeeded: encoded.count >> (8 * $0)) }
        return body + encoded + length + Array("PAR1".utf8)
    }

    /// Changes row group `group` (1 is its columns, 3 its num_rows).
    mutating func rowGroup(_ group: Int, _ change: (inout [Int16: ThriftValue]) -> Void) {
        var groups = footer[4]!.list!
        var fields = groups[group].fields!
        change(&fields)
        groups[group] = .fields(fields)
        footer[4] = .list(groups)
    }

    /// Changes a column chunk's metadata (5 num_values, 7 total_compressed_size, 9 data_page_offset,
    /// 11 dictionary_page_offset).
    mutating func chunk(group: Int, column: Int, _ change: (inout [Int16: ThriftValue]) -> Void) {
        rowGroup(group) { g in
            var columns = g[1]!.list!
            var chunk = columns[column].fields!
            var meta = chunk[3]!.fields!
            change(&meta)
            chunk[3] = .fields(meta)
            columns[column] = .fields(chunk)
            g[1] = .list(columns)
        }
    }

    /// A chunk's metadata field.
    func chunkField(group: Int, column: Int, _ id: Int16) -> ThriftValue? {
        footer[4]!.list![group].fields![1]!.list![column].fields![3]!.fields![id]
    }

    private static func encode(fields: [Int16: ThriftValue], into out: inout [UInt8]) {
        var last: Int16 = 0
        for id in fields.keys.sorted() {
            let value = fields[id]!
            let type: UInt8 = if case .bool(let b) = value { b ? 1 : 2 } else { typeCode(value) }
            if id > last, id - last <= 15 {
                out.append(UInt8(id - last) << 4 | type)
            } else {
                out.append(type)
                varint(UInt64(id) << 1, into: &out)
            }
            last = id
            if case .bool = value { continue }
            encode(value, into: &out)
        }
        out.append(0)
    }

    private static func typeCode(_ value: ThriftValue) -> UInt8 {
        switch value {
        case .bool: 1
        case .int: 6
        case .double: 7
        case .binary: 8
        case .list: 9
        case .fields: 12
        }
    }

    private static func encode(_ value: ThriftValue, into out: inout [UInt8]) {
        switch value {
        case .bool(let b): out.append(b ? 1 : 2)
        case .int(let v): varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)), into: &out)
        case .double(let d): out += (0..<8).map { UInt8(truncatingIfNeeded: d.bitPattern >> (8 * UInt64($0))) }
        case .binary(let b):
            varint(UInt64(b.count), into: &out)
            out += b
        case .list(let items):
            let element = items.first.map(typeCode) ?? 6
            if items.count < 15 {
                out.append(UInt8(items.count) << 4 | element)
            } else {
                out.append(0xF0 | element)
                varint(UInt64(items.count), into: &out)
            }
            for item in items { encode(item, into: &out) }
        case .fields(let f): encode(fields: f, into: &out)
        }
    }

    private static func varint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
