/// A table of the catalog: its columns in memory, or in Parquet files or a snapshot that are read as queries need them.
public enum StoredTable: Sendable {
    case memory(Table)
    case parquet(ParquetTable)
    case snapshot(SnapshotTable)
    /// A table of the connected database, read only by the server.
    case remote(String, RemoteTable)

    public var names: [String] {
        switch self {
        case .memory(let t): return t.names
        case .parquet(let p): return p.names
        case .snapshot(let s): return s.names
        case .remote(_, let r): return r.names
        }
    }

    public var types: [DataType] {
        switch self {
        case .memory(let t): return t.types
        case .parquet(let p): return p.types
        case .snapshot(let s): return s.types
        case .remote(_, let r): return r.types
        }
    }

    /// Whether each column may hold nulls.
    public var mayBeNull: [Bool] {
        switch self {
        case .memory(let t): return t.columns.map { $0.validity != nil || $0.type == .null }
        case .parquet(let p): return p.mayBeNull
        case .snapshot(let s): return s.mayBeNull
        case .remote(_, let r): return r.mayBeNull
        }
    }

    public var rowCount: Int {
        switch self {
        case .memory(let t): return t.rowCount
        case .parquet(let p): return p.rowCount
        case .snapshot(let s): return s.rowCount
        case .remote(_, let r): return max(r.estimatedRows, 0)
        }
    }

    /// Whether the table lives in the connected database.
    public var isRemote: Bool { if case .remote = self { return true } else { return false } }

    /// The columns at `positions`, of at least the rows within `bounds`: a table in memory gives all its rows (its
    /// zone maps skip blocks later), as does a snapshot; Parquet files skip the row groups whose statistics exclude the bounds.
    public func read(_ positions: [Int], bounds: [ColumnBounds] = []) throws -> Table {
        switch self {
        case .memory(let t): return Table(names: positions.map { t.names[$0] }, columns: positions.map { t.columns[$0] }, rowCount: t.rowCount)
        case .parquet(let p): return try p.read(positions, bounds: bounds)
        case .snapshot(let s): return try s.read(positions)
        case .remote(let name, _): throw RemoteTableRead(table: name)
        }
    }

    /// Every column and row.
    public func whole() throws -> Table {
        if case .memory(let t) = self { return t }
        return try read(Array(names.indices))
    }
}
