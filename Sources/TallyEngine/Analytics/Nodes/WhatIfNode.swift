import TallyCore

/// `whatif SETTERS [where PRED]`: the rest of the pipeline (rooted at a ``LogicalPlan/Operator/hole``) over the input and
/// over the changed input, side by side by their keys.
struct WhatIfNode: AnalyticNode {
    let input: LogicalPlan
    let setters: [BoundSetter]
    /// The rows the setters change (all without one).
    let filter: BoundExpr?
    /// The rest of the pipeline, reading the input at its hole.
    let rest: LogicalPlan
    /// Columns of the rest's result to line the two results up by, besides those that are not numbers.
    let keys: Set<String>

    var inputs: [LogicalPlan] { [input, rest] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode {
        WhatIfNode(input: inputs[0], setters: setters, filter: filter, rest: inputs[1], keys: keys)
    }

    func description(_ input: Schema) -> String {
        "whatif " + setters.map { "\(input.names[$0.column]) \($0.op.rawValue) \($0.value.text(input))" }.joined(separator: ", ")
            + (filter.map { " where \($0.text(input))" } ?? "")
    }

    /// The input keeps what the rest reads from its hole (found on a first pass) and what the setters read and change;
    /// the rest is then pruned again over a hole of the pruned input.
    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let restOutputs = Set(rest.schema.names.indices)
        let first = ColumnPruning.Context()
        _ = ColumnPruning.prune(rest, restOutputs, first)
        let (child, m) = pruner.prune(input, first.holeNeeds.union(WhatIfNode.columns(setters, filter)))
        let newSetters = WhatIfNode.remap(setters, m)
        let second = ColumnPruning.Context()
        second.holeReplacement = (LogicalPlan(.hole, schema: Planner.changed(child.schema, by: newSetters), range: rest.range), m)
        let newRest = ColumnPruning.prune(rest, restOutputs, second).plan
        let node = WhatIfNode(input: child, setters: newSetters, filter: filter?.remapped(m), rest: newRest, keys: keys)
        return (plan.with(.analytic(node)), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        let t = try executor.table(input, hole)
        let scenario = try executor.applySetters(setters, filter: filter, t)
        let base = try executor.table(rest, executor.baseline(setters, t)), changed = try executor.table(rest, scenario)
        return QueryResult(table: Scenario.compare(base: base, scenario: changed, keys: keys))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        try generator.whatIf(try generator.relation(input), setters: setters, filter: filter, rest: rest, keys: keys, input.schema)
    }

    /// The columns setters read and change, and their filter reads.
    static func columns(_ setters: [BoundSetter], _ filter: BoundExpr?) -> Set<Int> {
        var out = filter?.columns ?? []
        for s in setters { out.insert(s.column); out.formUnion(s.value.columns) }
        return out
    }

    /// Setters reading and changing the columns at their new positions.
    static func remap(_ setters: [BoundSetter], _ m: [Int: Int]) -> [BoundSetter] {
        setters.map { BoundSetter(column: m[$0.column]!, op: $0.op, value: $0.value.remapped(m), type: $0.type) }
    }
}
