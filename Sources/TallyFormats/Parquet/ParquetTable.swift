import TallyCore
import Dispatch
import Foundation
import Synchronization

/// A table in Parquet files (one file, or a folder of parts) whose columns are decoded only when a query reads them.
///
/// Opening reads the footers: names, types, row counts and each row group's statistics. A query asks for the columns
/// it uses (``read(_:bounds:)``); a column read in full is kept, so it is decoded once per session. When the query's
/// filter excludes row groups by their statistics (minimum, maximum, null count), only the other row groups are read,
/// and nothing is kept.
public final class ParquetTable: FileTable {
    /// A row group and the part it is in.
    struct Group: Sendable {
        let part: Int
        let meta: ParquetFormat.RowGroup
        var rows: Int { Int(meta.rowCount) }
    }

    /// The file or folder, for errors.
    public let path: String
    public let names: [String]
    public let types: [DataType]
    /// Whether each column may hold nulls (false only when every row group's statistics count none).
    public let mayBeNull: [Bool]
    public let rowCount: Int
    let parts: [ParquetPart]
    let groups: [Group]
    let leaves: [ParquetColumnBuilder.Leaf]
    /// Columns decoded in full, by position.
    private let decoded: Mutex<[Int: Column]>

    /// Opens a file or a folder of part files, reading their footers only (and any period columns, whose type
    /// depends on their values).
    public convenience init(path: String) throws {
        var isFolder: ObjCBool = false
        var paths = [path]
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            let parts = (try? FileManager.default.contentsOfDirectory(atPath: path))?.filter { $0.lowercased().hasSuffix(".parquet") }.sorted() ?? []
            guard !parts.isEmpty else { throw ParquetError(file: path, message: "the folder holds no .parquet files") }
            paths = parts.map { "\(path)/\($0)" }
        }
        let parts = try paths.map { try ParquetPart(path: $0) }
        for part in parts where part.leaves != parts[0].leaves {
            throw ParquetError(file: part.name, message: "its columns differ from those of `\(parts[0].name)`")
        }
        try self.init(parts, path: path)
    }

    /// Opens parts already read; `path` names them in errors.
    init(_ parts: [ParquetPart], path: String) throws {
        self.path = path
        self.parts = parts
        let leaves = parts[0].leaves, groups = parts.indices.flatMap { p in parts[p].meta.rowGroups.map { Group(part: p, meta: $0) } }
        self.leaves = leaves
        self.groups = groups
        let totalRows = try groups.reduce(0) { sum, g in
            let (s, over) = sum.addingReportingOverflow(g.rows)
            guard !over, s <= ParquetReader.maxRows else { throw ParquetError(file: path, message: "more than \(ParquetReader.maxRows) rows") }
            return s
        }
        rowCount = totalRows
        // A footer can claim any number of rows and a run-length page can expand a few bytes into them: refuse a
        // table that would not fit in memory before anything is allocated.
        let (bytes, over) = (totalRows * 9).multipliedReportingOverflow(by: max(leaves.count, 1))
        let memory = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        guard !over, bytes <= memory / 10 * 8 else {
            throw ParquetError(file: path, message: "\(totalRows) rows × \(leaves.count) columns would not fit in memory (\(memory >> 30) GiB)")
        }
        names = leaves.map(\.name)
        decoded = Mutex([:])
        let periodNames = Set(parts[0].meta.keyValues[ParquetWriter.periodColumnsKey]?.split(separator: "\n").map(String.init) ?? [])
        let periodColumns = leaves.indices.filter { periodNames.contains(leaves[$0].name) }
        let periods = try ParquetTable.decode(periodColumns, groups: Array(groups.indices), of: (parts, groups, leaves)).map(ParquetReader.asPeriods)
        var types = leaves.map(\.type)
        var mayBeNull = leaves.indices.map { c in
            leaves[c].optional && groups.contains { g in g.meta.columns[c].statistics.nullCount.map { $0 > 0 } ?? true }
        }
        for (c, values) in zip(periodColumns, periods) {
            types[c] = values.type
            mayBeNull[c] = values.validity != nil
        }
        self.types = types
        self.mayBeNull = mayBeNull
        for (c, values) in zip(periodColumns, periods) { keep(values, at: c) }
    }

    /// The columns at `positions`, of every row group that may hold a row within `bounds` (all of them without bounds).
    public func read(_ positions: [Int], bounds: [ColumnBounds] = []) throws -> Table {
        let kept = groups.indices.filter { g in bounds.allSatisfy { mayMatch(groups[g], $0) } }
        let partial = kept.count < groups.count
        let cached = decoded.withLock { $0 }
        let missing = positions.filter { cached[$0] == nil }
        var fresh: [Int: Column] = [:]
        for (c, column) in zip(missing, try ParquetTable.decode(missing, groups: kept, of: (parts, groups, leaves))) {
            fresh[c] = partial ? column : keep(column, at: c)
        }
        let rows = partial && fresh.count < positions.count ? groupRows(kept) : []
        let columns = positions.map { c in fresh[c] ?? (partial ? cached[c]!.gather(rows) : cached[c]!) }
        return Table(names: positions.map { names[$0] }, columns: columns, rowCount: kept.reduce(0) { $0 + groups[$1].rows })
    }

    /// Keeps a column decoded in full, with its zone map, and returns it.
    @discardableResult
    private func keep(_ column: Column, at position: Int) -> Column {
        var c = column
        if c.zones == nil { c.zones = ZoneMap(c) }
        decoded.withLock { $0[position] = c }
        return c
    }

    /// The table positions of the rows of these row groups.
    private func groupRows(_ kept: [Int]) -> [Int32] {
        var starts: [Int] = [], first = 0
        for g in groups { starts.append(first); first += g.rows }
        return kept.flatMap { g in (starts[g]..<starts[g] + groups[g].rows).map { Int32($0) } }
    }

    /// Decodes columns over the given row groups of a table's parts, each column on its own core.
    static func decode(_ positions: [Int], groups kept: [Int],
                       of table: (parts: [ParquetPart], groups: [Group], leaves: [ParquetColumnBuilder.Leaf])) throws -> [Column] {
        let (parts, groups, leaves) = table
        let rows = kept.reduce(0) { $0 + groups[$1].rows }
        var results = [Result<Column, Error>](repeating: .failure(ParquetFault("")), count: positions.count)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: positions.count) { k in
                out[k] = Result {
                    let c = positions[k]
                    var builder = ParquetColumnBuilder(leaves[c], rowCount: rows)
                    for g in kept {
                        let part = parts[groups[g].part], chunk = groups[g].meta.columns[c]
                        do {
                            try part.withChunk(chunk) { try builder.read(chunk, rows: groups[g].rows, bytes: $0) }
                        } catch let fault as ParquetFault {
                            throw ParquetError(file: part.name, message: "column `\(leaves[c].name)`: \(fault.message)")
                        }
                    }
                    return builder.finish()
                }
            }
        }
        return try results.map { try $0.get() }
    }

    /// The smallest and largest value of an integer or date column from every row group's statistics; nil when a row
    /// group with values has none.
    public func integerSpan(_ column: Int) -> (first: Int64, last: Int64)? {
        var first = Int64.max, last = Int64.min
        for group in groups {
            let stats = group.meta.columns[column].statistics
            if let nulls = stats.nullCount, nulls >= group.meta.rowCount { continue }
            guard let low = stats.min.flatMap({ integer($0, leaves[column]) }), let high = stats.max.flatMap({ integer($0, leaves[column]) }) else {
                return nil
            }
            first = min(first, low)
            last = max(last, high)
        }
        return first <= last ? (first, last) : nil
    }

    /// Whether a row group's statistics leave room for a row within the bounds.
    func mayMatch(_ group: Group, _ bounds: ColumnBounds) -> Bool {
        let chunk = group.meta.columns[bounds.column], leaf = leaves[bounds.column], stats = chunk.statistics
        // A comparison is never true on null, so a group of nulls only holds no match.
        if let nulls = stats.nullCount, nulls >= group.meta.rowCount { return false }
        guard types[bounds.column] == leaf.type, let low = stats.min, let high = stats.max else { return true }
        switch bounds.allowed {
        case .integers(let range):
            guard let lo = integer(low, leaf), let hi = integer(high, leaf) else { return true }
            return hi >= range.lowerBound && lo <= range.upperBound
        case .floats(let range):
            guard let lo = number(low, leaf), let hi = number(high, leaf) else { return true }
            return hi >= range.lowerBound && lo <= range.upperBound
        case .strings(let wanted):
            guard stats.ordered, leaf.physical == .byteArray, leaf.type == .string else { return true }
            return wanted.contains { s in !s.utf8.lexicographicallyPrecedes(low) && !high.lexicographicallyPrecedes(s.utf8) }
        }
    }

    /// A statistic of a signed integer or date column, as Tally stores the value.
    private func integer(_ bytes: [UInt8], _ leaf: ParquetColumnBuilder.Leaf) -> Int64? {
        guard leaf.meaning == .none || leaf.meaning == .date else { return nil }
        let raw = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        switch (leaf.physical, bytes.count) {
        case (.int32, 4): return Int64(Int32(truncatingIfNeeded: raw))
        case (.int64, 8): return Int64(bitPattern: raw)
        default: return nil
        }
    }

    /// A statistic of a number column as a float (nil for NaN, which orders nothing).
    private func number(_ bytes: [UInt8], _ leaf: ParquetColumnBuilder.Leaf) -> Double? {
        let raw = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let value: Double
        switch (leaf.physical, leaf.meaning, bytes.count) {
        case (.float, .none, 4): value = Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
        case (.double, .none, 8): value = Double(bitPattern: raw)
        default:
            guard let i = integer(bytes, leaf) else { return nil }
            value = Double(i)
        }
        return value.isNaN ? nil : value
    }
}
