import TallyCore
import TallyLang

/// A name-resolved, type-checked expression, ready to evaluate over a table.
public final class BoundExpr {
    public enum Kind {
        /// A column of the input table, by position.
        case column(Int)
        case constant(Value)
        case unary(String, BoundExpr)
        case binary(String, BoundExpr, BoundExpr)
        case scalar(ScalarFunction, [BoundExpr])
        case window(WindowFunction, [BoundExpr], partition: [BoundExpr])
        case caseWhen([(BoundExpr, BoundExpr)])
        case inValues(BoundExpr, [Value])
        /// Inclusive bounds; either may be a column.
        case between(BoundExpr, BoundExpr, BoundExpr)
        case isNull(BoundExpr, negated: Bool)
        /// Commission bands `(threshold, rate)` for `tiered`/`tiered_flat`, sorted by threshold.
        case bands([(Double, Double)])
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
}

/// Column names and types flowing between stages.
public struct Schema {
    public var names: [String]
    public var types: [DataType]

    public init(names: [String], types: [DataType]) {
        self.names = names
        self.types = types
    }

    public init(_ table: Table) { self.init(names: table.names, types: table.types) }
}
