import TallyCore

/// A component of a date as a whole number.
public enum SQLDatePart: String, Sendable {
    case year, day
    /// The day of the week, 1 = Monday.
    case isoWeekday
}

/// How an SQL engine spells what differs between engines. Every requirement has a default (PostgreSQL's spelling, which
/// is the standard's where there is one), so a new engine is one conforming type that overrides what it does otherwise,
/// as PRQL's `DialectHandler` and DataFusion's unparser `Dialect` do.
public protocol SQLDialect: Sendable {
    /// The name `--dialect` and `.sql` take.
    var name: String { get }
    /// A column or table name, quoted when it has to be.
    func identifier(_ name: String) -> String
    /// A string literal that reads back as `text` whatever the server's settings.
    func string(_ text: String) -> String
    /// The name of a type in casts.
    func typeName(_ type: SQLType) -> String
    /// Whether `ORDER BY x [DESC]` without `NULLS …` puts nulls last.
    func nullsLastByDefault(descending: Bool) -> Bool
    /// `x` ordered by bytes, as Tally orders text.
    func byteOrdered(_ text: SQLExpr) -> SQLExpr
    /// `a ~ b`: case-insensitive regular-expression search.
    func matches(_ text: SQLExpr, _ pattern: SQLExpr) -> SQLExpr
    /// Integer division of whole numbers, rounding toward zero.
    func intDivide(_ a: SQLExpr, _ b: SQLExpr) -> SQLExpr
    /// `a = b`, true also when both are null.
    func nullSafeEqual(_ a: SQLExpr, _ b: SQLExpr) -> SQLExpr
    /// A date plus a whole number of days.
    func addDays(_ date: SQLExpr, _ days: SQLExpr) -> SQLExpr
    /// The days from `b` to `a`, as a whole number.
    func daysBetween(_ a: SQLExpr, _ b: SQLExpr) -> SQLExpr
    /// A component of a date as a whole number.
    func datePart(_ part: SQLDatePart, _ date: SQLExpr) -> SQLExpr
    /// The first day of the period a date falls in, as a date.
    func truncate(_ kind: PeriodKind, _ date: SQLExpr) -> SQLExpr
    /// What rows are grouped by for the period of a date (its first day, in the cheapest form).
    func periodGroup(_ kind: PeriodKind, _ date: SQLExpr) -> SQLExpr
    /// The text of the period of a date, as Tally writes it: `2025`, `2025-Q3`, `2025-11`, `2025-W07`.
    func period(_ kind: PeriodKind, of date: SQLExpr) -> SQLExpr
    /// `round(x, digits)` half away from zero, as Tally rounds.
    func roundHalfAwayFromZero(_ x: SQLExpr, _ digits: SQLExpr) -> SQLExpr
    /// A float made a whole number toward zero.
    func truncatedToInteger(_ x: SQLExpr) -> SQLExpr
    /// Whether `text` contains `part`.
    func contains(_ text: SQLExpr, _ part: SQLExpr) -> SQLExpr
    /// Whether `text` starts with `prefix`.
    func startsWith(_ text: SQLExpr, _ prefix: SQLExpr) -> SQLExpr
    /// The continuous percentile `p` of `x` within a group.
    func percentile(_ x: SQLExpr, _ p: SQLExpr) -> SQLExpr
    /// The first non-null `x` in this order within a group; nil where the engine cannot keep the order.
    func firstNonNull(_ x: SQLExpr, order: [SQLOrderKey]) -> SQLExpr?
}

