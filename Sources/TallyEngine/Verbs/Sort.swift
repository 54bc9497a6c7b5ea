import TallyCore
import TallyLang

extension Executor {
    /// The first `n` rows in the order of `keys` (stable; nulls last), overall or per group of `per`.
    func top(_ n: Int, _ keys: [BoundSortKey], per: [BoundExpr], _ t: Table) throws -> Table {
        let ev = evaluator(t)
        let columns = try keys.map { (try ev.evaluate($0.expr), descending: $0.descending) }
        guard !per.isEmpty else { return t.gather(Array(Sorter.permutation(keys: columns, rowCount: t.rowCount).prefix(n))) }
        let groups = Grouping(keys: try per.map { try ev.evaluate($0) }, rowCount: t.rowCount)
        if let codes = Executor.singleCode(columns), let kept = GroupTopN.rows(n, codes: codes, groups: groups) {
            return t.gather(RadixSort.stable(kept, by: codes))
        }
        var taken = [Int](repeating: 0, count: groups.count)
        var rows: [Int32] = []
        for r in Sorter.permutation(keys: columns, rowCount: t.rowCount) {
            let g = Int(groups.ids[Int(r)])
            if taken[g] < n { taken[g] += 1; rows.append(r) }
        }
        return t.gather(rows)
    }

    /// One order-preserving code per row for the whole key list, when there is one: a single key or keys whose spans
    /// pack into 64 bits, the first key without nulls (the sort puts those after every other row, whatever their code).
    private static func singleCode(_ keys: [(Column, descending: Bool)]) -> [UInt64]? {
        guard let first = keys.first, !first.0.hasNulls else { return nil }
        let codes = keys.map { Sorter.sortCodes($0.0, descending: $0.descending) }
        return codes.count == 1 ? codes[0] : Sorter.packed(codes)
    }
}
