/// A table that lives in a database Tally is connected to: its columns as the server's catalog describes them. Its rows
/// are never read into Tally; pipelines over it run on the server as SQL.
public struct RemoteTable: Sendable {
    public let names: [String]
    public let types: [DataType]
    public let mayBeNull: [Bool]
    /// The server's estimate of its rows (-1 when unknown).
    public let estimatedRows: Int
    /// The order of its rows when a pipeline does not sort them: its key's, or the engine's when it declares none.
    public let order: RowOrder

    public init(names: [String], types: [DataType], mayBeNull: [Bool], estimatedRows: Int, order: RowOrder) {
        self.names = names
        self.types = types
        self.mayBeNull = mayBeNull
        self.estimatedRows = estimatedRows
        self.order = order
    }
}

/// Reading a remote table's rows into Tally, which a statement mixing it with tables held in Tally would need.
public struct RemoteTableRead: Error, Sendable {
    public let table: String
}
