import TallyCore

/// `rfm [by KEY] [date COL] [amount COL]`: per key, recency, frequency, monetary, their scores, segment and tier.
struct RFMNode: AnalyticNode {
    let input: LogicalPlan
    let key: Int
    let date: Int
    let amount: Int

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { RFMNode(input: inputs[0], key: key, date: date, amount: amount) }

    func description(_ input: Schema) -> String {
        "rfm by \(input.names[key]) date \(input.names[date]) amount \(input.names[amount])"
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, [key, date, amount])
        return (plan.with(.analytic(RFMNode(input: child, key: m[key]!, date: m[date]!, amount: m[amount]!))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: executor.rfm(key: key, date: date, amount: amount, names: plan.schema.names, try executor.table(input, hole)))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        generator.rfm(try generator.relation(input), key: key, keyIsText: input.schema.types[key] == .string, date: date, amount: amount)
    }
}