extension SQLDialect {
    public func identifier(_ name: String) -> String {
        SQLNames.isPlain(name) ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public func string(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    public func typeName(_ type: SQLType) -> String {
        switch type {
        case .tally(.int): return "BIGINT"
        case .tally(.float): return "DOUBLE PRECISION"
        case .tally(.bool): return "BOOLEAN"
        case .tally(.string), .tally(.period), .tally(.null): return "TEXT"
        case .tally(.date): return "DATE"
        case .integer: return "INTEGER"
        case .exactNumber: return "NUMERIC"
        }
    }

    public func nullsLastByDefault(descending: Bool) -> Bool { !descending }
    public func byteOrdered(_ text: SQLExpr) -> SQLExpr { text }
    public func matches(_ text: SQLExpr, _ pattern: SQLExpr) -> SQLExpr { .binary(text, .matchesInsensitive, pattern) }
    public func intDivide(_ a: SQLExpr, _ b: SQLExpr) -> SQLExpr { a / b }
    public func nullSafeEqual(_ a: SQLExpr, _ b: SQLExpr) -> SQLExpr { .binary(a, .isNotDistinctFrom, b) }
    public func addDays(_ date: SQLExpr, _ days: SQLExpr) -> SQLExpr { date + .cast(days, .integer) }
    public func daysBetween(_ a: SQLExpr, _ b: SQLExpr) -> SQLExpr { .cast(a - b, .tally(.int)) }

    public func datePart(_ part: SQLDatePart, _ date: SQLExpr) -> SQLExpr {
        .cast(.extract(part == .isoWeekday ? "ISODOW" : part.rawValue.uppercased(), date), .tally(.int))
    }

    public func truncate(_ kind: PeriodKind, _ date: SQLExpr) -> SQLExpr { .cast(.call("date_trunc", .string(kind.name), date), .tally(.date)) }
    /// The first day as `date_trunc` gives it (a timestamp on PostgreSQL: not cast back to a date, which would cost a
    /// conversion per row), written as the period's text once per group.
    public func periodGroup(_ kind: PeriodKind, _ date: SQLExpr) -> SQLExpr { .call("date_trunc", .string(kind.name), date) }

    public func period(_ kind: PeriodKind, of date: SQLExpr) -> SQLExpr {
        switch kind {
        case .year: return .call("to_char", date, .string("YYYY"))
        case .quarter: return .call("to_char", date, .string("YYYY-\"Q\"Q"))
        case .month: return .call("to_char", date, .string("YYYY-MM"))
        case .week: return .call("to_char", date, .string("IYYY-\"W\"IW"))
        }
    }

    public func roundHalfAwayFromZero(_ x: SQLExpr, _ digits: SQLExpr) -> SQLExpr {
        .call("round", .cast(x, .exactNumber), .cast(digits, .integer))
    }

    public func truncatedToInteger(_ x: SQLExpr) -> SQLExpr { .cast(.call("trunc", x), .tally(.int)) }
    public func contains(_ text: SQLExpr, _ part: SQLExpr) -> SQLExpr { .binary(.call("strpos", text, part), .greater, .integer(0)) }
    public func startsWith(_ text: SQLExpr, _ prefix: SQLExpr) -> SQLExpr { .call("starts_with", text, prefix) }

    public func percentile(_ x: SQLExpr, _ p: SQLExpr) -> SQLExpr {
        .withinGroup(.call("percentile_cont", p), [SQLOrderKey(expr: x)])
    }

    public func firstNonNull(_ x: SQLExpr, order: [SQLOrderKey]) -> SQLExpr? {
        .element(.aggregate(SQLAggregate(name: "array_agg", arguments: [x], order: order, filter: .isNull(x, negated: true))), 1)
    }
}

/// The dialects Tally compiles for, by name.
public enum SQLDialects {
    public static let postgres: any SQLDialect = PostgresDialect()
    public static let duckdb: any SQLDialect = DuckDBDialect()
    public static let spark: any SQLDialect = SparkDialect()
    public static let all: [any SQLDialect] = [postgres, duckdb, spark]

    /// The dialect of a name (`postgres`, `duckdb`, `spark`).
    public static func named(_ name: String) -> (any SQLDialect)? { all.first { $0.name == name } }
}

/// Names that every dialect writes without quotes.
enum SQLNames {
    /// Words that must be quoted when used as a column or table name (the reserved words the three share, roughly).
    static let reserved: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "between", "both", "by", "case", "cast", "check", "collate", "column",
        "constraint", "create", "cross", "current_date", "current_time", "current_timestamp", "current_user", "default", "deferrable",
        "desc", "distinct", "do", "else", "end", "except", "exists", "false", "fetch", "filter", "for", "foreign", "from", "full", "grant",
        "group", "having", "in", "initially", "inner", "intersect", "interval", "into", "is", "join", "lateral", "leading", "left", "like",
        "limit", "natural", "not", "null", "offset", "on", "only", "or", "order", "outer", "over", "partition", "placing", "primary",
        "qualify", "range", "references", "returning", "right", "rows", "select", "semi", "anti", "session_user", "some", "symmetric",
        "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where", "window", "with",
    ]

    /// Lower-case letters, digits and underscores, not starting with a digit, and no reserved word.
    static func isPlain(_ name: String) -> Bool {
        let plain = name.utf8.first.map { ($0 >= 97 && $0 <= 122) || $0 == 95 } ?? false
            && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        return plain && !reserved.contains(name)
    }
}
