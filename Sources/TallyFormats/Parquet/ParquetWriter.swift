import TallyCore
import Foundation

/// Writes a ``Table`` as a Parquet file that DuckDB, Polars and pyarrow read: every column OPTIONAL, row groups of up to
/// ``rowGroupSize`` rows with one data page (v1) per column each; strings dictionary-encoded (a PLAIN dictionary page
/// and RLE_DICTIONARY indices), everything else PLAIN. Ints are INT64, floats DOUBLE, bools BOOLEAN, dates INT32 DATE,
/// strings BYTE_ARRAY STRING; periods are written as their text (`2025-11`), as Parquet has no period type, and named in
/// the footer's key-value metadata so that Tally reads them back as periods.
public enum ParquetWriter {
    /// The page compressions Tally writes.
    public enum Compression: String, CaseIterable, Sendable {
        case none, snappy, zstd

        var codec: ParquetFormat.Codec {
            switch self {
            case .none: return .uncompressed
            case .snappy: return .snappy
            case .zstd: return .zstd
            }
        }
    }

    static let rowGroupSize = 1 << 20

    /// Writes `table` to `path` (through a temporary file, renamed when complete).
    public static func write(_ table: Table, to path: String, compression: Compression = .snappy) throws {
        let bytes: [UInt8]
        do {
            bytes = try self.bytes(table, compression: compression)
        } catch let fault as ParquetFault {
            throw ParquetError(file: path, message: fault.message)
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ParquetError(file: path, message: "cannot write: \(error.localizedDescription)")
        }
    }

    /// The file's bytes.
    package static func bytes(_ table: Table, compression: Compression = .snappy, rowsPerGroup: Int = rowGroupSize) throws -> [UInt8] {
        var out = Array("PAR1".utf8)
        var groups: [(rows: Int, chunks: [ChunkMeta])] = []
        var start = 0
        repeat {
            let rows = min(rowsPerGroup, table.rowCount - start)
            let range = start..<start + rows
            var chunks: [ChunkMeta] = []
            for (name, column) in zip(table.names, table.columns) {
                chunks.append(try writeChunk(column, name: name, rows: range, compression: compression, into: &out))
            }
            groups.append((rows, chunks))
            start += rows
        } while start < table.rowCount
        var footer = ThriftWriter()
        footer.i32(1, 1)
        footer.structs(2, [nil] + zip(table.names, table.columns).map { Optional($0) }) { w, leaf in
            guard let (name, column) = leaf else {
                w.string(4, "schema")
                w.i32(5, Int64(table.columns.count))
                return
            }
            let kind = Kind(column.type)
            w.i32(1, kind.physical.rawValue)
            w.i32(3, 1)
            w.string(4, name)
            if kind == .string || kind == .date {
                w.i32(6, kind == .string ? 0 : 6)
                w.structure(10) { l in l.structure(kind == .string ? 1 : 6) { _ in } }
            }
        }
        footer.i64(3, Int64(table.rowCount))
        footer.structs(4, groups) { w, group in
            w.structs(1, group.chunks) { c, chunk in
                c.i64(2, chunk.offset)
                c.structure(3) { m in
                    m.i32(1, chunk.kind.physical.rawValue)
                    m.i32s(2, chunk.dictionaryOffset == nil ? [0, 3] : [0, 3, 8])
                    m.strings(3, [chunk.name])
                    m.i32(4, compression.codec.rawValue)
                    m.i64(5, Int64(group.rows))
                    m.i64(6, chunk.uncompressed)
                    m.i64(7, chunk.compressed)
                    m.i64(9, chunk.dataOffset)
                    if let d = chunk.dictionaryOffset { m.i64(11, d) }
                    m.structure(12) { st in
                        st.i64(3, chunk.nullCount)
                        if let (low, high) = chunk.bounds {
                            st.binary(5, high)
                            st.binary(6, low)
                        }
                    }
                }
            }
            w.i64(2, group.chunks.reduce(0) { $0 + $1.uncompressed })
            w.i64(3, Int64(group.rows))
        }
        let periods = zip(table.names, table.columns).filter { $0.1.type == .period }.map(\.0)
        if !periods.isEmpty {
            footer.structs(5, [periods]) { w, names in
                w.string(1, ParquetWriter.periodColumnsKey)
                w.string(2, names.joined(separator: "\n"))
            }
        }
        footer.string(6, "tally \(ParquetWriter.version)")
        footer.stop()
        out += footer.bytes
        let n = UInt32(footer.bytes.count)
        out += (0..<4).map { UInt8(truncatingIfNeeded: n >> (8 * UInt32($0))) }
        out += Array("PAR1".utf8)
        return out
    }

