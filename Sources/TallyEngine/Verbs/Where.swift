import TallyCore
import TallyLang

extension Executor {
    /// Keeps the rows where every conjunct is true (null counts as false), one conjunct after another so each
    /// later one runs only on the rows kept so far.
    func filter(_ conjuncts: [BoundExpr], _ t: Table) throws -> Table {
        var out = t
        // Range tests on zone-mapped columns first: they skip whole blocks and shrink the rest's input.
        let ordered = conjuncts.enumerated().sorted { a, b in
            let (x, y) = (Executor.usesZones(a.element, t), Executor.usesZones(b.element, t))
            return x != y ? x : a.offset < b.offset
        }.map(\.element)
        for c in ordered {
            // Filtering keeps the columns, so expressions bound to the input stay valid.
            let ev = evaluator(out)
            // A range test whose rows form one run (found from the zone map, reading only the edge blocks) is a slice.
            if let run = try Selection.run(c, ev) {
                if run.count != out.rowCount { out = out.slice(run) }
                continue
            }
            let rows = try ev.selection(c)
            guard rows.count != out.rowCount else { continue }
            // Selections are ascending: a run without gaps (a date range over sorted rows) is copied as a block.
            if let first = rows.first, let last = rows.last, Int(last) - Int(first) + 1 == rows.count {
                out = out.slice(Int(first)..<Int(last) + 1)
            } else {
                out = out.gather(rows)
            }
        }
        return out
    }

    /// Whether a predicate is a constant range test on a column that has a zone map.
    static func usesZones(_ p: BoundExpr, _ t: Table) -> Bool {
        func zoned(_ e: BoundExpr) -> Bool {
            if case .column(let i) = e.kind { return i < t.columns.count && t.columns[i].zones != nil }
            return false
        }
        switch p.kind {
        case .between(let a, let lo, let hi): return zoned(a) && lo.constantValue != nil && hi.constantValue != nil
        case .binary(let op, let a, let b) where [.equal, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(op):
            return (zoned(a) && b.constantValue != nil) || (zoned(b) && a.constantValue != nil)
        default: return false
        }
    }
}
