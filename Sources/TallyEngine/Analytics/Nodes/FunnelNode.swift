import TallyCore

/// `funnel STAGE steps (…) [key ID] [date COL] [by G, …]`: entities reaching each step, conversion, drop-off and days
/// between steps.
struct FunnelNode: AnalyticNode {
    let input: LogicalPlan
    let spec: FunnelSpec

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { FunnelNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        "funnel \(input.names[spec.stage]) steps (" + spec.steps.map { "\"\($0)\"" }.joined(separator: ", ")
            + ") key \(input.names[spec.key]) date \(input.names[spec.date])"
            + (spec.groups.isEmpty ? "" : " by " + spec.groups.map { $0.text(input) }.joined(separator: ", "))
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, Set([spec.stage, spec.key, spec.date]).union(spec.groups.flatMap(\.columns)))
        let remapped = FunnelSpec(stage: m[spec.stage]!, steps: spec.steps, key: m[spec.key]!, date: m[spec.date]!,
                                  groups: spec.groups.map { $0.remapped(m) }, groupNames: spec.groupNames)
        return (plan.with(.analytic(FunnelNode(input: child, spec: remapped))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: try executor.funnel(spec, names: plan.schema.names, try executor.table(input, hole)))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`funnel`", at: plan.range, because: "it runs in Tally over each entity's first day per step")
    }

    var runsInTally: Bool { true }

    /// The database gives each entity's first day per step; the funnel is made in Tally from them.
    func remote(_ plan: LogicalPlan, _ runner: RemoteRunner) throws -> QueryResult? {
        let (rows, reduced) = try runner.firstDaysPerStep(input, spec)
        let node = FunnelNode(input: LogicalPlan(.hole, schema: Schema(rows), range: input.range), spec: reduced)
        return try runner.locally(plan.with(.analytic(node)), over: rows)
    }
}
