import TallyCore

/// One key of the order a relation's rows are in: SQL over the relation's columns.
struct SQLOrderKey {
    let sql: String
    let descending: Bool
    /// Whether the key is text (ordered by bytes, as Tally orders text).
    let isText: Bool
}

/// What SQL's values do not carry: a fraction shown as a percentage, or labels that sort in band order, not alphabetically.
public struct ColumnLook: Equatable {
    public var percent = false
    /// The labels of `segment … labels (…)`, each once, in band order.
    public var labels: [String]?

    static let plain = ColumnLook()
    static let percent = ColumnLook(percent: true)
}

/// A relation the generator has built: a table or a CTE, the columns a user sees, and the order its rows are in.
/// The order is kept as SQL over the relation (possibly naming hidden columns, which are carried but never shown),
/// because SQL only orders rows where an `ORDER BY` says so.
struct SQLRelation {
    /// The table or CTE name, as written in a FROM clause.
    let from: String
    /// The visible columns, by their Tally names.
    let columns: [String]
    /// How each visible column shows and sorts.
    let looks: [ColumnLook]
    var order: [SQLOrderKey]
}

/// The SQL of a query: named stages (CTEs) and the final select.
public struct SQLQuery {
    /// The CTEs, in order.
    public internal(set) var stages: [(name: String, body: String)] = []
    /// The final statement's body (the select from the last stage).
    public internal(set) var body = ""
    /// Which output columns show as percentages.
    public internal(set) var looks: [ColumnLook] = []

    /// The whole statement.
    public var text: String {
        if stages.isEmpty { return body }
        let ctes = stages.map { "\($0.name) AS (\n  " + $0.body.replacingOccurrences(of: "\n", with: "\n  ") + "\n)" }
        return "WITH " + ctes.joined(separator: ",\n") + "\n" + body
    }
}
