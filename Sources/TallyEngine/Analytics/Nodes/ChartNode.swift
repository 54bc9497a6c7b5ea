import TallyCore

/// `chart bar|line|scatter X Y, … [by S] [stacked] | hist X [bins N] | funnel`: a chart of its input (a histogram's bins
/// for `hist`).
struct ChartNode: AnalyticNode {
    let input: LogicalPlan
    let spec: ChartPlan

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { ChartNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        "chart \(spec.kind.rawValue) \(spec.x.text(input))" + (spec.ys.isEmpty ? "" : " " + spec.ys.map { $0.text(input) }.joined(separator: ", "))
            + (spec.series.map { " by \($0.text(input))" } ?? "") + (spec.stacked ? " stacked" : "") + (spec.kind == .hist ? " bins \(spec.bins)" : "")
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let drawn = ([spec.x] + spec.ys + (spec.series.map { [$0] } ?? [])).flatMap(\.columns)
        let (child, m) = pruner.prune(input, Set(drawn).union(spec.kind == .hist ? [] : required))
        let node = ChartNode(input: child, spec: spec.remapped(m))
        // A histogram gives its bins; the other charts pass their input's rows on.
        if spec.kind == .hist { return (plan.with(.analytic(node)), ColumnPruner.identity(plan.schema.names.count)) }
        return (plan.with(.analytic(node), schema: child.schema), m)
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        try executor.chart(spec, try executor.table(input, hole), plan.range)
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`chart`", at: plan.range, because: "charts are drawn by Tally")
    }

    var runsInTally: Bool { true }
}
