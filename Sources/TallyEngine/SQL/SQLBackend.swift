import TallyCore

/// A database Tally is connected to: pipelines over its tables run there as SQL and only results come back.
public protocol SQLBackend: AnyObject {
    /// The SQL the database speaks.
    var dialect: any SQLDialect { get }
    /// What the connection is, for messages (`postgresql://user@host:port/db`, without a password).
    var description: String { get }
    /// Runs a query and returns its rows as a table of these column names and Tally types.
    func query(_ sql: String, names: [String], types: [DataType]) throws -> Table
    /// Asks the database to stop the running query; safe from another thread.
    func cancel()
    /// The tables and views to offer as sources, read from the database's catalog.
    func tables() throws -> [(name: String, table: RemoteTable)]
}

/// An error the database reported, with where in the statement it points when it does.
public protocol SQLServerError: Error {
    /// 1-based character position in the statement.
    var position: Int? { get }
}
