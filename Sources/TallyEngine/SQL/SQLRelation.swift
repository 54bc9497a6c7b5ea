import TallyCore
import TallyLang

/// What SQL's values do not carry: a fraction shown as a percentage, or labels that sort in band order, not alphabetically.
public struct ColumnLook: Equatable {
    public var percent = false
    /// Ids and years, shown with their digits as they are (``Column/isIdentifier``).
    public var identifier = false
    /// The labels of `segment … labels (…)`, each once, in band order.
    public var labels: [String]?

    static let plain = ColumnLook()
    static let percent = ColumnLook(percent: true)
    static let identifier = ColumnLook(identifier: true)
}

/// A relation the generator has built: a table or a CTE, the columns a user sees, and the order its rows are in.
/// The order is kept as expressions over the relation (possibly naming hidden columns, which are carried but never
/// shown), because SQL only orders rows where an `ORDER BY` says so.
struct SQLRelation {
    /// The table or CTE name.
    let source: String
    /// The visible columns, by their Tally names.
    let columns: [String]
    /// The source's column each visible column reads (its own name, unless a folded `select` renamed it).
    let reads: [String]
    /// How each visible column shows and sorts.
    let looks: [ColumnLook]
    var order: [SQLOrderKey]
    /// Whether the order places every row: it ends with a key of the source, or the rows are groups sorted by all their
    /// keys. Without it, rows that tie (all of them, when there is no order) come in the engine's order.
    var isTotal: Bool
    /// Columns it has besides the visible ones: the order keys carried along.
    var hidden: Set<String> = []
    /// The source's columns whose SQL type is known to be Tally's (so the final select need not cast them).
    var exactTypes: [String: DataType] = [:]

    init(source: String, columns: [String], reads: [String]? = nil, looks: [ColumnLook], order: [SQLOrderKey], isTotal: Bool,
         hidden: Set<String> = [], exactTypes: [String: DataType] = [:]) {
        self.source = source
        self.columns = columns
        self.reads = reads ?? columns
        self.looks = looks
        self.order = order
        self.isTotal = isTotal
        self.hidden = hidden
        self.exactTypes = exactTypes
    }

    /// Its columns as a select reads them.
    var from: SQLFrom { .table(source) }

    /// The SQL of visible column `i` (qualified by `table` in a join).
    func column(_ i: Int, table: String? = nil) -> SQLExpr { .column(reads[i], table: table) }

    /// Whether every order key is one of its source's columns (so another query can name it).
    var isOrderedByColumns: Bool {
        order.allSatisfy { key in
            guard case .column(let name, nil) = key.expr else { return false }
            return hidden.contains(name) || reads.contains(name)
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