    /// The footer key naming the string columns that hold Tally periods (one name per line), so they load as periods.
    static let periodColumnsKey = "tally.period_columns"

    /// The writer's name in the footer's `created_by`.
    static let version = "0.5"

    /// How a Tally type is stored.
    enum Kind: Equatable {
        case int, float, bool, date, string

        init(_ type: DataType) {
            switch type {
            case .float: self = .float
            case .bool: self = .bool
            case .date: self = .date
            case .string, .period: self = .string
            case .int, .null: self = .int
            }
        }

        var physical: ParquetFormat.PhysicalType {
            switch self {
            case .int: return .int64
            case .float: return .double
            case .bool: return .boolean
            case .date: return .int32
            case .string: return .byteArray
            }
        }
    }

    struct ChunkMeta {
        let name: String
        let kind: Kind
        let offset: Int64
        let dataOffset: Int64
        let dictionaryOffset: Int64?
        let uncompressed: Int64
        let compressed: Int64
        let nullCount: Int64
        /// The smallest and largest value present, as Parquet's statistics store them (none for booleans and periods).
        let bounds: (low: [UInt8], high: [UInt8])?
    }

    /// The statistics' smallest and largest present value of rows of a column: little-endian numbers, UTF-8 strings.
    static func bounds(_ column: Column, _ present: [Int], _ kind: Kind) -> (low: [UInt8], high: [UInt8])? {
        func bytes(_ v: UInt64, _ n: Int) -> [UInt8] {
            var out: [UInt8] = []
            appendLittleEndian(v, bytes: n, to: &out)
            return out
        }
        switch kind {
        case .int, .date:
            guard column.type != .null, let lo = present.lazy.map({ column.ints[$0] }).min(), let hi = present.lazy.map({ column.ints[$0] }).max() else {
                return nil
            }
            let n = kind == .int ? 8 : 4
            return (bytes(UInt64(bitPattern: lo), n), bytes(UInt64(bitPattern: hi), n))
        case .float:
            let values = present.lazy.map { column.floats[$0] }.filter { !$0.isNaN }
            guard let lo = values.min(), let hi = values.max() else { return nil }
            return (bytes(lo.bitPattern, 8), bytes(hi.bitPattern, 8))
        case .string:
            guard column.type == .string else { return nil }
            let used = Set(present.map { column.codes[$0] }).map { Array(column.dictionary[Int($0)].utf8) }
            guard let lo = used.min(by: { $0.lexicographicallyPrecedes($1) }), let hi = used.max(by: { $0.lexicographicallyPrecedes($1) }) else {
                return nil
            }
            return (lo, hi)
        case .bool:
            return nil
        }
    }

