/// `sort` followed by `take N` becomes one top-N node (the first N rows in sort order), and nested limits merge.
enum TopN {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        plan.transformUp { node in
            guard case .limit(let input, let n) = node.op else { return node }
            switch input.op {
            case .sort(let source, let keys):
                return node.with(.topN(source, count: n, keys: keys, per: []))
            case .topN(let source, let m, let keys, let per) where per.isEmpty:
                return node.with(.topN(source, count: min(n, m), keys: keys, per: []))
            case .limit(let source, let m):
                return node.with(.limit(source, min(n, m)))
            default:
                return node
            }
        }
    }
}
