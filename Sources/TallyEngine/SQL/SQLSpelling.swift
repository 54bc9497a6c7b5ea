import TallyCore

/// A function call as the SQL generator hands it to the function's registry entry: the dialect, the arguments already in
/// SQL, and what the entry may need to choose a spelling.
public struct SQLCall {
    public let dialect: any SQLDialect
    /// The arguments in SQL. A `bands` argument, which SQL has no value for, stands as NULL; its bands are in ``bands``.
    public let arguments: [SQLExpr]
    public let argumentTypes: [DataType]
    /// Each argument's value where it is a constant.
    public let constants: [Value?]
    /// The commission bands of `tiered`, when an argument is a list of them.
    public let bands: [(Double, Double)]?
    /// The call's result type.
    public let type: DataType
    /// The order of the rows the call reads (aggregates like `first` and window functions need one).
    public let order: [SQLOrderKey]
    /// The window's partition, for a window function.
    public let partition: [SQLExpr]
    /// Whether the spelling read the rows' order (so the generator can warn where the engine decides ties).
    let orderReading = OrderReading()

    /// The window over the rows in their order, per partition, with a frame; refused where the rows have no order.
    public func ordered(_ frame: SQLFrame? = nil) throws -> SQLWindow {
        guard !order.isEmpty else { throw SQLRefusal("its rows have no order here; sort first") }
        orderReading.happened = true
        return SQLWindow(partition: partition, order: order, frame: frame)
    }

    /// `CAST(x AS <float>)`.
    public func float(_ x: SQLExpr) -> SQLExpr { .cast(x, .tally(.float)) }
}

/// Whether a spelling read its call's row order (``SQLCall/ordered(_:)`` sets it).
final class OrderReading {
    var happened = false
}

/// How a registry entry writes its function in SQL: nil when the dialect cannot run it (refused with the standard
/// message), or a thrown ``SQLRefusal`` that says why.
public typealias SQLSpelling = (SQLCall) throws -> SQLExpr?

/// Why a function cannot be written in a dialect.
public struct SQLRefusal: Error {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

extension SQLExpr {
    /// A whole number as SQL's 32-bit INTEGER (positions and offsets), values beyond its range taken as its ends.
    static func clampedToInt32(_ x: SQLExpr) -> SQLExpr {
        .cast(.call("LEAST", .call("GREATEST", x, .integer(-2_147_483_647)), .integer(2_147_483_647)), .integer)
    }

    /// `NULLIF(x, 0)`.
    static func nonZero(_ x: SQLExpr) -> SQLExpr { .call("NULLIF", x, .integer(0)) }

    /// A case-insensitive search: a plain word or phrase (no regular-expression syntax, no LIKE wildcard) as
    /// `ILIKE '%…%'`, which every engine runs faster than a regular expression; otherwise the dialect's regex search.
    static func search(_ text: SQLExpr, for pattern: String, in dialect: any SQLDialect) -> SQLExpr {
        let special = Set(".^$*+?()[]{}|\\%_")
        if !pattern.isEmpty, !pattern.contains(where: { special.contains($0) }) { return .binary(text, .iLike, .string("%" + pattern + "%")) }
        return dialect.matches(text, .string(pattern))
    }
}
