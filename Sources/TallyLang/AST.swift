import TallyCore

/// An expression as written, with its source range.
public indirect enum ExprKind: Sendable {
    case literal(Value)
    case column(String)
    case parameter(String)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `f(args)` with an optional window partition (`over KEY, ...`).
    case call(String, [Expr], over: [Expr]?)
    /// `("a", "b")` — only valid after `in` and as function arguments such as tier bands.
    case list([Expr])
    /// `lo..hi`, inclusive.
    case range(Expr, Expr)
    /// `lo => value`, inside `case [...]` and tier bands.
    case arrow(Expr, Expr)
    /// `case [cond => value, ...]`.
    case caseWhen([(Expr, Expr)])
    case isNull(Expr, negated: Bool)
    /// `(pipeline)` used as a value: its single cell.
    case subquery(Pipeline)


}

/// An expression node.
public struct Expr: Sendable {
    public let kind: ExprKind
    public let range: SourceRange
    /// Levels from this node to its deepest leaf, counting the expressions of sub-queries: how deep every
    /// recursive walk over it (binder, planner, evaluator) goes.
    public let depth: Int

    public init(_ kind: ExprKind, _ range: SourceRange) {
        self.init(kind, range, depth: 1 + Expr.deepestChild(kind))
    }

    /// A node whose depth is known from elsewhere (a sub-query's, measured while its pipeline was parsed).
    public init(_ kind: ExprKind, _ range: SourceRange, depth: Int) {
        self.kind = kind
        self.range = range
        self.depth = depth
    }

    static func deepestChild(_ kind: ExprKind) -> Int {
        switch kind {
        case .literal, .column, .parameter, .subquery: return 0
        case .unary(_, let e), .isNull(let e, _): return e.depth
        case .binary(_, let a, let b), .range(let a, let b), .arrow(let a, let b): return max(a.depth, b.depth)
        case .call(_, let args, let over): return (args + (over ?? [])).map(\.depth).max() ?? 0
        case .list(let items): return items.map(\.depth).max() ?? 0
        case .caseWhen(let arms): return arms.map { max($0.0.depth, $0.1.depth) }.max() ?? 0
        }
    }

    /// The expression written out again (`sum(amount)`, `unit_price * (1 - discount)`), for plan descriptions.
    public var written: String {
        switch kind {
        case .literal(let v):
            if case .string(let s) = v { return "\"" + s + "\"" }
            return v == .null ? "null" : v.text
        case .column(let n): return n
        case .parameter(let n): return "$" + n
        case .unary(let op, let e): return (op == .not ? "not " : "-") + e.nested
        case .binary(let op, let a, let b): return "\(a.nested) \(op.rawValue) \(b.nested)"
        case .call(let f, let args, let over):
            return "\(f)(" + args.map(\.written).joined(separator: ", ") + ")" + (over.map { " over " + $0.map(\.written).joined(separator: ", ") } ?? "")
        case .list(let items): return "(" + items.map(\.written).joined(separator: ", ") + ")"
        case .range(let a, let b): return "\(a.nested)..\(b.nested)"
        case .arrow(let a, let b): return "\(a.written) => \(b.written)"
        case .caseWhen(let arms): return "case [" + arms.map { "\($0.0.written) => \($0.1.written)" }.joined(separator: ", ") + "]"
        case .isNull(let e, let negated): return e.nested + (negated ? " is not null" : " is null")
        case .subquery: return "(…)"
        }
    }

    /// As ``written``, in brackets when it is an operation, so it reads right inside another.
    var nested: String {
        if case .binary = kind { return "(" + written + ")" }
        return written
    }

    /// The column name this expression would get as an output column when unnamed.
    public var autoName: String {
        switch kind {
        case .column(let n): return n
        case .call(let f, let args, _):
            if args.isEmpty { return f == "count" ? "n" : f }
            let inner = args.first!.autoName
            return "\(f)_\(inner)"
        case .literal(let v): return v.text.isEmpty ? "null" : v.text
        case .unary(_, let e): return e.autoName
        case .binary(_, let a, _): return a.autoName
        default: return "expr"
        }
    }
}

/// `name = expr` or just `expr`.
public struct Item: Sendable {
    public var name: String?
    public var nameRange: SourceRange?
    public var expr: Expr

    public init(name: String?, nameRange: SourceRange?, expr: Expr) {
        self.name = name
        self.nameRange = nameRange
        self.expr = expr
    }

    /// The output column name.
    public var outputName: String { name ?? expr.autoName }
}

/// A name as written, with its range.
public struct Name: Equatable, Sendable {
    public var text: String
    public var range: SourceRange

    public init(_ text: String, _ range: SourceRange) {
        self.text = text
        self.range = range
    }
}

