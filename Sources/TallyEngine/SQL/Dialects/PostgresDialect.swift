/// PostgreSQL and the engines that speak its SQL (Citus, Greenplum, YugabyteDB): the protocol's defaults, and what only
/// PostgreSQL needs.
public struct PostgresDialect: SQLDialect {
    public var name: String { "postgres" }

    /// PostgreSQL reads backslashes in a plain literal as escapes when `standard_conforming_strings` is off (a database,
    /// role or `PGOPTIONS` setting), so a text with a backslash is written as an escape string (`E'…'`), whose meaning does
    /// not depend on that setting.
    public func string(_ text: String) -> String {
        guard text.contains("\\") else { return "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        return "E'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Text is compared and sorted in the database's collation unless told otherwise; "C" is byte order.
    public func byteOrdered(_ text: SQLExpr) -> SQLExpr { .collate(text, "C") }
}
