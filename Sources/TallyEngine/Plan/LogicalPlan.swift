import TallyCore
import TallyLang

/// Where a scan reads its rows.
public enum ScanSource: Equatable {
    /// A catalog table.
    case table(String)
    /// The previous result, `_`.
    case previous
}

/// A sort key bound to the input: an expression and its direction.
public struct BoundSortKey {
    public let expr: BoundExpr
    public let descending: Bool
}

/// An aggregate call of an `agg`-like node: its function and arguments bound to the node's input.
public struct AggregateCall {
    public let function: AggregateFunction
    public let arguments: [BoundExpr]
    /// Where the call is written, for errors its kernel reports.
    public let range: SourceRange

    /// The same call reading column `mapping[i]` where it read column `i`.
    func remapped(_ mapping: [Int: Int]) -> AggregateCall {
        AggregateCall(function: function, arguments: arguments.map { $0.remapped(mapping) }, range: range)
    }

    /// One value per group; a kernel's failure (an overflowing sum) is reported at the call.
    func compute(_ args: [Column], _ groups: [Int32], _ groupCount: Int) throws -> Column {
        do {
            return try function.compute(args, groups, groupCount)
        } catch let k as KernelError {
            throw Diagnostic(k.message, at: range, hints: k.hints)
        }
    }
}

/// A measure such as `sum(amount) * 1.1`: aggregate calls over the input, then an expression over their slots.
public struct BoundMeasure {
    public let calls: [AggregateCall]
    /// Bound to a table whose columns are the calls' results, in order.
    public let expr: BoundExpr
}

/// `col op value` of `whatif` and `goal`, bound to the input.
public struct BoundSetter {
    public let column: Int
    public let op: SetterOperator
    public let value: BoundExpr
    /// The type of the changed column.
    public let type: DataType
}

/// How `segment` bins a value.
public enum Binning {
    /// `into N`: equal-count bins (NTILE).
    case equalCount(Int)
    /// `at (c1, c2, …)`: fixed, increasing cut points.
    case cutPoints([Double])

    var binCount: Int {
        switch self {
        case .equalCount(let n): return n
        case .cutPoints(let cuts): return cuts.count + 1
        }
    }
}

/// One node of a bound query: an operator over its children, and the schema it produces.
/// Expressions refer to the columns of the node's input (the left input for joins) by position.
public final class LogicalPlan {
    indirect enum Operator {
        case scan(ScanSource, columns: [Int])
        /// The input of the rest of a pipeline after `whatif` (filled with the baseline, then the scenario).
        case hole
        case filter(LogicalPlan, conjuncts: [BoundExpr])
        case project(LogicalPlan, [BoundExpr])
        /// Keys then aggregate calls; `outputs` are bound to a table of the keys followed by one column per call.
        case aggregate(LogicalPlan, keys: [BoundExpr], calls: [AggregateCall], outputs: [BoundExpr])
        case sort(LogicalPlan, [BoundSortKey])
        case limit(LogicalPlan, Int)
        /// The first `count` rows by `keys` (stable), per group of `per` when given.
        case topN(LogicalPlan, count: Int, keys: [BoundSortKey], per: [BoundExpr])
        case distinct(LogicalPlan, columns: [Int])
        case count(LogicalPlan)
        /// Left columns, then the right columns listed in `rightColumns` (none for semi and anti joins).
        case join(LogicalPlan, LogicalPlan, JoinKind, keys: [(left: BoundExpr, right: BoundExpr)], rightColumns: [Int])
        /// Rows of the left then the right input; `rightColumns[i]` is the right column under left column i.
        case union(LogicalPlan, LogicalPlan, rightColumns: [Int])
        /// An analytic verb's node (segment, rfm, abc, cohort, funnel, terms, pivot, whatif, goal, simulate, chart).
        case analytic(any AnalyticNode)
    }

    let op: Operator
    public let schema: Schema
    /// The text this node was planned from.
    public let range: SourceRange

    init(_ op: Operator, schema: Schema, range: SourceRange) {
        self.op = op
        self.schema = schema
        self.range = range
    }

