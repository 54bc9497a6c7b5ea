import TallyCore

/// `abc VALUE [by KEY] [at (a, b)]`: value per key (or per row), share, cumulative share largest first, class A/B/C.
struct ABCNode: AnalyticNode {
    let input: LogicalPlan
    let value: BoundExpr
    /// Per key, or per row (ties then ordered by the first input column) without one.
    let key: Int?
    /// The cumulative shares that close classes A and B.
    let limitA: Double
    let limitB: Double

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { ABCNode(input: inputs[0], value: value, key: key, limitA: limitA, limitB: limitB) }

    func description(_ input: Schema) -> String {
        "abc \(value.text(input))" + (key.map { " by \(input.names[$0])" } ?? "") + " at (\(formatNumber(limitA)), \(formatNumber(limitB)))"
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let inputCount = input.schema.names.count, all = plan.schema.names.count
        // Without a key, ties are ordered by the first input column, which therefore stays first.
        var need = value.columns.union(key.map { [$0] } ?? [0])
        if key == nil { need.formUnion(required.filter { $0 < inputCount }) }
        let (child, m) = pruner.prune(input, need)
        let node = ABCNode(input: child, value: value.remapped(m), key: key.map { m[$0]! }, limitA: limitA, limitB: limitB)
        guard key == nil else { return (plan.with(.analytic(node)), ColumnPruner.identity(all)) }
        let added = Array(inputCount..<all)
        var mapping = m
        for (k, j) in added.enumerated() { mapping[j] = child.schema.names.count + k }
        return (plan.with(.analytic(node), schema: child.schema.appending(plan.schema.selecting(added))), mapping)
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: try executor.abc(value, key: key, a: limitA, b: limitB, names: plan.schema.names, try executor.table(input, hole)))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        try generator.abc(try generator.relation(input), value: value, key: key, tieIsText: input.schema.types[key ?? 0] == .string, a: limitA, b: limitB)
    }
}
