import Foundation
import TallyCore
import TallyEngine
import TallyFormats

/// A connection to a Spark cluster through Spark Connect: each pipeline runs there as one SQL statement and only its
/// result comes back, as Arrow batches. Statements run one at a time; `cancel` may be called from another thread and
/// interrupts the running operation on the server.
public final class SparkConnection: SQLBackend, @unchecked Sendable {
    public let dialect: any SQLDialect = SQLDialects.spark
    /// The URL given, without its token.
    public let description: String
    /// The database whose tables are offered (`default` unless `--schema` names another).
    public let database: String
    private let url: SparkURL
    private var client: SparkConnectClient?
    private let statementLock = NSLock()
    private let operationLock = NSLock()
    /// The running operation and the client it runs on, for `cancel` from another thread.
    private var operation: (id: String, client: SparkConnectClient)?
    /// Whether the server has answered a statement: before that, a server out of reach is one that cannot be reached.
    private var answered = false

    /// Connects to `url` (`sc://host:15002`, with Spark Connect's `;token=…;user_id=…;use_ssl=true` parameters).
    public init(url: String, schema: String? = nil) throws {
        self.url = try SparkURL(url)
        description = self.url.shown
        database = schema ?? "default"
        client = try SparkConnectClient(self.url)
    }

    deinit {
        guard let client else { return }
        try? SparkConnection.waiting { try await client.releaseSession() }
    }

    /// Arrow batches are gathered (and handed to `batches`) as they arrive; past `maxRows` the stream is dropped and the
    /// operation interrupted.
    public func query(_ sql: String, names: [String], types: [DataType], maxRows: Int, batches: ((Table) -> Void)?) throws -> Table {
        let rows = TableGathering(ArrowTableBuilder(names: names, types: types), maxRows: maxRows, batches: batches)
        try execute(sql: sql, asCommand: false) { try rows.append($0) }
        return rows.finish()
    }

    /// Runs statements that return no rows (DDL, INSERT).
    public func run(_ sql: String) throws {
        try execute(sql: sql, asCommand: true) { _ in }
    }

    private func execute(sql: String, asCommand: Bool, batch: @escaping @Sendable (ArrowStream) throws -> Void) throws {
        statementLock.lock()
        defer { statementLock.unlock() }
        if client == nil { client = try SparkConnectClient(url) }
        guard let client else { return }
        var plan = Spark_Connect_Plan()
        if asCommand { plan.command.sqlCommand.sql = sql } else { plan.root.sql.query = sql }
        let request = plan
        let id = UUID().uuidString.lowercased()
        operationLock.withLock { operation = (id, client) }
        defer { operationLock.withLock { operation = nil } }
        do {
            try SparkConnection.waiting { try await client.execute(request, operationID: id, batch: batch) }
            answered = true
        } catch let error as RPCErrorText {
            guard error.lostConnection else {
                answered = true
                throw SparkError("Spark: " + error.text, position: error.position(in: sql))
            }
            self.client = nil
            throw SparkError(answered ? "the connection to \(description) was lost: \(error.text); the next statement reconnects"
                                      : "cannot connect to \(description): \(error.text)")
        } catch {
            // The result was refused while it arrived (too large, unreadable): the server need not finish it.
            try? SparkConnection.waiting { try await client.interrupt(operationID: id) }
            throw error
        }
    }

    public func cancel() {
        guard let running = operationLock.withLock({ operation }) else { return }
        Task { try? await running.client.interrupt(operationID: running.id) }
    }

    /// Runs async work on the calling thread's behalf and waits for it: the backend's calls are synchronous.
    private static func waiting(_ work: @escaping @Sendable () async throws -> Void) throws {
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await work() } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw RPCErrorText(error) ?? error }
    }

    public func tables() throws -> [(name: String, table: RemoteTable)] {
        let listing = try query("SHOW TABLE EXTENDED IN \(dialect.identifier(database)) LIKE '*'",
                                names: ["namespace", "tableName", "isTemporary", "information"], types: [.string, .string, .bool, .string])
        return (0..<listing.rowCount).map { r in
            let name = listing.columns[1].value(at: r).text
            return (name, SparkCatalog.table(information: listing.columns[3].value(at: r).text))
        }
    }
}

/// What a finished async call left: its error, if any.
private final class Outcome: @unchecked Sendable {
    var error: Error?
}

/// The rows of a result as its batches arrive, on whichever thread delivers them, up to `maxRows`; each message's rows are
/// handed on to `batches` too.
private final class TableGathering: @unchecked Sendable {
    private var builder: ArrowTableBuilder
    private let maxRows: Int
    private let batches: ((Table) -> Void)?
    private let lock = NSLock()

    init(_ builder: ArrowTableBuilder, maxRows: Int, batches: ((Table) -> Void)?) {
        self.builder = builder
        self.maxRows = maxRows
        self.batches = batches
    }

    func append(_ stream: ArrowStream) throws {
        try lock.withLock {
            let arriving = stream.batches.reduce(0) { $0 + $1.rowCount }
            guard arriving <= maxRows - builder.rowCount else { throw ResultTooLarge(rows: builder.rowCount) }
            let before = builder.rowCount
            try builder.append(stream)
            if let batches, builder.rowCount > before { batches(builder.finish().slice(before..<builder.rowCount)) }
        }
    }

    func finish() -> Table { lock.withLock { builder.finish() } }
}
