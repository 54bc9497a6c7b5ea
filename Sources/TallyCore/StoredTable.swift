/// A table of the catalog: its columns in memory, in a file that is read as queries need them, or in a database.
public enum StoredTable: Sendable {
    case memory(Table)
    /// Parquet files or a snapshot (TallyFormats), read a column at a time.
    case file(any FileTable)
    /// A table of the connected database, read only by the server.
    case remote(String, RemoteTable)

    public var names: [String] {
        switch self {
        case .memory(let t): return t.names
        case .file(let f): return f.names
        case .remote(_, let r): return r.names
        }
    }

    public var types: [DataType] {
        switch self {
        case .memory(let t): return t.types
        case .file(let f): return f.types
        case .remote(_, let r): return r.types
        }
    }

    /// Whether each column may hold nulls.
    public var mayBeNull: [Bool] {
        switch self {
        case .memory(let t): return t.columns.map { $0.validity != nil || $0.type == .null }
        case .file(let f): return f.mayBeNull
        case .remote(_, let r): return r.mayBeNull
        }
    }

    public var rowCount: Int {
        switch self {
        case .memory(let t): return t.rowCount
        case .file(let f): return f.rowCount
        case .remote(_, let r): return max(r.estimatedRows, 0)
        }
    }

    /// Whether the table lives in the connected database.
    public var isRemote: Bool { if case .remote = self { return true } else { return false } }

    /// The columns at `positions`, of at least the rows within `bounds`: a table in memory gives all its rows (its
    /// zone maps skip blocks later); a file may skip the parts whose statistics exclude the bounds.
    public func read(_ positions: [Int], bounds: [ColumnBounds] = []) throws -> Table {
        switch self {
        case .memory(let t): return Table(names: positions.map { t.names[$0] }, columns: positions.map { t.columns[$0] }, rowCount: t.rowCount)
        case .file(let f): return try f.read(positions, bounds: bounds).markingIdentifiers()
        case .remote(let name, _): throw RemoteTableRead(table: name)
        }
    }

    /// The order its rows come in when a pipeline does not sort them, as SQL can name it: a database table's key, or the
    /// columns that name the load order of one Tally holds (read from a file's whole-number and date columns), if any.
    public func rowOrder() throws -> RowOrder {
        if case .remote(_, let r) = self { return r.order }
        let candidates = names.indices.filter { (types[$0] == .int || types[$0] == .date) && !mayBeNull[$0] }
        return try read(candidates).loadOrderKey.map { .key($0) } ?? .engine
    }

    /// Every column and row.
    public func whole() throws -> Table {
        if case .memory(let t) = self { return t }
        return try read(Array(names.indices))
    }
}

/// A table whose columns stay in a file until a query reads them (Parquet files, a snapshot).
public protocol FileTable: Sendable {
    var names: [String] { get }
    var types: [DataType] { get }
    /// Whether each column may hold nulls.
    var mayBeNull: [Bool] { get }
    var rowCount: Int { get }
    /// The columns at `positions`, of at least the rows within `bounds` (a file may skip parts its statistics exclude).
    func read(_ positions: [Int], bounds: [ColumnBounds]) throws -> Table
    /// The smallest and largest value of an integer-backed column (ints, dates) as its statistics give them without
    /// reading it; nil where they do not.
    func integerSpan(_ column: Int) -> (first: Int64, last: Int64)?
}

/// A file that could not be read as the table it was: which file, and what is wrong with it.
public protocol FileReadProblem: Error {
    var file: String { get }
    var message: String { get }
}
