import TallyCore

/// Drops the columns no later node reads, by bound position: each node is asked for the columns its parent
/// needs, asks its inputs for those plus the ones its own expressions read, and renumbers its expressions.
/// Scans then hand on only the columns the query uses, and joins gather only the right-side columns kept.
enum ColumnPruning {
    /// Where the rest of a `whatif` pipeline gets its input, while that pipeline is pruned.
    final class Context {
        /// The columns the hole must provide (collected on a first pass).
        var holeNeeds = Set<Int>()
        /// The hole to use instead, with where each old column now is (on the second pass).
        var holeReplacement: (plan: LogicalPlan, mapping: [Int: Int])?
    }

    /// The columns of its hole that a `whatif`'s rest reads.
    static func holeNeeds(_ rest: LogicalPlan) -> Set<Int> {
        let context = Context()
        _ = prune(rest, Set(rest.schema.names.indices), context)
        return context.holeNeeds
    }

    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        prune(plan, Set(plan.schema.names.indices), Context()).plan
    }

    /// A plan that produces at least the `required` columns, and where each kept column of the old plan now is.
    static func prune(_ plan: LogicalPlan, _ required: Set<Int>, _ context: Context) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let all = Set(plan.schema.names.indices)
        func identity(_ n: Int) -> [Int: Int] { Dictionary(uniqueKeysWithValues: (0..<n).map { ($0, $0) }) }
        func remap(_ e: BoundExpr, _ m: [Int: Int]) -> BoundExpr { e.remapped(m) }
        func cols(_ es: [BoundExpr]) -> Set<Int> { es.reduce(into: Set<Int>()) { $0.formUnion($1.columns) } }
        /// Prunes the single input and rebuilds this node with the same schema and remapped expressions.
        func passThrough(_ input: LogicalPlan, _ need: Set<Int>, _ build: (LogicalPlan, [Int: Int]) -> LogicalPlan.Operator) -> (LogicalPlan, [Int: Int]) {
            let (child, m) = prune(input, need, context)
            return (LogicalPlan(build(child, m), schema: child.schema, range: plan.range), m)
        }
        switch plan.op {
        case .scan(let source, let columns):
            let keep = columns.indices.filter { required.contains($0) }
            let mapping = Dictionary(uniqueKeysWithValues: keep.enumerated().map { ($1, $0) })
            return (plan.with(.scan(source, columns: keep.map { columns[$0] }), schema: plan.schema.selecting(keep)), mapping)
        case .hole:
            context.holeNeeds.formUnion(required)
            return context.holeReplacement ?? (plan, identity(plan.schema.names.count))
        case .filter(let input, let conjuncts):
            return passThrough(input, required.union(cols(conjuncts))) { c, m in .filter(c, conjuncts: conjuncts.map { remap($0, m) }) }
        case .sort(let input, let keys):
            return passThrough(input, required.union(cols(keys.map(\.expr)))) { c, m in
                .sort(c, keys.map { BoundSortKey(expr: remap($0.expr, m), descending: $0.descending) })
            }
        case .limit(let input, let n):
            return passThrough(input, required) { c, _ in .limit(c, n) }
        case .topN(let input, let n, let keys, let per):
            return passThrough(input, required.union(cols(keys.map(\.expr) + per))) { c, m in
                .topN(c, count: n, keys: keys.map { BoundSortKey(expr: remap($0.expr, m), descending: $0.descending) }, per: per.map { remap($0, m) })
            }
        case .project(let input, let exprs):
            let keep = exprs.indices.filter { required.contains($0) }
            let (child, m) = prune(input, cols(keep.map { exprs[$0] }), context)
            let mapping = Dictionary(uniqueKeysWithValues: keep.enumerated().map { ($1, $0) })
            let newExprs = keep.map { remap(exprs[$0], m) }
            let schema = plan.schema.selecting(keep)
            // A projection that passes its input through unchanged is dropped.
            let passes = newExprs.enumerated().allSatisfy { k, e in if case .column(k) = e.kind { return true } else { return false } }
            if passes, newExprs.count == child.schema.names.count, schema.names == child.schema.names { return (child, mapping) }
            return (plan.with(.project(child, newExprs), schema: schema), mapping)
        case .aggregate(let input, let keys, let calls, let outputs):
            let (child, m) = prune(input, cols(keys + calls.flatMap(\.arguments)), context)
            let newCalls = calls.map { $0.remapped(m) }
            return (plan.with(.aggregate(child, keys: keys.map { remap($0, m) }, calls: newCalls, outputs: outputs)), identity(all.count))
        case .distinct(let input, let columns):
            let (child, m) = prune(input, Set(columns), context)
            return (plan.with(.distinct(child, columns: columns.map { m[$0]! })), identity(all.count))
        case .count(let input):
            return (plan.with(.count(prune(input, [], context).plan)), identity(all.count))
        case .join(let left, let right, let kind, let keys, let rightColumns):
            let leftCount = left.schema.names.count
            let keptRight = rightColumns.indices.filter { required.contains(leftCount + $0) }
            let (l, ml) = prune(left, Set(required.filter { $0 < leftCount }).union(cols(keys.map(\.left))), context)
            let (r, mr) = prune(right, Set(keptRight.map { rightColumns[$0] }).union(cols(keys.map(\.right))), context)
            let newKeys = keys.map { (left: remap($0.left, ml), right: remap($0.right, mr)) }
            let schema = l.schema.appending(plan.schema.selecting(keptRight.map { leftCount + $0 }))
            var mapping = ml
            for (k, j) in keptRight.enumerated() { mapping[leftCount + j] = l.schema.names.count + k }
            let op = LogicalPlan.Operator.join(l, r, kind, keys: newKeys, rightColumns: keptRight.map { mr[rightColumns[$0]]! })
            return (plan.with(op, schema: schema), mapping)
        case .union(let left, let right, let rightColumns):
            // Both sides keep every column, so their positions do not move.
            let l = prune(left, Set(left.schema.names.indices), context).plan
            let r = prune(right, Set(right.schema.names.indices), context).plan
            return (plan.with(.union(l, r, rightColumns: rightColumns)), identity(all.count))
        case .analytic(let node):
            return node.pruned(plan, required: required, ColumnPruner(context: context))
        }
    }
}
