import TallyCore

extension ColumnPruning {
    static func remap(_ setters: [BoundSetter], _ m: [Int: Int]) -> [BoundSetter] {
        setters.map { BoundSetter(column: m[$0.column]!, op: $0.op, value: $0.value.remapped(m), type: $0.type) }
    }

    static func setterColumns(_ setters: [BoundSetter], _ filter: BoundExpr?) -> Set<Int> {
        var out = filter?.columns ?? []
        for s in setters { out.insert(s.column); out.formUnion(s.value.columns) }
        return out
    }

    /// The columns of its hole that a `whatif`'s rest reads.
    static func holeNeeds(_ rest: LogicalPlan) -> Set<Int> {
        let context = Context()
        _ = prune(rest, Set(rest.schema.names.indices), context)
        return context.holeNeeds
    }

    /// `whatif`: the input keeps what the rest reads from its hole (found on a first pass) and what the setters
    /// read and change; the rest is then pruned again over a hole of the pruned input.
    static func pruneWhatIf(_ plan: LogicalPlan, _ input: LogicalPlan, _ setters: [BoundSetter], _ filter: BoundExpr?, _ rest: LogicalPlan,
                            _ keys: Set<String>, _ context: Context) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let restOutputs = Set(rest.schema.names.indices)
        let first = Context()
        _ = prune(rest, restOutputs, first)
        let (child, m) = prune(input, first.holeNeeds.union(setterColumns(setters, filter)), context)
        let newSetters = remap(setters, m)
        let second = Context()
        second.holeReplacement = (LogicalPlan(.hole, schema: Planner.changed(child.schema, by: newSetters), range: rest.range), m)
        let newRest = prune(rest, restOutputs, second).plan
        let op = LogicalPlan.Operator.whatIf(child, setters: newSetters, filter: filter?.remapped(m), rest: newRest, keys: keys)
        return (plan.with(op), Dictionary(uniqueKeysWithValues: plan.schema.names.indices.map { ($0, $0) }))
    }

    /// `goal`: the input keeps what the measure, setters, filter and keys read; the varied value follows the kept columns.
    static func pruneGoal(_ plan: LogicalPlan, _ input: LogicalPlan, _ spec: GoalSpec, _ context: Context) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let variable = input.schema.names.count
        var need = setterColumns(spec.setters, spec.filter)
        for e in spec.measure.calls.flatMap(\.arguments) + spec.keys { need.formUnion(e.columns) }
        need.remove(variable)
        let (child, m) = prune(input, need, context)
        var withVariable = m
        withVariable[variable] = child.schema.names.count
        let calls = spec.measure.calls.map { $0.remapped(withVariable) }
        let newSpec = GoalSpec(measure: BoundMeasure(calls: calls, expr: spec.measure.expr), target: spec.target, variable: spec.variable,
                               low: spec.low, high: spec.high, setters: remap(spec.setters, withVariable), filter: spec.filter?.remapped(withVariable),
                               keys: spec.keys.map { $0.remapped(m) }, keyNames: spec.keyNames)
        return (plan.with(.goal(child, newSpec)), Dictionary(uniqueKeysWithValues: plan.schema.names.indices.map { ($0, $0) }))
    }
}
