import Dispatch

/// A named set of equally long columns.
public struct Table: Sendable {
    public var names: [String]
    public var columns: [Column]
    public var rowCount: Int

    /// The table with its integer columns named as keys or years (``Column/isKeyName(_:)``) marked as identifiers.
    public func markingIdentifiers() -> Table {
        var out = self
        for i in columns.indices where columns[i].type == .int && Column.isKeyName(names[i]) { out.columns[i].isIdentifier = true }
        return out
    }

    public init(names: [String], columns: [Column]) {
        precondition(names.count == columns.count, "one name per column")
        self.names = names
        self.columns = columns
        rowCount = columns.first?.count ?? 0
    }

    /// A table with columns but no rows explicitly sized (for zero-column results).
    public init(names: [String], columns: [Column], rowCount: Int) {
        self.names = names
        self.columns = columns
        self.rowCount = rowCount
    }

    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    public func column(_ name: String) -> Column? { index(of: name).map { columns[$0] } }

    /// The rows at the given positions (see ``Column/gather(_:)``), the columns side by side on the cores.
    public func gather(_ rows: [Int32]) -> Table {
        Table(names: names, columns: Table.eachColumn(columns, rows: rows.count) { $0.gather(rows) }, rowCount: rows.count)
    }

    /// The rows of a contiguous range (see ``Column/slice(_:)``), the columns side by side on the cores.
    public func slice(_ range: Range<Int>) -> Table {
        Table(names: names, columns: Table.eachColumn(columns, rows: range.count) { $0.slice(range) }, rowCount: range.count)
    }

    /// `make` of every column: one after another for few rows, side by side for many.
    static func eachColumn(_ columns: [Column], rows: Int, _ make: (Column) -> Column) -> [Column] {
        guard columns.count > 1, rows >= 1 << 16 else { return columns.map(make) }
        var out = columns
        out.withUnsafeMutableBufferPointer { o in
            DispatchQueue.concurrentPerform(iterations: columns.count) { k in o[k] = make(columns[k]) }
        }
        return out
    }

    /// The first `n` rows.
    public func prefix(_ n: Int) -> Table {
        n >= rowCount ? self : gather((0..<Int32(n)).map { $0 })
    }

    /// The column types in order.
    public var types: [DataType] { columns.map(\.type) }
}
