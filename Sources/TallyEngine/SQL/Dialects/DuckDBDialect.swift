import TallyCore

/// DuckDB.
public struct DuckDBDialect: SQLDialect {
    public var name: String { "duckdb" }

    public func typeName(_ type: SQLType) -> String {
        switch type {
        case .tally(.float): return "DOUBLE"
        case .tally(.string), .tally(.period), .tally(.null): return "STRING"
        case .exactNumber: return "DECIMAL(38, 10)"
        default: return PostgresDialect().typeName(type)
        }
    }

    /// DuckDB puts nulls last in both directions.
    public func nullsLastByDefault(descending: Bool) -> Bool { true }
    public func matches(_ text: SQLExpr, _ pattern: SQLExpr) -> SQLExpr { .call("regexp_matches", text, pattern, .string("i")) }
    public func intDivide(_ a: SQLExpr, _ b: SQLExpr) -> SQLExpr { .binary(a, .integerDivide, b) }
    public func truncate(_ kind: PeriodKind, _ date: SQLExpr) -> SQLExpr { .call("date_trunc", .string(kind.name), date) }
    public func periodGroup(_ kind: PeriodKind, _ date: SQLExpr) -> SQLExpr { truncate(kind, date) }

    public func period(_ kind: PeriodKind, of date: SQLExpr) -> SQLExpr {
        switch kind {
        case .year: return .call("strftime", date, .string("%Y"))
        case .quarter:
            let year = SQLExpr.call("strftime", date, .string("%Y"))
            return .binary(.binary(year, .concatenate, .string("-Q")), .concatenate, .cast(.call("quarter", date), .tally(.string)))
        case .month: return .call("strftime", date, .string("%Y-%m"))
        case .week: return .call("strftime", date, .string("%G-W%V"))
        }
    }

    public func percentile(_ x: SQLExpr, _ p: SQLExpr) -> SQLExpr { .call("quantile_cont", x, p) }

    public func firstNonNull(_ x: SQLExpr, order: [SQLOrderKey]) -> SQLExpr? {
        .aggregate(SQLAggregate(name: "first", arguments: [x], order: order, filter: .isNull(x, negated: true)))
    }
}
