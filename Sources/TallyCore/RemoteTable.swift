/// A table that lives in a database Tally is connected to: its columns as the server's catalog describes them. Its rows
/// are never read into Tally; pipelines over it run on the server as SQL.
public struct RemoteTable: Sendable {
    public let names: [String]
    public let types: [DataType]
    public let mayBeNull: [Bool]
    /// The server's estimate of its rows (-1 when unknown).
    public let estimatedRows: Int
    /// Whether its rows have no load order the server can name: a view, or any table of an engine without `ctid`.
    public let isView: Bool

    public init(names: [String], types: [DataType], mayBeNull: [Bool], estimatedRows: Int, isView: Bool) {
        self.names = names
        self.types = types
        self.mayBeNull = mayBeNull
        self.estimatedRows = estimatedRows
        self.isView = isView
    }
}

/// Reading a remote table's rows into Tally, which a statement mixing it with tables held in Tally would need.
public struct RemoteTableRead: Error, Sendable {
    public let table: String
}
