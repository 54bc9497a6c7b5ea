/// The order a table's rows come in when a pipeline does not sort them.
public enum RowOrder: Sendable, Equatable {
    /// Ascending by these columns, which together identify a row: a primary key, or the key `tally upload` declared.
    case key([String])
    /// Whatever order the engine returns, which may change between runs: the table declares no key.
    case engine

    /// The key's columns (none for the engine's order).
    public var keyColumns: [String] {
        if case .key(let columns) = self { columns } else { [] }
    }
}
