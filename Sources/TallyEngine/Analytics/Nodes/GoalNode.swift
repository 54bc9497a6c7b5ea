import TallyCore

/// `goal MEASURE = TARGET vary NAME in LOW..HIGH with SETTERS [where PRED] [by KEYS]`: the value of NAME at which the
/// measure reaches the target, per group.
struct GoalNode: AnalyticNode {
    let input: LogicalPlan
    let spec: GoalSpec

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { GoalNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        let scenario = input.setting(spec.variable, .float, nullable: false)
        let setters = spec.setters.map { "\(scenario.names[$0.column]) \($0.op.rawValue) \($0.value.text(scenario))" }.joined(separator: ", ")
        let range = "\(writtenNumber(spec.low))..\(writtenNumber(spec.high))"
        return "goal \(spec.measure.text(scenario)) = \(spec.target.text(input)) vary \(spec.variable) in \(range) with \(setters)"
            + (spec.filter.map { " where \($0.text(scenario))" } ?? "")
            + (spec.keys.isEmpty ? "" : " by " + spec.keys.map { $0.text(input) }.joined(separator: ", "))
    }

    /// The input keeps what the measure, setters, filter and keys read; the varied value follows the kept columns.
    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let variable = input.schema.names.count
        var need = WhatIfNode.columns(spec.setters, spec.filter)
        for e in spec.measure.calls.flatMap(\.arguments) + spec.keys { need.formUnion(e.columns) }
        need.remove(variable)
        let (child, m) = pruner.prune(input, need)
        var withVariable = m
        withVariable[variable] = child.schema.names.count
        let calls = spec.measure.calls.map { $0.remapped(withVariable) }
        let remapped = GoalSpec(measure: BoundMeasure(calls: calls, expr: spec.measure.expr), target: spec.target, variable: spec.variable,
                                low: spec.low, high: spec.high, setters: WhatIfNode.remap(spec.setters, withVariable),
                                filter: spec.filter?.remapped(withVariable), keys: spec.keys.map { $0.remapped(m) }, keyNames: spec.keyNames)
        return (plan.with(.analytic(GoalNode(input: child, spec: remapped))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: try executor.goal(spec, try executor.table(input, hole), range: plan.range))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`goal`", at: plan.range, because: "it searches by running the measure many times")
    }

    var runsInTally: Bool { true }

    /// The search runs in Tally; each evaluation of the measure is one aggregate query on the database.
    func remote(_ plan: LogicalPlan, _ runner: RemoteRunner) throws -> QueryResult? {
        QueryResult(table: try runner.goal(input, spec))
    }
}
