import TallyCore
import TallyEngine

extension PostgresConnection {
    /// Creates (or replaces) a table on the server with the table's columns and copies its rows in with `COPY`.
    /// Periods go into text columns of the domain `tally_period`, so that they come back as periods. The columns that name
    /// the load order (``Table/loadOrderKey``) become the primary key, so unsorted rows come back in Tally's order.
    public func upload(_ table: Table, as name: String) throws {
        let pg = SQLDialects.postgres
        if let refusal = try PostgresEngine.of(self).uploadRefusal { throw PostgresError(message: "tally upload: " + refusal, position: nil) }
        try run("DO $$ BEGIN CREATE DOMAIN tally_period AS text; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        // A column without nulls is declared NOT NULL, so that queries know it (NTILE, for one, is then a plain window).
        let columns = table.names.indices.map { i in
            let column = table.columns[i]
            let complete = !(0..<table.rowCount).contains { column.isNull($0) }
            let type = table.types[i] == .period ? "tally_period" : pg.typeName(.tally(table.types[i]))
            return "\(pg.identifier(table.names[i])) \(type)\(complete ? " NOT NULL" : "")"
        }
        try run("DROP TABLE IF EXISTS \(pg.identifier(name)) CASCADE; CREATE TABLE \(pg.identifier(name)) (\(columns.joined(separator: ", ")))")
        var chunk: [UInt8] = []
        for r in 0..<table.rowCount {
            let line = table.columns.map { PostgresText.copyField($0.value(at: r)) }.joined(separator: "\t") + "\n"
            chunk.append(contentsOf: line.utf8)
            if chunk.count > 8 << 20 {
                try copy(into: name, columns: table.names, data: chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { try copy(into: name, columns: table.names, data: chunk) }
        if let key = table.loadOrderKey {
            try run("ALTER TABLE \(pg.identifier(name)) ADD PRIMARY KEY (\(key.map(pg.identifier).joined(separator: ", ")))")
        }
        try run("ANALYZE \(pg.identifier(name))")
    }
}
