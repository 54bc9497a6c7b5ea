/// Moves filters towards the scans: below sorts, below projections without window functions (column
/// references replaced by the expressions they name), into the side of a join whose columns they read (when the
/// join keeps no unmatched rows of the other side), and into the filter below. Filtering earlier means later
/// operators see fewer rows, and a filter that reaches a scan can use its zone maps.
enum FilterPushdown {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        plan.transformUp { node in
            guard case .filter(let input, let conjuncts) = node.op else { return node }
            return push(conjuncts, into: input, like: node)
        }
    }

    /// A plan giving the rows of `input` where every conjunct holds.
    static func push(_ conjuncts: [BoundExpr], into input: LogicalPlan, like node: LogicalPlan) -> LogicalPlan {
        if conjuncts.isEmpty { return input }
        if conjuncts.contains(where: { $0.containsWindow }) { return filter(conjuncts, over: input, like: node) }
        switch input.op {
        case .filter(let source, let below):
            return push(below + conjuncts, into: source, like: node)
        case .sort(let source, let keys):
            return input.with(.sort(push(conjuncts, into: source, like: node), keys))
        case .project(let source, let exprs) where !exprs.contains(where: { $0.containsWindow }):
            let rewritten = conjuncts.map { c in c.replacingColumns { _, i in exprs[i] } }
            return input.with(.project(push(rewritten, into: source, like: node), exprs))
        case .join(let left, let right, let kind, let keys, let rightColumns):
            let leftCount = left.schema.names.count
            var toLeft: [BoundExpr] = [], toRight: [BoundExpr] = [], stay: [BoundExpr] = []
            for c in conjuncts {
                let cols = c.columns
                // One side may be filtered first only when the join keeps no unmatched rows of the other side: else
                // the other side's rows it would have matched come back as unmatched rows instead of going.
                if !kind.keepsUnmatchedRight, cols.allSatisfy({ $0 < leftCount }) {
                    toLeft.append(c)
                } else if kind == .inner || kind == .right, cols.allSatisfy({ $0 >= leftCount }) {
                    toRight.append(c.replacingColumns { column, i in
                        BoundExpr(.column(rightColumns[i - leftCount]), type: column.type, range: column.range)
                    })
                } else {
                    stay.append(c)
                }
            }
            if toLeft.isEmpty && toRight.isEmpty { return filter(conjuncts, over: input, like: node) }
            let joined = input.with(.join(push(toLeft, into: left, like: node), push(toRight, into: right, like: node), kind, keys: keys,
                                          rightColumns: rightColumns))
            return filter(stay, over: joined, like: node)
        default:
            return filter(conjuncts, over: input, like: node)
        }
    }

    static func filter(_ conjuncts: [BoundExpr], over input: LogicalPlan, like node: LogicalPlan) -> LogicalPlan {
        if conjuncts.isEmpty { return input }
        return LogicalPlan(.filter(input, conjuncts: conjuncts), schema: input.schema, range: node.range)
    }
}
