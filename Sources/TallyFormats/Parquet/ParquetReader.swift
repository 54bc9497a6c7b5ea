import TallyCore
import Foundation

/// Reads Parquet files (as DuckDB, Polars, pyarrow and Spark write them) into a ``Table``: flat columns of the
/// physical types BOOLEAN, INT32, INT64, INT96, FLOAT, DOUBLE, BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY (decimals), with the
/// encodings PLAIN, dictionary, RLE, DELTA_* and BYTE_STREAM_SPLIT, data pages v1 and v2, uncompressed or compressed
/// with Snappy, GZIP or ZSTD, over any number of row groups. Columns are decoded in parallel.
///
/// Types: strings stay strings; DATE is a date; TIMESTAMP (and INT96) becomes the date it falls on (Tally has no time
/// of day); DECIMAL becomes a float; unsigned integers above Int64's range are an error. Nested columns (lists,
/// structs, maps) are refused, naming the column.
public enum ParquetReader {
    /// Tables hold at most this many rows (row positions are 32-bit).
    static let maxRows = Int(Int32.max)

    /// Reads a file, or a folder of part files (`name/*.parquet`, one table whose row groups are all the parts'), whole.
    /// ``ParquetTable`` reads only the columns and row groups a query needs.
    public static func read(path: String) throws -> Table {
        let table = try ParquetTable(path: path)
        return try table.read(Array(table.names.indices))
    }

    /// Parses the bytes of a whole Parquet file; `file` names it in errors.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> Table {
        let part: ParquetPart
        do {
            part = try ParquetPart(bytes: Array(bytes), name: file)
        } catch let fault as ParquetFault {
            throw ParquetError(file: file, message: fault.message)
        }
        let table = try ParquetTable([part], path: file)
        return try table.read(Array(table.names.indices))
    }

    /// A string column of period texts as a period column; unchanged if any present value is not a period.
    static func asPeriods(_ c: Column) -> Column {
        guard c.type == .string else { return c }
        var encoded: [Int64] = []
        for text in c.dictionary {
            var s = text
            guard let p = s.withUTF8({ CSVValues.parsePeriod($0, 0, $0.count) }) else {
                // The empty entry that null rows point at need not parse.
                let code = Int32(encoded.count)
                if text.isEmpty, (0..<c.count).allSatisfy({ c.codes[$0] != code || c.isNull($0) }) {
                    encoded.append(0)
                    continue
                }
                return c
            }
            encoded.append(p.encoded)
        }
        return Column(ints: c.codes.map { encoded[Int($0)] }, type: .period, validity: c.validity)
    }

    /// The top-level columns of a schema; nested ones are refused by name.
    static func flatColumns(_ schema: [ParquetFormat.SchemaElement]) throws -> [ParquetColumnBuilder.Leaf] {
        guard let root = schema.first else { throw ParquetFault("the footer has no schema") }
        guard root.children == schema.count - 1 else {
            let nested = schema.dropFirst().first { $0.children > 0 }?.name ?? "?"
            throw ParquetFault("column `\(nested)` is nested (a list, struct or map); Tally reads flat columns only")
        }
        var names = Set<String>()
        return try schema.dropFirst().map { e in
            if e.repetition == 2 || e.meaning == .nested {
                throw ParquetFault("column `\(e.name)` is nested (a list, struct or map); Tally reads flat columns only")
            }
            guard let type = e.type else { throw ParquetFault("column `\(e.name)` has no physical type") }
            guard names.insert(e.name).inserted else { throw ParquetFault("two columns are named `\(e.name)`") }
            return try ParquetColumnBuilder.Leaf(name: e.name, physical: type, typeLength: e.typeLength, optional: e.repetition == 1, meaning: e.meaning)
        }
    }
}
