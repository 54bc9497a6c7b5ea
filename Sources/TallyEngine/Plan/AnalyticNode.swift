import TallyCore

/// The plan node of an analytic verb (segment, rfm, abc, cohort, funnel, terms, pivot, whatif, goal, simulate, chart), in
/// one shape: its parameters are the conforming type's fields, and all that the optimizer, the executor, the SQL compiler
/// and `.explain` need of it is here — as DataFusion's `UserDefinedLogicalNodeCore` gives its extension nodes. The
/// relational core (scan, filter, project, aggregate, sort, limit, join, union) stays an enum the optimizer rewrites; an
/// analytic node is opaque to the rewrites but for its inputs and the columns it reads. Each lives in its verb's file in
/// `Analytics/`, with the planning of its stage and its execution.
protocol AnalyticNode {
    /// Its inputs; expressions read the first one's columns.
    var inputs: [LogicalPlan] { get }
    /// The same node over other inputs with the same columns.
    func with(inputs: [LogicalPlan]) -> any AnalyticNode
    /// Its line in `.explain`, its columns named from its first input.
    func description(_ input: Schema) -> String
    /// The node over inputs pruned to the columns it reads to give the `required` of `plan`'s columns, and where each of
    /// `plan`'s columns it keeps now is (its schema shrinks where it passes input columns through).
    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int])
    /// Its result; `hole` is what a `whatif`'s rest reads at its hole.
    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult
    /// Its SQL over its input's relation, or the refusal that says why the verb has none.
    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation
    /// Whether its own work is Tally's when its input is in a database (only what feeds it runs there).
    var runsInTally: Bool { get }
    /// Its result on a database from queries of its own that bring back only what it needs, or nil to run its input
    /// there and itself in Tally over the result.
    func remote(_ plan: LogicalPlan, _ runner: RemoteRunner) throws -> QueryResult?
}

extension AnalyticNode {
    var runsInTally: Bool { false }
    func remote(_ plan: LogicalPlan, _ runner: RemoteRunner) throws -> QueryResult? { nil }

    /// The first input.
    var input: LogicalPlan { inputs[0] }
}

/// Prunes a plan to the columns its parent reads (``ColumnPruning``), for analytic nodes to prune their inputs with.
struct ColumnPruner {
    let context: ColumnPruning.Context

    /// A plan giving at least `required` of `plan`'s columns, and where each kept column now is.
    func prune(_ plan: LogicalPlan, _ required: Set<Int>) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        ColumnPruning.prune(plan, required, context)
    }

    /// Every column at its own position.
    static func identity(_ count: Int) -> [Int: Int] { Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, $0) }) }
}
