import TallyCore

/// `segment VALUE into N | at (…) [as NAME] [labels (…)]`: a bin column added after the input's, or replacing the input
/// column of its name.
struct SegmentNode: AnalyticNode {
    let input: LogicalPlan
    let value: BoundExpr
    let binning: Binning
    /// The bins' labels, one per bin, lowest first.
    let labels: [String]?
    /// The input column the bins replace, when the name is one of the input's.
    let replacing: Int?

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode {
        SegmentNode(input: inputs[0], value: value, binning: binning, labels: labels, replacing: replacing)
    }

    func description(_ input: Schema) -> String {
        switch binning {
        case .equalCount(let n): return "segment \(value.text(input)) into \(n)"
        case .cutPoints(let cuts): return "segment \(value.text(input)) at (" + cuts.map { formatNumber($0) }.joined(separator: ", ") + ")"
        }
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let inputCount = input.schema.names.count
        var need = required.filter { $0 < inputCount }.union(value.columns)
        if let replacing { need.insert(replacing) }
        let (child, m) = pruner.prune(input, need)
        let newReplacing = replacing.map { m[$0]! }
        var schema = child.schema
        var mapping = m
        if let replacing, let newReplacing {
            schema.types[newReplacing] = plan.schema.types[replacing]
            schema.nullable[newReplacing] = plan.schema.nullable[replacing]
        } else {
            schema = schema.appending(plan.schema.selecting([inputCount]))
            mapping[inputCount] = child.schema.names.count
        }
        let node = SegmentNode(input: child, value: value.remapped(m), binning: binning, labels: labels, replacing: newReplacing)
        return (plan.with(.analytic(node), schema: schema), mapping)
    }

    /// The name of the bin column: the replaced column's, or the one added last.
    func binName(_ plan: LogicalPlan) -> String { plan.schema.names[replacing ?? plan.schema.names.count - 1] }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        let t = try executor.table(input, hole)
        return QueryResult(table: try executor.segment(value, binning, labels: labels, replacing: replacing, name: binName(plan), t))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        try generator.segment(try generator.relation(input), value: value, binning: binning, labels: labels, replacing: replacing,
                              name: binName(plan), mayBeNull: value.mayBeNull(input.schema))
    }
}
