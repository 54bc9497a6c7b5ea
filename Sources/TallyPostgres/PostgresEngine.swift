import TallyCore
import TallyEngine

/// Which engine behind PostgreSQL's protocol a connection reaches, as its `version()` and extensions tell.
enum PostgresEngine: Equatable {
    case postgres, redshift, cockroach, yugabyte, citus

    /// Read from the server: `version()` names Redshift, CockroachDB and YugabyteDB (`-YB-`); Citus is an extension.
    static func of(_ connection: PostgresConnection) throws -> PostgresEngine {
        let version = try connection.query("SELECT version()", names: ["version"], types: [.string]).columns[0].value(at: 0).text
        if let engine = named(version: version) { return engine }
        let citus = try connection.query("SELECT count(*) FROM pg_extension WHERE extname = 'citus'", names: ["n"], types: [.int])
        return citus.columns[0].value(at: 0) == .int(0) ? .postgres : .citus
    }

    /// The engine a `version()` text names, when it names one other than PostgreSQL.
    static func named(version: String) -> PostgresEngine? {
        if version.contains("Redshift") { return .redshift }
        if version.contains("CockroachDB") { return .cockroach }
        if version.contains("-YB-") { return .yugabyte }
        return nil
    }

    /// Why `tally upload` cannot write to this engine, if it cannot: it creates a domain in a `DO` block and copies rows
    /// with `COPY … FROM STDIN`.
    var uploadRefusal: String? {
        switch self {
        case .redshift: return "Redshift has no COPY from standard input and no DO blocks: load files with Redshift's own COPY (from S3)"
        case .cockroach: return "CockroachDB has no DO blocks or domains, which `tally upload` uses for period columns: load with IMPORT INTO"
        default: return nil
        }
    }
}