/// A sort key: an expression and its direction.
public struct SortKey: Sendable {
    public var expr: Expr
    public var descending: Bool

    public init(expr: Expr, descending: Bool) {
        self.expr = expr
        self.descending = descending
    }
}

/// `col = e`, `col *= e`, `col += e`, `col -= e` in `whatif` and `goal`.
public struct Setter: Sendable {
    public var column: Name
    public var op: SetterOperator
    public var expr: Expr
}

/// Where a pipeline's rows come from.
public indirect enum PipelineSource: Sendable {
    case table(Name)
    case previous(SourceRange)
    case subquery(Pipeline)

    public var range: SourceRange {
        switch self {
        case .table(let n): return n.range
        case .previous(let r): return r
        case .subquery(let p): return p.range
        }
    }

    /// The name used for clashing-column suffixes in joins.
    public var suffixName: String {
        switch self {
        case .table(let n): return n.text
        case .previous: return "prev"
        case .subquery(let p): return p.source.suffixName
        }
    }
}

/// Join kinds: `inner` keeps matched pairs, `left` also the unmatched left rows, `right` the unmatched right rows,
/// `full` both; `semi` and `anti` keep the left rows that have (or have not) a match, with the left's columns only.
public enum JoinKind: String, CaseIterable, Sendable, Equatable {
    case inner, left, right, full, semi, anti

    /// Whether the output has the right side's columns.
    public var addsColumns: Bool { self != .semi && self != .anti }
    /// Whether right rows no left row matches are kept (their left columns null).
    public var keepsUnmatchedRight: Bool { self == .right || self == .full }
    /// Whether left rows no right row matches are kept (their right columns null).
    public var keepsUnmatchedLeft: Bool { self == .left || self == .full }
}

/// One verb after a `|`.
public enum StageKind: Sendable {
    case whereRows(Expr)
    case select([Item])
    case derive([Item])
    case drop([Name])
    case rename([(Name, Name)])
    case agg([Item], by: [Item])
    case sort([SortKey])
    case take(Expr)
    case top(Expr, SortKey, per: [Expr])
    case distinct([Name])
    case count
    case join(JoinKind, PipelineSource, keys: [(Expr, Expr)])
    case union(PipelineSource)
    case segmentInto(Expr, Expr, name: Name?, labels: [Expr])
    case segmentAt(Expr, [Expr], name: Name?, labels: [Expr])
    case rfm(key: Name?, date: Name?, amount: Name?)
    case abc(Expr, key: Name?, cuts: [Expr])
    case cohort(key: Name?, date: Name?, per: Name?)
    /// `funnel STAGE steps (…) [key ID] [date COL] [by G, …]`.
    case funnel(stage: Name, steps: [Expr], key: Name?, date: Name?, by: [Item])
    /// `terms TEXT [top N] [stop (…)] [by G, …]`.
    case terms(Expr, top: Expr?, stop: [Expr], by: [Item])
    /// `pivot KEY [in (v1, …)] MEASURE [by G, …]`.
    case pivot(key: Expr, values: [Expr]?, measure: Expr, by: [Item])
    case whatif([Setter], filter: Expr?)
    case goal(aggregate: Expr, comparison: GoalComparison, target: Expr, variable: Name, low: Expr, high: Expr, setters: [Setter], filter: Expr?,
              by: [Item])
    case simulate(aggregate: Expr, period: Expr, next: Expr, runs: Expr?, seed: Expr?, target: Expr?)
    /// `chart KIND X [Y, …] [by SERIES] [stacked] [bins N]`.
    case chart(ChartKind, [Expr], by: Expr?, stacked: Bool, bins: Expr?)
    /// `why AGG from P1 to P2 [by DIM, …] [over DATECOL] [top N]`.
    case why(aggregate: Expr, from: Expr, to: Expr, by: [Item], over: Name?, top: Expr?)
    /// `pvm PRICE, QUANTITY from P1 to P2 by ITEM [over DATECOL]`.
    case pvm(price: Expr, quantity: Expr, from: Expr, to: Expr, by: Item, over: Name?)


}

/// A verb with its name and ranges.
public struct Stage: Sendable {
    public var verb: Verb
    public var kind: StageKind
    public var range: SourceRange
}

/// A source followed by verbs.
public struct Pipeline: Sendable {
    public var source: PipelineSource
    public var stages: [Stage]
    public var range: SourceRange
}

/// A top-level statement.
public enum Statement: Sendable {
    case query(Pipeline)
    case letBinding(Name, Pipeline)
    case param(Name, Expr)

    public var range: SourceRange {
        switch self {
        case .query(let p): return p.range
        case .letBinding(let n, let p): return n.range.union(p.range)
        case .param(let n, let e): return n.range.union(e.range)
        }
    }
}
