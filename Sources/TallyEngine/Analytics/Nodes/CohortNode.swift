import TallyCore

/// `cohort [by KEY] [date COL] [per PERIOD]`: keys by the period of their first activity, and the share active p0, p1, …
/// periods later.
struct CohortNode: AnalyticNode {
    let input: LogicalPlan
    let key: Int
    let date: Int
    let per: PeriodKind

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { CohortNode(input: inputs[0], key: key, date: date, per: per) }

    func description(_ input: Schema) -> String { "cohort by \(input.names[key]) date \(input.names[date]) per \(per.name)" }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, [key, date])
        return (plan.with(.analytic(CohortNode(input: child, key: m[key]!, date: m[date]!, per: per))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: executor.cohort(key: key, date: date, per: per, try executor.table(input, hole)))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`cohort`", at: plan.range, because: "its columns p0, p1, … are known only from the data")
    }

    var runsInTally: Bool { true }

    /// The database gives each key's distinct periods; the matrix is made in Tally from them.
    func remote(_ plan: LogicalPlan, _ runner: RemoteRunner) throws -> QueryResult? {
        let pairs = try runner.distinctPeriods(input, key: key, date: date, per: per)
        let schema = Schema(names: [input.schema.names[key], input.schema.names[date]], types: [input.schema.types[key], .date])
        let node = CohortNode(input: LogicalPlan(.hole, schema: schema, range: input.range), key: 0, date: 1, per: per)
        return try runner.locally(plan.with(.analytic(node)), over: pairs)
    }
}
