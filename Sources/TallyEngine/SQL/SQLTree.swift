import TallyCore
import TallyLang

/// A type an SQL cast names: one of Tally's, or one of the two SQL types its casts also need.
public enum SQLType: Equatable, Sendable {
    case tally(DataType)
    /// A 32-bit whole number (positions, offsets, day counts).
    case integer
    /// An exact decimal, for rounding half away from zero.
    case exactNumber
}

/// An infix operator; the dialect chooses which one stands for what differs (regex search, integer division,
/// null-safe equality).
public enum SQLOperator: String, Equatable, Sendable {
    case and = "AND", or = "OR"
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case concatenate = "||"
    /// PostgreSQL's case-insensitive regular-expression match.
    case matchesInsensitive = "~*"
    case iLike = "ILIKE"
    /// Spark's regular-expression match.
    case rLike = "RLIKE"
    /// DuckDB's integer division.
    case integerDivide = "//"
    /// Spark's integer division.
    case div = "DIV"
    case isNotDistinctFrom = "IS NOT DISTINCT FROM"
    /// Spark's null-safe equality.
    case nullSafeEqual = "<=>"
}

/// A scalar SQL expression.
public indirect enum SQLExpr: Equatable {
    /// A column, by its name in the relation it is read from (and that relation's alias in a join).
    case column(String, table: String? = nil)
    case null
    case integer(Int64)
    /// A float constant, written as a cast of its decimal text to the float type.
    case float(Double)
    /// An exact decimal constant such as `100.0` or `0.5`.
    case decimal(String)
    case boolean(Bool)
    case string(String)
    /// A date, as days since 1970-01-01.
    case date(Int64)
    case cast(SQLExpr, SQLType)
    case not(SQLExpr)
    case negate(SQLExpr)
    case binary(SQLExpr, SQLOperator, SQLExpr)
    /// `name(arguments)`.
    case call(String, [SQLExpr])
    /// An aggregate with the clauses plain calls do not have.
    case aggregate(SQLAggregate)
    case window(SQLExpr, SQLWindow)
    case caseWhen(SQLCase)
    case inList(SQLExpr, [SQLExpr])
    case between(SQLExpr, SQLExpr, SQLExpr)
    case isNull(SQLExpr, negated: Bool)
    case exists(SQLSelect, negated: Bool)
    case subquery(SQLStatement)
    /// `*`, as in `count(*)`.
    case star
    /// `x COLLATE "name"`.
    case collate(SQLExpr, String)
    /// `extract(FIELD FROM x)`.
    case extract(String, SQLExpr)
    /// `call WITHIN GROUP (ORDER BY …)`.
    case withinGroup(SQLExpr, [SQLOrderKey])
    /// `(array)[index]`.
    case element(SQLExpr, Int)

    /// A call of a function taking these arguments.
    static func call(_ name: String, _ arguments: SQLExpr...) -> SQLExpr { .call(name, arguments) }

    /// `CASE WHEN c1 THEN r1 … [ELSE otherwise] END`.
    static func when(_ arms: [(SQLExpr, SQLExpr)], otherwise: SQLExpr? = nil) -> SQLExpr {
        .caseWhen(SQLCase(operand: nil, arms: arms.map { SQLWhen(condition: $0.0, result: $0.1) }, otherwise: otherwise))
    }

    /// `CASE operand WHEN v1 THEN r1 … END`.
    static func switching(_ operand: SQLExpr, _ arms: [(SQLExpr, SQLExpr)]) -> SQLExpr {
        .caseWhen(SQLCase(operand: operand, arms: arms.map { SQLWhen(condition: $0.0, result: $0.1) }, otherwise: nil))
    }

    static func + (a: SQLExpr, b: SQLExpr) -> SQLExpr { .binary(a, .add, b) }
    static func - (a: SQLExpr, b: SQLExpr) -> SQLExpr { .binary(a, .subtract, b) }
    static func * (a: SQLExpr, b: SQLExpr) -> SQLExpr { .binary(a, .multiply, b) }
    static func / (a: SQLExpr, b: SQLExpr) -> SQLExpr { .binary(a, .divide, b) }
}

/// An aggregate call: `name(DISTINCT args ORDER BY …) FILTER (WHERE …)`.
public struct SQLAggregate: Equatable {
    var name: String
    var arguments: [SQLExpr]
    var distinct = false
    var order: [SQLOrderKey] = []
    var filter: SQLExpr?
}

/// `OVER (PARTITION BY … ORDER BY … frame)`.
public struct SQLWindow: Equatable {
    var partition: [SQLExpr] = []
    var order: [SQLOrderKey] = []
    var frame: SQLFrame?
}

/// The rows of a window frame.
public enum SQLFrame: Equatable {
    /// From the partition's first row.
    case fromStart
    /// The current row and this many before it.
    case preceding(Int64)
    /// Only the rows whose order value is this far from the current row's (negative: before it), as `RANGE` counts.
    case rangeAt(Int64)
}

/// `CASE [operand] WHEN … THEN … [ELSE …] END`.
public struct SQLCase: Equatable {
    var operand: SQLExpr?
    var arms: [SQLWhen]
    var otherwise: SQLExpr?
}

/// One `WHEN … THEN …` arm.
public struct SQLWhen: Equatable {
    var condition: SQLExpr
    var result: SQLExpr
}

/// One key of an order: an expression, its direction, and whether it is text (ordered by bytes, as Tally orders text).
public struct SQLOrderKey: Equatable {
    var expr: SQLExpr
    var descending = false
    var isText = false

    /// An ascending key on a column.
    static func ascending(_ column: String, isText: Bool = false) -> SQLOrderKey {
        SQLOrderKey(expr: .column(column), descending: false, isText: isText)
    }
}

/// One item of a select list.
public struct SQLSelectItem: Equatable {
    var expr: SQLExpr
    /// The output name; nil where the expression is the column of that name already.
    var alias: String?
}

/// What a select reads: a table or CTE (with an alias in joins), or a join of two.
public indirect enum SQLFrom: Equatable {
    case table(String, alias: String? = nil)
    case join(SQLFrom, SQLJoinKind, SQLFrom, on: SQLExpr?)
}

/// The joins the generator writes.
public enum SQLJoinKind: String, Equatable {
    case inner = "JOIN", left = "LEFT JOIN", right = "RIGHT JOIN", full = "FULL JOIN", cross = "CROSS JOIN"
}

/// A key of `GROUP BY`: a select item by position, or an expression.
public enum SQLGroupKey: Equatable {
    case position(Int)
    case expr(SQLExpr)
}

/// One `SELECT`.
public struct SQLSelect: Equatable {
    var items: [SQLSelectItem]
    var distinct = false
    var from: SQLFrom?
    /// `WHERE` conditions, joined by `AND`.
    var conditions: [SQLExpr] = []
    var groupBy: [SQLGroupKey] = []
    var orderBy: [SQLOrderKey] = []
    var limit: Int?
}

/// A named stage: a CTE, the selects it unions (`UNION ALL`), and the pipeline text it computes.
public struct SQLStage: Equatable {
    let name: String
    var selects: [SQLSelect]
    /// The verb of the pipeline stage it computes, shown as a `-- verb` comment when known.
    var verb: Verb?
    /// The pipeline text it comes from, for errors the server reports inside it.
    var range: SourceRange?
}

/// A whole statement: its stages, then the final selects (unioned).
public struct SQLStatement: Equatable {
    var stages: [SQLStage] = []
    var body: [SQLSelect] = []
    /// The pipeline the final select belongs to.
    var bodyRange: SourceRange?
}
