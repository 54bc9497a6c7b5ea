import Foundation
import TallyCore
import TallyEngine
import TallyLang
import TallyPostgres
import TallySpark

extension Shell {
    /// `.sql [postgres|duckdb|spark] [QUERY]`: the SQL of QUERY or of the last statement, in the connection's dialect or
    /// the one named.
    func showSQL(_ c: DotContext) -> Bool {
        var rest = c.text.trimmingCharacters(in: .whitespaces).dropFirst(".sql".count).drop { $0 == " " }
        var dialect: (any SQLDialect)?
        if let word = rest.split(separator: " ", maxSplits: 1).first, let named = SQLDialects.named(String(word)) {
            dialect = named
            rest = rest.dropFirst(word.count).drop { $0 == " " }
        }
        guard rest.isEmpty else { return printSQL(String(rest), name: c.name, firstLine: c.line, dialect: dialect) }
        // The last query's plan as it ran, not its text planned again against a `_` that has changed since.
        guard let last = session.lastQuery, let source = lastQuerySource else {
            return fail("no statement yet", name: c.name, line: c.line, text: c.text, hint: ".sql QUERY, or run a query first")
        }
        do {
            let script = SQLScript(session: session, dialect: dialect, source: source)
            write(forTerminal(try script.sql(of: last.plan)) + ";\n")
            for w in script.warnings.list { writeError(w.render(in: source)) }
            return true
        } catch {
            report(error, in: source)
            return false
        }
    }

    /// Prints the SQL of each query of a text; runs nothing (a `let` becomes stages of the queries that read it, a
    /// `param` sets its default).
    public func printSQL(_ text: String, name: String, firstLine: Int = 1, dialect: (any SQLDialect)?) -> Bool {
        let source = SourceText(name: name, text: text, firstLine: firstLine)
        guard let statements = parsed(source) else { return false }
        let script = SQLScript(session: session, dialect: dialect, source: source)
        for statement in statements {
            do {
                if let sql = try script.add(statement) { write(forTerminal(sql) + ";\n") }
            } catch {
                report(error, in: source)
                return false
            }
        }
        for w in script.warnings.list { writeError(w.render(in: source)) }
        return true
    }

    /// SQL as the terminal shows it: a name or literal's control characters made visible. To a pipe or a file it goes as
    /// it is, to be run.
    func forTerminal(_ sql: String) -> String { Terminal.outputIsTerminal ? VisibleText.escaped(sql) : sql }

    /// `.connect URL`: the database's tables become the sources; `.disconnect` forgets them.
    func connectCommand(_ args: [String], _ c: DotContext) -> Bool {
        guard args.count == 1 else { return usage(c, ".connect") }
        if safe, args[0] != commandLineConnection {
            return fail("--safe: .connect may reach only the database given on the command line", name: c.name, line: c.line, text: c.text,
                        hint: "start Tally with --connect URL to work on that database")
        }
        do {
            try connect(args[0], schema: nil)
            return true
        } catch {
            return fail("\(error)", name: c.name, line: c.line, text: c.text, hint: "postgresql://user@host:5432/database or sc://host:15002")
        }
    }

    /// Connects to a database by URL and says what it offers.
    public func connect(_ url: String, schema: String?) throws {
        let connection = try Shell.backend(url, schema: schema)
        try session.connect(connection)
        if interactive {
            let count = session.catalog.names.filter { session.catalog[$0]?.isRemote ?? false }.count
            write("connected to \(connection.description): \(count) table\(count == 1 ? "" : "s")\n")
        }
    }

    /// The database a URL names: PostgreSQL (`postgresql://`) or Spark through Spark Connect (`sc://`).
    public static func backend(_ url: String, schema: String?) throws -> SQLBackend {
        if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") { return try PostgresConnection(url: url, schema: schema) }
        if url.hasPrefix("sc://") { return try SparkConnection(url: url, schema: schema) }
        throw ConnectionProblem("Tally connects to PostgreSQL (postgresql://user@host:port/db) and to Spark Connect (sc://host:15002); "
                                + "`\(url)` is neither")
    }

    func disconnectCommand(_ c: DotContext) -> Bool {
        guard let backend = session.backend else { return fail("not connected", name: c.name, line: c.line, text: c.text) }
        session.disconnect()
        if interactive { write("disconnected from \(backend.description)\n") }
        return true
    }
}

/// Why a connection was not made.
public struct ConnectionProblem: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = Secrets.masked(description) }
}
