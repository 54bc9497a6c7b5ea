import TallyCore
import TallyLang

/// What `goal` and `simulate` bind: a measure and numbers known before their node runs.
extension Planner {
    /// A measure such as `sum(amount)`: at least one aggregate, a number.
    func measure(_ e: Expr, _ schema: Schema) throws -> BoundMeasure {
        let input = binder(schema)
        let collector = AggregateCollector(input: input, keyCount: 0)
        var outer = Binder(schema: Schema(names: [], types: []), params: params, aggregates: collector)
        outer.subqueries = input.subqueries
        let expr = try outer.bind(e)
        guard !collector.calls.isEmpty else { throw Diagnostic("the measure must use an aggregate such as sum(amount)", at: e.range) }
        guard expr.type.isNumeric else { throw Diagnostic("the measure must be a number, this is \(Expect.article(expr.type))", at: e.range) }
        return BoundMeasure(calls: collector.calls, expr: expr)
    }

    /// A number known before the node runs, or one computed when it runs (a sub-query); never one that reads columns.
    func runTimeConstant(_ e: Expr, what: String) throws -> BoundExpr {
        let bound = try binder(Schema(names: [], types: [])).bind(e)
        guard bound.type.isNumeric else { throw Diagnostic("\(what) must be a constant number", at: e.range) }
        return bound
    }
}
