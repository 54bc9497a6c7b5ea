import TallyCore
import TallyLang

/// One key of the order a relation's rows are in: SQL over the relation's columns.
struct SQLOrderKey {
    let sql: String
    let descending: Bool
    /// Whether the key is text (ordered by bytes, as Tally orders text).
    let isText: Bool

    /// An ascending key.
    static func ascending(_ sql: String, isText: Bool = false) -> SQLOrderKey {
        SQLOrderKey(sql: sql, descending: false, isText: isText)
    }
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

/// The SQL of a query: named stages (CTEs) and the final select, each with the pipeline text it comes from.
public struct SQLQuery {
    /// The CTEs, in order, and the verb each computes.
    public internal(set) var stages: [(name: String, body: String, range: SourceRange?)] = []
    /// The final statement's body (the select from the last stage).
    public internal(set) var body = ""
    /// The pipeline the final select belongs to.
    public internal(set) var bodyRange: SourceRange?
    /// How each output column shows and sorts.
    public internal(set) var looks: [ColumnLook] = []

    /// The whole statement, and where each part of it (stage or final select) starts, in characters.
    private var parts: (text: String, starts: [(Int, SourceRange?)]) {
        if stages.isEmpty { return (body, [(0, bodyRange)]) }
        var text = "WITH ", starts: [(Int, SourceRange?)] = []
        for (k, stage) in stages.enumerated() {
            starts.append((text.count, stage.range))
            text += "\(stage.name) AS (\n  " + stage.body.replacingOccurrences(of: "\n", with: "\n  ") + "\n)" + (k + 1 < stages.count ? ",\n" : "\n")
        }
        starts.append((text.count, bodyRange))
        return (text + body, starts)
    }

    /// The whole statement.
    public var text: String { parts.text }

    /// The pipeline text of the part of the statement at a 1-based character position (as PostgreSQL reports errors).
    public func range(atCharacter position: Int) -> SourceRange? {
        parts.starts.last { $0.0 < position }?.1
    }
}
