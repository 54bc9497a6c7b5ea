import CLibPQ
import Foundation
import TallyCore
import TallyEngine

/// A failure talking to PostgreSQL: the server's message (and where in the SQL it points, when it does).
public struct PostgresError: SQLServerError, CustomStringConvertible {
    public let message: String
    /// 1-based character position in the statement the server reports.
    public let position: Int?

    public var description: String { message }

    public init(message: String, position: Int?) {
        self.message = message
        self.position = position
    }

    /// The error a failed result reports.
    init(_ result: OpaquePointer) {
        let fields = { (code: Character) in PQresultErrorField(result, Int32(code.asciiValue ?? 0)).map { String(cString: $0) } }
        self.init(fields: fields, otherwise: String(cString: PQresultErrorMessage(result)))
    }

    /// The error a result reports through its fields (libpq's `PQresultErrorField`: `M` message, `D` detail, `H` hint,
    /// `P` position), or `otherwise` where it has no message field.
    init(fields: (Character) -> String?, otherwise: String) {
        let parts = ["PostgreSQL: " + (fields("M") ?? otherwise), fields("D"), fields("H")].compactMap { $0 }
        self.init(message: parts.joined(separator: "; ").trimmingCharacters(in: .whitespacesAndNewlines), position: fields("P").flatMap { Int($0) })
    }
}

/// A connection to a PostgreSQL server through libpq (the library psql uses): the URL, `PGPASSWORD`, `~/.pgpass` and
/// the other libpq conventions apply. Queries run one at a time; `cancel` may be called from another thread.
public final class PostgresConnection: SQLBackend, @unchecked Sendable {
    public let dialect: any SQLDialect = SQLDialects.postgres
    /// The URL given, with any password left out.
    public let description: String
    private let url: String
    private let schema: String
    private var connection: OpaquePointer?
    private let lock = NSLock()

    /// Connects to `url` (`postgresql://user@host:port/db`, `?schema=` picks the schema whose tables are offered).
    public init(url: String, schema: String? = nil) throws {
        let parsed = PostgresURL(url, schema: schema)
        description = parsed.shown
        self.url = parsed.conninfo
        self.schema = parsed.schema
        try connect()
    }

    deinit { PQfinish(connection) }

    private func connect() throws {
        PQfinish(connection)
        connection = PQconnectdb(url)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            let oneLine = message.split(whereSeparator: { $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            let shown = Secrets.redacted(oneLine, password: Secrets.password(in: url))
            throw PostgresError(message: "cannot connect to \(description): \(shown)", position: nil)
        }
        PQclear(try execute("SET search_path TO \(SQLDialects.postgres.identifier(schema)); SET client_min_messages TO warning"))
    }

    /// Runs a statement and returns the raw result (the caller clears it).
    private func execute(_ sql: String) throws -> OpaquePointer {
        try ready(for: sql)
        guard let result = PQexec(connection, sql) else {
            throw PostgresError(message: String(cString: PQerrorMessage(connection)), position: nil)
        }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_COPY_IN else {
            let error = PostgresError(result)
            PQclear(result)
            throw checkingConnection(error)
        }
        return result
    }

    /// Checks a statement can be sent, and reconnects after a lost connection.
    private func ready(for sql: String) throws {
        // libpq takes a C string: a NUL would cut the statement short, and PostgreSQL's text holds no NUL anyway.
        guard !sql.utf8.contains(0) else {
            throw PostgresError(message: "a text with a NUL character (\\0) cannot be sent to PostgreSQL", position: nil)
        }
        if connection == nil || PQstatus(connection) != CONNECTION_OK { try connect() }
    }

    /// The error of a statement, said to be a lost connection when the connection is gone; a lost connection is
    /// forgotten, so that the next statement reconnects.
    private func checkingConnection(_ error: Error) -> Error {
        guard PQstatus(connection) != CONNECTION_OK else { return error }
        PQfinish(connection)
        connection = nil
        let message = (error as? PostgresError)?.message ?? "\(error)"
        return PostgresError(message: "the connection to \(description) was lost: \(message); the next statement reconnects",
                             position: (error as? PostgresError)?.position)
    }

    /// Rows arrive one at a time as the server sends them (libpq's single-row mode), so that the transfer can stop at
    /// `maxRows`: the server is then asked to cancel, and the rest is drained unread.
    public func query(_ sql: String, names: [String], types: [DataType], maxRows: Int, batches: ((Table) -> Void)?) throws -> Table {
        lock.lock()
        defer { lock.unlock() }
        try ready(for: sql)
        guard PQsendQuery(connection, sql) == 1 else {
            throw PostgresError(message: String(cString: PQerrorMessage(connection)), position: nil)
        }
        PQsetSingleRowMode(connection)
        var builders = types.map { ColumnBuilder(type: $0) }
        var rows = 0, shown = 0
        var problem: Error?
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            guard status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK else {
                if problem == nil { problem = PostgresError(result) }
                continue
            }
            guard problem == nil, PQntuples(result) > 0 else { continue }
            guard Int(PQnfields(result)) == types.count else {
                problem = PostgresError(message: "the server returned \(PQnfields(result)) columns where \(types.count) were expected", position: nil)
                cancel()
                continue
            }
            guard rows < maxRows else {
                problem = ResultTooLarge(rows: rows)
                cancel()
                continue
            }
            do {
                try append(row: result, to: &builders, names: names)
                rows += 1
            } catch {
                problem = error
                cancel()
            }
            if let batches, rows - shown >= PostgresConnection.rowsPerBatch { shown = PostgresConnection.hand(builders, names, shown..<rows, to: batches) }
        }
        // The connection's state is known once every result is read: a server gone says so only at the end.
        if let problem { throw checkingConnection(problem) }
        if let batches, rows > shown { shown = PostgresConnection.hand(builders, names, shown..<rows, to: batches) }
        return Table(names: names, columns: builders.map { $0.finish() }, rowCount: rows)
    }

