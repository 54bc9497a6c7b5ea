import TallyCore
import TallyLang

/// What SQL's values do not carry: a fraction shown as a percentage, or labels that sort in band order, not alphabetically.
public struct ColumnLook: Equatable {
    public var percent = false
    /// The labels of `segment … labels (…)`, each once, in band order.
    public var labels: [String]?

    static let plain = ColumnLook()
    static let percent = ColumnLook(percent: true)
}

/// A relation the generator has built: a table or a CTE, the columns a user sees, and the order its rows are in.
/// The order is kept as expressions over the relation (possibly naming hidden columns, which are carried but never
/// shown), because SQL only orders rows where an `ORDER BY` says so.
struct SQLRelation {
    /// The table or CTE name.
    let source: String
    /// The visible columns, by their Tally names.
    let columns: [String]
    /// How each visible column shows and sorts.
    let looks: [ColumnLook]
    var order: [SQLOrderKey]
    /// Columns it has besides the visible ones: the order keys carried along, or the engine's row-order column.
    var hidden: Set<String> = []

    /// Its columns as a select reads them.
    var from: SQLFrom { .table(source) }

    /// Whether every order key is one of its own columns (so another query can name it).
    var isOrderedByColumns: Bool {
        order.allSatisfy { key in
            guard case .column(let name, nil) = key.expr else { return false }
            return hidden.contains(name) || columns.contains(name)
        }
    }
}

/// The SQL of a query: its tree, how each output column shows, and its text in the dialect it was built for.
public struct SQLQuery {
    public let statement: SQLStatement
    /// How each output column shows and sorts.
    public let looks: [ColumnLook]
    public let dialect: any SQLDialect

    /// The whole statement.
    public var text: String { SQLPrinter(dialect: dialect).print(statement).text }

    /// The pipeline text of the part of the statement at a 1-based character position (as PostgreSQL reports errors).
    public func range(atCharacter position: Int) -> SourceRange? {
        SQLPrinter(dialect: dialect).print(statement).starts.last { $0.0 < position }?.1
    }
}
