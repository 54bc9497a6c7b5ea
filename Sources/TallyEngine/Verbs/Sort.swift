import TallyCore
import TallyLang

extension Executor {
    /// `sort KEY, ...`: stable; `-KEY` or `KEY desc` descending; nulls last.
    func sort(_ keys: [SortKey], _ t: Table) throws -> Table {
        let ev = evaluator(t)
        let b = binder(t)
        let columns = try keys.map { (try ev.evaluate(try b.bind($0.expr)), descending: $0.descending) }
        return t.gather(Sorter.permutation(keys: columns, rowCount: t.rowCount))
    }

    /// `top N by KEY [per GROUP, ...]`: the N rows with the largest KEY, overall or per group, largest first.
    func top(_ n: Expr, _ key: SortKey, per: [Expr], _ t: Table) throws -> Table {
        let limit = try count(n, t, what: "`top`")
        let ev = evaluator(t)
        let b = binder(t)
        let k = try ev.evaluate(try b.bind(key.expr))
        if k.type == .bool { throw Diagnostic("`top` needs a key that sorts, this is a bool", at: key.expr.range) }
        let order = Sorter.permutation(keys: [(k, key.descending)], rowCount: t.rowCount)
        guard !per.isEmpty else { return t.gather(Array(order.prefix(limit))) }
        let groups = Grouping(keys: try per.map { try ev.evaluate(try b.bind($0)) }, rowCount: t.rowCount)
        var taken = [Int](repeating: 0, count: groups.count)
        var rows: [Int32] = []
        for r in order {
            let g = Int(groups.ids[Int(r)])
            if taken[g] < limit { taken[g] += 1; rows.append(r) }
        }
        return t.gather(rows)
    }

    /// `distinct [col, ...]`: unique rows of the listed columns (all when none), in first-seen order.
    func distinct(_ names: [Name], _ t: Table) throws -> Table {
        let indices = names.isEmpty ? Array(t.names.indices) : try names.map { try columnIndex($0, t) }
        let projected = Table(names: indices.map { t.names[$0] }, columns: indices.map { t.columns[$0] }, rowCount: t.rowCount)
        let groups = Grouping(keys: projected.columns, rowCount: t.rowCount)
        return projected.gather(groups.firstRows)
    }
}
