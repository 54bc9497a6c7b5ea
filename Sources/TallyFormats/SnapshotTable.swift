import TallyCore
import Synchronization

/// A table of a snapshot opened with `tally --db`: opening reads and verifies the header only, so it takes the same
/// few milliseconds whatever the size; each column is read (one positioned read, its checksum verified) the first
/// time a query uses it, and kept. The file is checked to be unchanged at every read.
public final class SnapshotTable: FileTable {
    public let names: [String]
    public let types: [DataType]
    /// Whether each column may hold nulls (it was written with a validity bitmap).
    public let mayBeNull: [Bool]
    public let rowCount: Int
    private let layout: Snapshot.Layout
    private let entries: [Snapshot.ColumnEntry]
    private let loaded = Mutex<[Int: Column]>([:])

    init(_ layout: Snapshot.Layout, _ name: String, rows: Int, columns: [Snapshot.ColumnEntry]) {
        self.layout = layout
        entries = columns
        names = columns.map(\.name)
        types = columns.map(\.type)
        mayBeNull = columns.map { $0.validity > 0 || $0.type == .null }
        rowCount = rows
    }

    /// Nil: a snapshot keeps no statistics apart from its columns.
    public func integerSpan(_ column: Int) -> (first: Int64, last: Int64)? { nil }

    /// The columns at `positions`, every row: read from the file the first time, from memory after.
    /// The columns at `positions`, every row (a snapshot's zone maps skip blocks later, in the scan).
    public func read(_ positions: [Int], bounds: [ColumnBounds] = []) throws -> Table {
        let cached = loaded.withLock { $0 }
        let missing = Array(Set(positions.filter { cached[$0] == nil })).sorted()
        var fresh: [Int: Column] = [:]
        if !missing.isEmpty {
            let columns = try Snapshot.readColumns(missing.map { entries[$0] }, of: layout)
            for (position, column) in zip(missing, columns) { fresh[position] = column }
            loaded.withLock { kept in kept.merge(fresh) { old, _ in old } }
        }
        return Table(names: positions.map { names[$0] }, columns: positions.map { fresh[$0] ?? cached[$0]! }, rowCount: rowCount)
    }
}
