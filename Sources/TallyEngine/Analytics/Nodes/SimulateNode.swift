import TallyCore

/// `simulate MEASURE per PERIOD next N [runs R] [seed S] [target T]`: a Monte Carlo bootstrap of per-period totals.
struct SimulateNode: AnalyticNode {
    let input: LogicalPlan
    let spec: SimulationSpec

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { SimulateNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        "simulate \(spec.measure.text(input)) per \(spec.period.text(input)) next \(spec.next) runs \(spec.runs) seed \(spec.seed)"
            + (spec.target.map { " target \($0.text(input))" } ?? "")
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, Set((spec.measure.calls.flatMap(\.arguments) + [spec.period]).flatMap(\.columns)))
        let measure = BoundMeasure(calls: spec.measure.calls.map { $0.remapped(m) }, expr: spec.measure.expr)
        let remapped = SimulationSpec(measure: measure, period: spec.period.remapped(m), next: spec.next, runs: spec.runs, seed: spec.seed,
                                      target: spec.target)
        return (plan.with(.analytic(SimulateNode(input: child, spec: remapped))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        try executor.simulate(spec, try executor.table(input, hole))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`simulate`", at: plan.range, because: "its bootstrap runs in Tally")
    }

    var runsInTally: Bool { true }

    /// The database gives the measure per period; the bootstrap runs in Tally over them.
    func remote(_ plan: LogicalPlan, _ runner: RemoteRunner) throws -> QueryResult? {
        let totals = try runner.perPeriodTotals(input, spec)
        return try runner.executor.bootstrap(spec, periods: totals.columns[0], totals: (0..<totals.rowCount).map { r in
            totals.columns[1].isNull(r) ? .nan : totals.columns[1].double(at: r)
        })
    }
}