    static func writeChunk(_ column: Column, name: String, rows: Range<Int>, compression: Compression, into out: inout [UInt8]) throws -> ChunkMeta {
        let kind = Kind(column.type)
        var uncompressed: Int64 = 0, compressed: Int64 = 0
        var dictionaryOffset: Int64? = nil
        var levels: [UInt8] = []
        if column.validity != nil || column.type == .null {
            var bits: [UInt32] = []
            bits.reserveCapacity(rows.count)
            for r in rows { bits.append(column.isNull(r) || column.type == .null ? 0 : 1) }
            var encoded: [UInt8] = []
            ParquetEncodings.encodeHybrid(bits, bitWidth: 1, into: &encoded)
            let n = UInt32(encoded.count)
            levels = (0..<4).map { UInt8(truncatingIfNeeded: n >> (8 * UInt32($0))) } + encoded
        } else {
            // Every row present: a single run of level 1.
            var encoded: [UInt8] = []
            ParquetEncodings.encodeHybrid([UInt32](repeating: 1, count: rows.count), bitWidth: 1, into: &encoded)
            let n = UInt32(encoded.count)
            levels = (0..<4).map { UInt8(truncatingIfNeeded: n >> (8 * UInt32($0))) } + encoded
        }
        let present = rows.filter { !column.isNull($0) && column.type != .null }
        var values: [UInt8] = []
        var encoding = ParquetFormat.Encoding.plain
        switch kind {
        case .int:
            values.reserveCapacity(8 * present.count)
            for r in present { appendLittleEndian(UInt64(bitPattern: column.type == .null ? 0 : column.ints[r]), bytes: 8, to: &values) }
        case .date:
            for r in present {
                guard let day = Int32(exactly: column.ints[r]) else { throw ParquetFault("column `\(name)`: a date is outside Parquet's range") }
                appendLittleEndian(UInt64(UInt32(bitPattern: day)), bytes: 4, to: &values)
            }
        case .float:
            values.reserveCapacity(8 * present.count)
            for r in present { appendLittleEndian(column.floats[r].bitPattern, bytes: 8, to: &values) }
        case .bool:
            values = [UInt8](repeating: 0, count: (present.count + 7) / 8)
            for (k, r) in present.enumerated() where column.ints[r] != 0 { values[k >> 3] |= 1 << UInt8(k & 7) }
        case .string:
            // The dictionary page holds the entries this row group uses, in first-use order.
            var entryOfCode: [Int64: UInt32] = [:]
            var entries: [String] = []
            var indices: [UInt32] = []
            indices.reserveCapacity(present.count)
            for r in present {
                let code = column.type == .period ? column.ints[r] : Int64(column.codes[r])
                if let e = entryOfCode[code] { indices.append(e); continue }
                let e = UInt32(entries.count)
                entryOfCode[code] = e
                entries.append(column.type == .period ? column.value(at: r).text : column.dictionary[Int(column.codes[r])])
                indices.append(e)
            }
            var dictionary: [UInt8] = []
            for s in entries {
                appendLittleEndian(UInt64(s.utf8.count), bytes: 4, to: &dictionary)
                dictionary += Array(s.utf8)
            }
            dictionaryOffset = Int64(out.count)
            let (u, c) = try page(dictionary, header: { h in
                h.structure(7) { d in
                    d.i32(1, Int64(entries.count))
                    d.i32(2, ParquetFormat.Encoding.plain.rawValue)
                }
            }, type: .dictionary, compression: compression, into: &out)
            uncompressed += u
            compressed += c
            let width = max(1, Int.bitWidth - max(entries.count - 1, 0).leadingZeroBitCount)
            values = [UInt8(width)]
            ParquetEncodings.encodeHybrid(indices, bitWidth: width, into: &values)
            encoding = .rleDictionary
        }
        let dataOffset = Int64(out.count)
        let (u, c) = try page(levels + values, header: { h in
            h.structure(5) { d in
                d.i32(1, Int64(rows.count))
                d.i32(2, encoding.rawValue)
                d.i32(3, ParquetFormat.Encoding.rle.rawValue)
                d.i32(4, ParquetFormat.Encoding.rle.rawValue)
            }
        }, type: .data, compression: compression, into: &out)
        return ChunkMeta(name: name, kind: kind, offset: dictionaryOffset ?? dataOffset, dataOffset: dataOffset, dictionaryOffset: dictionaryOffset,
                         uncompressed: uncompressed + u, compressed: compressed + c, nullCount: Int64(rows.count - present.count),
                         bounds: bounds(column, present, kind))
    }

    /// Appends one page (header and compressed body); returns its uncompressed and compressed sizes with the header.
    static func page(_ body: [UInt8], header: (inout ThriftWriter) -> Void, type: ParquetFormat.PageType, compression: Compression,
                     into out: inout [UInt8]) throws -> (Int64, Int64) {
        let packed = try ParquetCodec.compress(body, codec: compression.codec)
        guard let size = Int32(exactly: body.count), Int32(exactly: packed.count) != nil else {
            throw ParquetFault("a page would be larger than 2 GiB")
        }
        var h = ThriftWriter()
        h.i32(1, type.rawValue)
        h.i32(2, Int64(size))
        h.i32(3, Int64(packed.count))
        header(&h)
        h.stop()
        out += h.bytes
        out += packed
        return (Int64(h.bytes.count + body.count), Int64(h.bytes.count + packed.count))
    }

    static func appendLittleEndian(_ v: UInt64, bytes: Int, to out: inout [UInt8]) {
        for k in 0..<bytes { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }
}
