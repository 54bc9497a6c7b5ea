/// A binary operator as written.
public enum BinaryOperator: String, Sendable, CaseIterable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    /// `x in (list)`, `x in lo..hi`, `date in period`.
    case `in`
    /// Case-insensitive regular-expression search.
    case matches = "~"
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"

    /// `== != < <= > >=`.
    public var isComparison: Bool { [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }
    /// `+ - * / %`.
    public var isArithmetic: Bool { [.add, .subtract, .multiply, .divide, .remainder].contains(self) }
    /// `and`, `or`.
    public var isLogical: Bool { self == .and || self == .or }

    /// The comparison with its operands swapped: `a < b` is `b > a`.
    public var flipped: BinaryOperator {
        switch self {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return self
        }
    }
}

/// A prefix operator as written.
public enum UnaryOperator: String, Sendable, CaseIterable {
    case not
    case negate = "-"
}

/// How a scenario changes a column: `=`, `*=`, `+=` or `-=`.
public enum SetterOperator: String, Sendable, CaseIterable {
    case assign = "=", multiply = "*=", add = "+=", subtract = "-="

    /// The arithmetic of a compound setter (`*` for `*=`), nil for `=`.
    public var arithmetic: BinaryOperator? {
        switch self {
        case .assign: return nil
        case .multiply: return .multiply
        case .add: return .add
        case .subtract: return .subtract
        }
    }
}

/// The kinds of chart `chart` draws.
public enum ChartKind: String, CaseIterable, Sendable {
    case bar, line, scatter, hist
    /// A `funnel` result's `reached` per `step`, drawn narrowing.
    case funnel
    /// A `why` or `pvm` result as a waterfall: the total before, each contribution, the total after.
    case bridge
}