    /// The same node with another operator (and optionally another schema).
    func with(_ op: Operator, schema: Schema? = nil) -> LogicalPlan {
        LogicalPlan(op, schema: schema ?? self.schema, range: range)
    }

    /// Whether the plan may read `_`: it scans it, or holds an analytic node (whose plans for the rest of a pipeline
    /// are not among its inputs).
    var mayReadPrevious: Bool {
        switch op {
        case .scan(.previous, _), .analytic: return true
        default: return children.contains { $0.mayReadPrevious }
        }
    }

    /// The direct inputs, left first.
    public var children: [LogicalPlan] {
        switch op {
        case .scan, .hole: return []
        case .filter(let c, _), .project(let c, _), .aggregate(let c, _, _, _), .sort(let c, _), .limit(let c, _), .topN(let c, _, _, _),
             .distinct(let c, _), .count(let c):
            return [c]
        case .analytic(let node): return node.inputs
        case .join(let l, let r, _, _, _), .union(let l, let r, _): return [l, r]
        }
    }
}

/// `funnel STAGE steps (…) [key ID] [date COL] [by G, …]`, bound: column positions of the input.
public struct FunnelSpec {
    public let stage: Int
    public let steps: [String]
    public let key: Int
    public let date: Int
    public let groups: [BoundExpr]
    public let groupNames: [String]
}

/// `terms TEXT [top N] [stop (…)] [by G, …]`, bound.
public struct TermsSpec {
    public let text: BoundExpr
    /// Terms kept per group, most frequent first (nil: all).
    public let top: Int?
    /// Words left out besides the built-in stop words, lower-cased.
    public let stop: Set<String>
    public let groups: [BoundExpr]
    public let groupNames: [String]
}

/// `goal MEASURE = TARGET vary NAME in LOW..HIGH with SETTERS [where PRED] [by KEYS]`, bound.
/// The measure, setters and filter see the input columns followed by the varied value.
public struct GoalSpec {
    public let measure: BoundMeasure
    public let comparison: GoalComparison
    /// Evaluated when the node runs (it may hold a sub-query).
    public let target: BoundExpr
    public let variable: String
    public let low: Double
    public let high: Double
    public let setters: [BoundSetter]
    public let filter: BoundExpr?
    public let keys: [BoundExpr]
    public let keyNames: [String]
}

/// `simulate MEASURE per PERIOD next N [runs R] [seed S] [target T]`, bound.
public struct SimulationSpec {
    public let measure: BoundMeasure
    public let period: BoundExpr
    public let next: Int
    public let runs: Int
    public let seed: Int
    /// Evaluated when the node runs (it may hold a sub-query).
    public let target: BoundExpr?
}

/// `chart KIND X [Y] [bins N]`, bound.
public struct ChartPlan {
    public let kind: ChartKind
    public let x: BoundExpr
    /// One expression per series (none for a histogram).
    public let ys: [BoundExpr]
    /// `by SERIES`: one series per value of this expression (with a single Y).
    public let series: BoundExpr?
    /// Bars of the series stacked rather than side by side.
    public let stacked: Bool
    public let bins: Int
    public let xTitle: String
    public let yTitles: [String]

    /// The same chart reading other columns.
    func remapped(_ m: [Int: Int]) -> ChartPlan {
        ChartPlan(kind: kind, x: x.remapped(m), ys: ys.map { $0.remapped(m) }, series: series?.remapped(m), stacked: stacked, bins: bins,
                  xTitle: xTitle, yTitles: yTitles)
    }
}

/// `pivot KEY [in (v1, …)] AGG [by G, …]`, bound: the input is the aggregate by (G…, KEY) with one value column.
public struct PivotSpec {
    /// How many group columns lead the input (and the output).
    public let groupCount: Int
    /// The key values that become columns, in order; nil to take every value in the data, in sort order.
    public let values: [Value]?
    /// Whether a group without a row for a value shows 0 (counts) rather than null.
    public let fillsZero: Bool
}
