/// Rewrites a bound plan into a cheaper one with the same result, one rule after another.
public enum Optimizer {
    /// A plan → plan rewrite that keeps every result the same.
    public struct Rule {
        public let name: String
        public let apply: (LogicalPlan) -> LogicalPlan
    }

    /// The rules, in the order they run: conditions are simplified, then pushed down, then the
    /// sort+take pairs become top-N, and last the columns nobody reads are dropped.
    public static let rules: [Rule] = [
        Rule(name: "constant conditions", apply: ConstantConditions.apply),
        Rule(name: "filter pushdown", apply: FilterPushdown.apply),
        Rule(name: "top-n", apply: TopN.apply),
        Rule(name: "column pruning", apply: ColumnPruning.apply),
    ]

    /// The plan after every rule.
    public static func optimize(_ plan: LogicalPlan) -> LogicalPlan {
        rules.reduce(plan) { $1.apply($0) }
    }
}

extension LogicalPlan {
    /// The same node over new children (in the order of ``children``); other fields stay.
    func replacingChildren(_ new: [LogicalPlan]) -> LogicalPlan {
        let op: Operator
        switch self.op {
        case .scan, .hole: return self
        case .filter(_, let c): op = .filter(new[0], conjuncts: c)
        case .project(_, let e): op = .project(new[0], e)
        case .aggregate(_, let k, let c, let o): op = .aggregate(new[0], keys: k, calls: c, outputs: o)
        case .sort(_, let k): op = .sort(new[0], k)
        case .limit(_, let n): op = .limit(new[0], n)
        case .topN(_, let n, let k, let p): op = .topN(new[0], count: n, keys: k, per: p)
        case .distinct(_, let c): op = .distinct(new[0], columns: c)
        case .count: op = .count(new[0])
        case .join(_, _, let kind, let keys, let rc): op = .join(new[0], new[1], kind, keys: keys, rightColumns: rc)
        case .union(_, _, let rc): op = .union(new[0], new[1], rightColumns: rc)
        case .analytic(let node): op = .analytic(node.with(inputs: new))
        }
        return with(op)
    }

    /// This plan with `rewrite` applied to every node, children first.
    func transformUp(_ rewrite: (LogicalPlan) -> LogicalPlan) -> LogicalPlan {
        let kids = children
        let node = kids.isEmpty ? self : replacingChildren(kids.map { $0.transformUp(rewrite) })
        return rewrite(node)
    }
}