    /// Rows handed on together as they arrive one by one in single-row mode.
    static let rowsPerBatch = 10_000

    /// Hands the rows of `range` read so far to `batches`; gives the end of the range.
    static func hand(_ builders: [ColumnBuilder], _ names: [String], _ range: Range<Int>, to batches: (Table) -> Void) -> Int {
        batches(Table(names: names, columns: builders.map { $0.finish() }, rowCount: range.upperBound).slice(range))
        return range.upperBound
    }

    /// Appends the first row of a result, read from PostgreSQL's text format.
    private func append(row result: OpaquePointer, to builders: inout [ColumnBuilder], names: [String]) throws {
        for c in builders.indices {
            if PQgetisnull(result, 0, Int32(c)) != 0 {
                builders[c].appendNull()
                continue
            }
            let text = String(cString: PQgetvalue(result, 0, Int32(c)))
            guard let value = PostgresText.value(text, as: builders[c].type) else {
                throw PostgresError(message: "cannot read `\(text)` from the server as \(builders[c].type.rawValue) (column \(names[c]))", position: nil)
            }
            builders[c].append(value)
        }
    }

    /// Runs statements that return no rows (DDL).
    public func run(_ sql: String) throws {
        lock.lock()
        defer { lock.unlock() }
        PQclear(try execute(sql))
    }

    /// `COPY table FROM STDIN` with these bytes (PostgreSQL's text format).
    public func copy(into table: String, columns: [String], data: [UInt8]) throws {
        lock.lock()
        defer { lock.unlock() }
        let list = columns.map { SQLDialects.postgres.identifier($0) }.joined(separator: ", ")
        PQclear(try execute("COPY \(SQLDialects.postgres.identifier(table)) (\(list)) FROM STDIN"))
        var offset = 0
        while offset < data.count {
            let n = min(1 << 20, data.count - offset)
            let sent = data[offset..<offset + n].withUnsafeBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: n) { PQputCopyData(connection, $0, Int32(n)) }
            }
            guard sent == 1 else { throw PostgresError(message: String(cString: PQerrorMessage(connection)), position: nil) }
            offset += n
        }
        guard PQputCopyEnd(connection, nil) == 1 else {
            throw PostgresError(message: String(cString: PQerrorMessage(connection)), position: nil)
        }
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            if PQresultStatus(result) != PGRES_COMMAND_OK {
                let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
                throw PostgresError(message: message, position: nil)
            }
        }
    }

    public func cancel() {
        guard let connection else { return }
        var error = [CChar](repeating: 0, count: 256)
        _ = tly_pq_cancel(connection, &error, Int32(error.count))
    }

    public func tables() throws -> [(name: String, table: RemoteTable)] {
        // Each column's place in the table's primary key (0 when not in it): the key orders the rows a pipeline leaves unsorted.
        let sql = """
            SELECT c.relname, greatest(c.reltuples, -1)::bigint, a.attname, format_type(a.atttypid, a.atttypmod),
                   coalesce(t.typname, ''), a.attnotnull,
                   coalesce((SELECT array_position(k.conkey, a.attnum) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p'), 0)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_type t ON t.oid = a.atttypid AND t.typtype = 'd'
            WHERE n.nspname = \(SQLDialects.postgres.string(schema)) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
            ORDER BY c.relname, a.attnum
            """
        let listing = try query(sql, names: ["table", "rows", "column", "type", "domain", "not_null", "key_position"],
                                types: [.string, .int, .string, .string, .string, .bool, .int])
        var out: [(name: String, table: RemoteTable)] = []
        var current: (name: String, rows: Int, names: [String], types: [DataType], nullable: [Bool], key: [(Int64, String)])?
        func close() {
            guard let c = current else { return }
            let key = c.key.sorted { $0.0 < $1.0 }.map(\.1)
            out.append((c.name, RemoteTable(names: c.names, types: c.types, mayBeNull: c.nullable, estimatedRows: c.rows,
                                            order: key.isEmpty ? .engine : .key(key))))
        }
        for r in 0..<listing.rowCount {
            let name = listing.columns[0].value(at: r).text
            if current?.name != name {
                close()
                current = (name, Int(listing.columns[1].value(at: r).asDouble ?? -1), [], [], [], [])
            }
            let column = listing.columns[2].value(at: r).text
            current!.names.append(column)
            current!.types.append(PostgresText.type(sqlType: listing.columns[3].value(at: r).text, domain: listing.columns[4].value(at: r).text))
            current!.nullable.append(listing.columns[5].value(at: r) != Value.bool(true))
            let position = listing.columns[6].ints[r]
            if position > 0 { current!.key.append((position, column)) }
        }
        close()
        return out
    }
}
