import TallyCore

/// `terms TEXT [top N] [stop (…)] [by G, …]`: the words of a text column, the rows holding each and their share.
struct TermsNode: AnalyticNode {
    let input: LogicalPlan
    let spec: TermsSpec

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { TermsNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        let stop = spec.stop.isEmpty ? "" : " stop (" + spec.stop.sorted().joined(separator: ", ") + ")"
        return "terms \(spec.text.text(input))" + (spec.top.map { " top \($0)" } ?? "") + stop
            + (spec.groups.isEmpty ? "" : " by " + spec.groups.map { $0.text(input) }.joined(separator: ", "))
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, spec.text.columns.union(spec.groups.flatMap(\.columns)))
        let remapped = TermsSpec(text: spec.text.remapped(m), top: spec.top, stop: spec.stop, groups: spec.groups.map { $0.remapped(m) },
                                 groupNames: spec.groupNames)
        return (plan.with(.analytic(TermsNode(input: child, spec: remapped))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: try executor.terms(spec, names: plan.schema.names, try executor.table(input, hole)))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`terms`", at: plan.range, because: "words are split by Tally's own tokenizer")
    }
}
