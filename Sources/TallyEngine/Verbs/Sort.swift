import TallyCore
import TallyLang

extension Executor {
    /// The first `n` rows in the order of `keys` (stable; nulls last), overall or per group of `per`.
    func top(_ n: Int, _ keys: [BoundSortKey], per: [BoundExpr], _ t: Table) throws -> Table {
        let ev = evaluator(t)
        let columns = try keys.map { (try ev.evaluate($0.expr), descending: $0.descending) }
        let order = Sorter.permutation(keys: columns, rowCount: t.rowCount)
        guard !per.isEmpty else { return t.gather(Array(order.prefix(n))) }
        let groups = Grouping(keys: try per.map { try ev.evaluate($0) }, rowCount: t.rowCount)
        var taken = [Int](repeating: 0, count: groups.count)
        var rows: [Int32] = []
        for r in order {
            let g = Int(groups.ids[Int(r)])
            if taken[g] < n { taken[g] += 1; rows.append(r) }
        }
        return t.gather(rows)
    }
}
