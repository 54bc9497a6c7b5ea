import TallyCore

/// The SQL engines Tally compiles pipelines for, and how each spells what differs between them.
public enum SQLDialect: String, CaseIterable, Sendable {
    /// PostgreSQL and the engines that speak its SQL (Citus, Greenplum, Redshift, YugabyteDB).
    case postgres
    case duckdb
    /// Spark SQL.
    case spark

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

    /// A column or table name, quoted only when it has to be.
    public func identifier(_ name: String) -> String {
        let plain = name.utf8.first.map { ($0 >= 97 && $0 <= 122) || $0 == 95 } ?? false
            && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        if plain && !SQLDialect.reserved.contains(name) { return name }
        switch self {
        case .spark: return "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
        case .postgres, .duckdb: return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }

    /// A string literal that reads back as `text` whatever the server's settings: quotes doubled; Spark reads backslashes
    /// as escapes, so they are doubled there. PostgreSQL reads backslashes in a plain literal as escapes when
    /// `standard_conforming_strings` is off (a database, role or `PGOPTIONS` setting), so a text with a backslash is written
    /// as an escape string (`E'…'`), whose meaning does not depend on that setting.
    public func string(_ text: String) -> String {
        switch self {
        case .spark:
            return "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        case .postgres where text.contains("\\"):
            return "E'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        case .postgres, .duckdb:
            return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }

    /// The SQL type of a Tally type, for casts.
    public func type(_ t: DataType) -> String {
        switch (self, t) {
        case (_, .int): return "BIGINT"
        case (.postgres, .float): return "DOUBLE PRECISION"
        case (_, .float): return "DOUBLE"
        case (_, .bool): return "BOOLEAN"
        case (.postgres, .string), (.postgres, .period), (.postgres, .null): return "TEXT"
        case (_, .string), (_, .period), (_, .null): return "STRING"
        case (_, .date): return "DATE"
        }
    }

    /// A column that orders a stored table's rows as they were loaded, when the engine has one.
    var rowOrderColumn: String? {
        switch self {
        case .postgres: return "ctid"
        case .duckdb: return "rowid"
        case .spark: return nil
        }
    }

    /// `text ~ pattern`: case-insensitive regular-expression search. A pattern that is a plain word or phrase (no regular
    /// expression syntax, no LIKE wildcard) becomes `ILIKE '%…%'`, which every engine runs faster than a regex.
    func matches(_ text: String, pattern: String) -> String {
        let special = Set(".^$*+?()[]{}|\\%_")
        if !pattern.isEmpty, !pattern.contains(where: { special.contains($0) }) { return "(\(text) ILIKE \(string("%" + pattern + "%")))" }
        return matches(text, string(pattern))
    }

    /// `a ~ b`: case-insensitive regular-expression search.
    func matches(_ text: String, _ pattern: String) -> String {
        switch self {
        case .postgres: return "(\(text) ~* \(pattern))"
        case .duckdb: return "regexp_matches(\(text), \(pattern), 'i')"
        case .spark: return "(\(text) RLIKE concat('(?i)', \(pattern)))"
        }
    }

    /// A date plus a whole number of days.
    func addDays(_ date: String, _ days: String) -> String {
        switch self {
        case .spark: return "date_add(\(date), CAST(\(days) AS INT))"
        case .postgres, .duckdb: return "(\(date) + CAST(\(days) AS INTEGER))"
        }
    }

    /// The days from `b` to `a`.
    func daysBetween(_ a: String, _ b: String) -> String {
        switch self {
        case .spark: return "CAST(datediff(\(a), \(b)) AS BIGINT)"
        case .postgres, .duckdb: return "CAST(\(a) - \(b) AS BIGINT)"
        }
    }

    /// The text of the period of a date, as Tally writes it: `2025`, `2025-Q3`, `2025-11`, `2025-W07`.
    func period(_ kind: PeriodKind, of date: String) -> String {
        switch (self, kind) {
        case (.postgres, .year): return "to_char(\(date), 'YYYY')"
        case (.postgres, .quarter): return "to_char(\(date), 'YYYY-\"Q\"Q')"
        case (.postgres, .month): return "to_char(\(date), 'YYYY-MM')"
        case (.postgres, .week): return "to_char(\(date), 'IYYY-\"W\"IW')"
        case (.duckdb, .year): return "strftime(\(date), '%Y')"
        case (.duckdb, .quarter): return "(strftime(\(date), '%Y') || '-Q' || CAST(quarter(\(date)) AS VARCHAR))"
        case (.duckdb, .month): return "strftime(\(date), '%Y-%m')"
        case (.duckdb, .week): return "strftime(\(date), '%G-W%V')"
        case (.spark, .year): return "date_format(\(date), 'yyyy')"
        case (.spark, .quarter): return "concat(date_format(\(date), 'yyyy'), '-Q', quarter(\(date)))"
        case (.spark, .month): return "date_format(\(date), 'yyyy-MM')"
        case (.spark, .week):
            return "concat(CAST(extract(YEAROFWEEK FROM \(date)) AS STRING), '-W', lpad(CAST(weekofyear(\(date)) AS STRING), 2, '0'))"
        }
    }

    /// What rows are grouped by for the period of a date: its first day (a timestamp on PostgreSQL, not cast back to a
    /// date, which would cost a conversion per row), written as the period's text once per group.
    func periodGroup(_ kind: PeriodKind, _ date: String) -> String {
        self == .postgres ? "date_trunc('\(kind.name)', \(date))" : truncate(kind, date)
    }

    /// Integer division of whole numbers, rounding toward zero.
    func intDivide(_ a: String, _ b: String) -> String {
        switch self {
        case .postgres: return "(\(a) / \(b))"
        case .duckdb: return "(\(a) // \(b))"
        case .spark: return "(\(a) DIV \(b))"
        }
    }

    /// The first day of the period a date falls in, as a date.
    func truncate(_ kind: PeriodKind, _ date: String) -> String {
        switch self {
        case .postgres: return "CAST(date_trunc('\(kind.name)', \(date)) AS DATE)"
        case .duckdb: return "date_trunc('\(kind.name)', \(date))"
        case .spark: return "CAST(date_trunc('\(kind == .week ? "week" : kind.name)', \(date)) AS DATE)"
        }
    }

    /// A component of a date as a whole number: `year`, `day` (of the month) or `isodow` (1 = Monday).
    func datePart(_ part: String, _ date: String) -> String {
        switch (self, part) {
        case (.spark, "isodow"): return "CAST(((dayofweek(\(date)) + 5) % 7) + 1 AS BIGINT)"
        case (.spark, _): return "CAST(extract(\(part.uppercased()) FROM \(date)) AS BIGINT)"
        case (_, "isodow"): return "CAST(extract(ISODOW FROM \(date)) AS BIGINT)"
        default: return "CAST(extract(\(part.uppercased()) FROM \(date)) AS BIGINT)"
        }
    }

    /// `x` ordered by bytes, as Tally orders text.
    func byteOrdered(_ text: String) -> String {
        self == .postgres ? "\(text) COLLATE \"C\"" : text
    }
}
