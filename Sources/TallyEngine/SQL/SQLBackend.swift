import TallyCore

/// A database Tally is connected to: pipelines over its tables run there as SQL and only results come back.
public protocol SQLBackend: AnyObject {
    /// The SQL the database speaks.
    var dialect: any SQLDialect { get }
    /// What the connection is, for messages (`postgresql://user@host:port/db`, without a password).
    var description: String { get }
    /// Runs a query and returns its rows as a table of these column names and Tally types. Rows arrive in batches as the
    /// server sends them, each handed to `batches` (when given) as it arrives, on whichever thread reads it; past `maxRows`
    /// the transfer stops, the server is asked to stop, and `ResultTooLarge` is thrown.
    func query(_ sql: String, names: [String], types: [DataType], maxRows: Int, batches: ((Table) -> Void)?) throws -> Table
    /// Asks the database to stop the running query; safe from another thread.
    func cancel()
    /// The tables and views to offer as sources, read from the database's catalog.
    func tables() throws -> [(name: String, table: RemoteTable)]
}

extension SQLBackend {
    /// Runs a query whose result is known to be small (a catalog listing, a test's).
    public func query(_ sql: String, names: [String], types: [DataType]) throws -> Table {
        try query(sql, names: names, types: types, maxRows: .max, batches: nil)
    }

    /// Runs a query whose rows are wanted whole, up to `maxRows`.
    public func query(_ sql: String, names: [String], types: [DataType], maxRows: Int) throws -> Table {
        try query(sql, names: names, types: types, maxRows: maxRows, batches: nil)
    }
}

/// A result that would have had more rows than the memory limit allows; the transfer was stopped at `rows`.
public struct ResultTooLarge: Error {
    public let rows: Int

    public init(rows: Int) { self.rows = rows }
}

/// An error the database reported, with where in the statement it points when it does.
public protocol SQLServerError: Error {
    /// 1-based character position in the statement.
    var position: Int? { get }
}
