import Dispatch
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

    /// Reads a file, or a folder of part files (`name/*.parquet`, one table whose row groups are all the parts').
    public static func read(path: String) throws -> Table {
        var isFolder: ObjCBool = false
        var paths = [path]
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            let parts = (try? FileManager.default.contentsOfDirectory(atPath: path))?.filter { $0.lowercased().hasSuffix(".parquet") }.sorted() ?? []
            guard !parts.isEmpty else { throw ParquetError(file: path, message: "the folder holds no .parquet files") }
            paths = parts.map { "\(path)/\($0)" }
        }
        let files = try paths.map { p -> MappedFile in
            var info = stat()
            if stat(p, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
                throw ParquetError(file: p, message: "not a regular file; only regular Parquet files load")
            }
            guard let file = MappedFile(path: p) else { throw ParquetError(file: p, message: "cannot read file: no such file or not readable") }
            return file
        }
        return try withExtendedLifetime(files) {
            let parts = try zip(paths, files).map { p, f in
                do { return try Part(f.bytes) } catch let fault as ParquetFault { throw ParquetError(file: p, message: fault.message) }
            }
            for (p, part) in zip(paths, parts) where part.leaves != parts[0].leaves {
                throw ParquetError(file: p, message: "its columns differ from those of `\(paths[0])`")
            }
            do { return try table(parts) } catch let fault as ParquetFault { throw ParquetError(file: path, message: fault.message) }
        }
    }

    /// Parses the bytes of a whole Parquet file; `file` names it in errors.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> Table {
        do {
            return try table([try Part(bytes)])
        } catch let fault as ParquetFault {
            throw ParquetError(file: file, message: fault.message)
        }
    }

    /// One file's bytes with its footer read.
    struct Part {
        let bytes: UnsafeBufferPointer<UInt8>
        let meta: ParquetFormat.FileMetaData
        let leaves: [ParquetColumnBuilder.Leaf]

        init(_ b: UnsafeBufferPointer<UInt8>) throws {
            let magic: [UInt8] = Array("PAR1".utf8)
            guard b.count >= 12 else { throw ParquetFault("too short to be a Parquet file (\(b.count) bytes)") }
            guard Array(b[0..<4]) == magic else { throw ParquetFault("not a Parquet file (it does not start with PAR1)") }
            guard Array(b[(b.count - 4)...]) == magic else { throw ParquetFault("the file is truncated or damaged (it does not end with PAR1)") }
            let footerLength = (0..<4).reduce(0) { $0 | Int(b[b.count - 8 + $1]) << (8 * $1) }
            guard footerLength > 0, footerLength <= b.count - 12 else { throw ParquetFault("the footer length \(footerLength) does not fit the file") }
            var reader = ThriftReader(UnsafeBufferPointer(rebasing: b[(b.count - 8 - footerLength)..<(b.count - 8)]))
            bytes = b
            meta = try ParquetFormat.FileMetaData(try reader.fields())
            leaves = try ParquetReader.flatColumns(meta.schema)
            for g in meta.rowGroups where g.rowCount < 0 || g.columns.count != leaves.count {
                throw ParquetFault("a row group does not match the schema")
            }
        }
    }

    /// The table of the row groups of every part, each column decoded on its own core.
    static func table(_ parts: [Part]) throws -> Table {
        let groups = parts.flatMap { part in part.meta.rowGroups.map { (part.bytes, $0) } }
        let totalRows = try groups.reduce(0) { sum, g in
            let (s, over) = sum.addingReportingOverflow(Int(g.1.rowCount))
            guard !over, s <= maxRows else { throw ParquetFault("more than \(maxRows) rows") }
            return s
        }
        let leaves = parts[0].leaves
        // A footer can claim any number of rows and a run-length page can expand a few bytes into them: refuse a
        // table that would not fit in memory before allocating it.
        let (bytes, over) = (totalRows * 9).multipliedReportingOverflow(by: max(leaves.count, 1))
        let memory = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        guard !over, bytes <= memory / 10 * 8 else {
            throw ParquetFault("\(totalRows) rows × \(leaves.count) columns would not fit in memory (\(memory >> 30) GiB)")
        }
        var results = [Result<Column, Error>](repeating: .failure(ParquetFault("")), count: leaves.count)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: leaves.count) { c in
                out[c] = Result {
                    var builder = ParquetColumnBuilder(leaves[c], rowCount: totalRows)
                    for (bytes, group) in groups {
                        do {
                            try builder.read(group.columns[c], rows: Int(group.rowCount), in: bytes)
                        } catch let fault as ParquetFault {
                            throw ParquetFault("column `\(leaves[c].name)`: \(fault.message)")
                        }
                    }
                    return builder.finish()
                }
            }
        }
        var columns = try results.map { try $0.get() }
        let periods = Set(parts[0].meta.keyValues[ParquetWriter.periodColumnsKey]?.split(separator: "\n").map(String.init) ?? [])
        for (k, leaf) in leaves.enumerated() where periods.contains(leaf.name) { columns[k] = asPeriods(columns[k]) }
        return Table(names: leaves.map(\.name), columns: columns, rowCount: totalRows)
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
