import TallyCore

/// `pivot KEY [in (…)] AGG [by G, …]`: an aggregate's (groups…, key, value) rows spread into one row per group and one
/// column per key value.
struct PivotNode: AnalyticNode {
    /// The aggregate by the groups and the key, with one value column.
    let input: LogicalPlan
    let spec: PivotSpec

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { PivotNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        "pivot \(input.names[spec.groupCount])" + (spec.values.map { " in (" + $0.map(\.text).joined(separator: ", ") + ")" } ?? " (a column per value)")
            + (spec.groupCount > 0 ? " by " + input.names.prefix(spec.groupCount).joined(separator: ", ") : "")
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, _) = pruner.prune(input, Set(input.schema.names.indices))
        return (plan.with(.analytic(PivotNode(input: child, spec: spec))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: try executor.pivot(spec, names: plan.schema.names, try executor.table(input, hole), plan.range))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`pivot`", at: plan.range, because: "its columns come from the data")
    }

    var runsInTally: Bool { true }
}
