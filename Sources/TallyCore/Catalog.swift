/// The tables a session can name, in the order they were added.
public struct Catalog: Sendable {
    public private(set) var order: [String] = []
    private var tables: [String: StoredTable] = [:]

    public init() {}

    public subscript(name: String) -> StoredTable? { tables[name] }

    /// Adds (or replaces) a table held in memory.
    public mutating func add(_ table: Table, as name: String) { add(.memory(table), as: name) }

    /// Adds (or replaces) a table; the integer-backed columns of one in memory get zone maps.
    public mutating func add(_ table: StoredTable, as name: String) {
        if tables[name] == nil { order.append(name) }
        if case .memory(let t) = table { tables[name] = .memory(t.withZoneMaps().markingIdentifiers()) } else { tables[name] = table }
    }

    /// Removes a table.
    public mutating func remove(_ name: String) {
        guard tables.removeValue(forKey: name) != nil else { return }
        order.removeAll { $0 == name }
    }

    public var names: [String] { order }
}
