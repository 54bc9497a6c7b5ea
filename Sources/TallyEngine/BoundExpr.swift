import TallyCore
import TallyLang

/// A name-resolved, type-checked expression, ready to evaluate over a table.
public final class BoundExpr {
    public enum Kind {
        /// A column of the input table, by position.
        case column(Int)
        case constant(Value)
        case unary(UnaryOperator, BoundExpr)
        case binary(BinaryOperator, BoundExpr, BoundExpr)
        case scalar(ScalarFunction, [BoundExpr])
        case window(WindowFunction, [BoundExpr], partition: [BoundExpr])
        case caseWhen([(BoundExpr, BoundExpr)])
        case inValues(BoundExpr, [Value])
        /// Inclusive bounds; either may be a column.
        case between(BoundExpr, BoundExpr, BoundExpr)
        case isNull(BoundExpr, negated: Bool)
        /// Commission bands `(threshold, rate)` for `tiered`/`tiered_flat`, sorted by threshold.
        case bands([(Double, Double)])
        /// `(pipeline)` used as a value: the single cell of a planned sub-query, computed when the expression runs.
        case subquery(LogicalPlan)
    }

    public let kind: Kind
    public let type: DataType
    public let range: SourceRange

    public init(_ kind: Kind, type: DataType, range: SourceRange) {
        self.kind = kind
        self.type = type
        self.range = range
    }

    /// The value when this expression is a constant.
    public var constantValue: Value? { if case .constant(let v) = kind { return v } else { return nil } }

    /// Whether this is a function call whose arguments are all constants or such calls (no column, window or sub-query).
    var isConstantCall: Bool {
        guard case .scalar(_, let args) = kind else { return false }
        return args.allSatisfy { $0.constantValue != nil || $0.isConstantCall }
    }

    /// Whether any window function appears in this expression.
    var containsWindow: Bool {
        switch kind {
        case .window: return true
        case .unary(_, let e), .isNull(let e, _), .inValues(let e, _): return e.containsWindow
        case .binary(_, let a, let b): return a.containsWindow || b.containsWindow
        case .scalar(_, let args): return args.contains { $0.containsWindow }
        case .caseWhen(let arms): return arms.contains { $0.0.containsWindow || $0.1.containsWindow }
        case .between(let a, let b, let c): return a.containsWindow || b.containsWindow || c.containsWindow
        default: return false
        }
    }

    /// Whether the value may be null, given which input columns may be.
    func mayBeNull(_ input: Schema) -> Bool {
        switch kind {
        case .column(let i): return i < input.nullable.count ? input.nullable[i] : true
        case .constant(let v): return v.isNull
        case .bands: return false
        case .isNull: return false
        case .binary(let op, let a, let b):
            if op == .divide || op == .remainder { return true }
            return a.mayBeNull(input) || b.mayBeNull(input)
        case .unary(_, let a), .inValues(let a, _): return a.mayBeNull(input)
        case .between(let a, let b, let c): return a.mayBeNull(input) || b.mayBeNull(input) || c.mayBeNull(input)
        case .scalar, .window, .caseWhen, .subquery: return true
        }
    }
}

/// Columns whose number is only known when a node runs, such as `cohort`'s `p0`, `p1`, …:
/// the column named `prefix` + k is at position `start + k`.
public struct ColumnTail: Equatable {
    public let prefix: String
    public let start: Int
    public let type: DataType
    /// How many there can be at most, when that is known before the node runs (from the span of the data it reads),
    /// and why, for the error naming one beyond it. Worked out only when a name of the tail is bound.
    public var limit: (() -> (count: Int, because: String)?)?

    public init(prefix: String, start: Int, type: DataType, limit: (() -> (count: Int, because: String)?)? = nil) {
        (self.prefix, self.start, self.type, self.limit) = (prefix, start, type, limit)
    }

    /// The number k of a name `prefix` + k, if it is one of this tail's names.
    func number(of name: String) -> Int? {
        guard name.hasPrefix(prefix), let k = Int(name.dropFirst(prefix.count)), k >= 0, k < 1 << 20,
              String(k) == name.dropFirst(prefix.count) else { return nil }
        return k
    }

    public static func == (a: ColumnTail, b: ColumnTail) -> Bool {
        a.prefix == b.prefix && a.start == b.start && a.type == b.type
    }
}

/// Column names, types and nullability flowing between plan nodes.
public struct Schema {
    public var names: [String]
    public var types: [DataType]
    /// Whether each column may hold nulls.
    public var nullable: [Bool]
    /// Further columns known only at run time.
    public var tail: ColumnTail?
    /// For a `pivot` without `in (…)`: the key whose values (known only at run time) name the columns after these.
    public var spreadBy: String?

    public init(names: [String], types: [DataType], nullable: [Bool]? = nil, tail: ColumnTail? = nil) {
        self.names = names
        self.types = types
        self.nullable = nullable ?? types.map { _ in true }
        self.tail = tail
    }

    public init(_ table: Table) {
        self.init(names: table.names, types: table.types, nullable: table.columns.map { $0.validity != nil || $0.type == .null })
    }

    /// The columns at these positions, in this order.
    func selecting(_ positions: [Int]) -> Schema {
        Schema(names: positions.map { names[$0] }, types: positions.map { types[$0] }, nullable: positions.map { nullable[$0] })
    }

    /// This schema followed by another's columns.
    func appending(_ other: Schema) -> Schema {
        Schema(names: names + other.names, types: types + other.types, nullable: nullable + other.nullable, tail: other.tail)
    }

    /// One column more (or a replaced one, when the name exists).
    func setting(_ name: String, _ type: DataType, nullable isNullable: Bool) -> Schema {
        var out = self
        if let i = names.firstIndex(of: name) {
            out.types[i] = type
            out.nullable[i] = isNullable
        } else {
            out.names.append(name)
            out.types.append(type)
            out.nullable.append(isNullable)
        }
        return out
    }
}
