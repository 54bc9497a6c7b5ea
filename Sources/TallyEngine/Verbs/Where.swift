import TallyCore
import TallyLang

extension Executor {
    /// `where PRED`: keeps the rows where PRED is true; null counts as false. The conjuncts of
    /// `a and b and …` filter one after another, so each later one runs only on the rows kept so far.
    func whereRows(_ predicate: Expr, _ t: Table) throws -> Table {
        let b = binder(t)
        let conjuncts = try Executor.conjuncts(predicate).map { part -> BoundExpr in
            let bound = try b.bind(part)
            guard bound.type == .bool || bound.type == .null else {
                throw Diagnostic("`where` needs a condition, this is \(Expect.article(bound.type))", at: part.range,
                                 hints: bound.type == .string ? ["compare it: `\(part.autoName) == \"…\"`"] : ["compare it, e.g. `x > 0`"])
            }
            return bound
        }
        var out = t
        // Range tests on zone-mapped columns first: they skip whole blocks and shrink the rest's input.
        let ordered = conjuncts.enumerated().sorted { a, b in
            let (x, y) = (Executor.usesZones(a.element, t), Executor.usesZones(b.element, t))
            return x != y ? x : a.offset < b.offset
        }.map(\.element)
        for c in ordered {
            // Filtering keeps the columns, so expressions bound to the input stay valid.
            let rows = try evaluator(out).selection(c)
            if rows.count != out.rowCount { out = out.gather(rows) }
        }
        return out
    }

    /// Whether a predicate is a constant range test on a column that has a zone map.
    static func usesZones(_ p: BoundExpr, _ t: Table) -> Bool {
        func zoned(_ e: BoundExpr) -> Bool {
            if case .column(let i) = e.kind { return t.columns[i].zones != nil }
            return false
        }
        switch p.kind {
        case .between(let a, let lo, let hi): return zoned(a) && lo.constantValue != nil && hi.constantValue != nil
        case .binary(let op, let a, let b) where ["==", "<", "<=", ">", ">="].contains(op):
            return (zoned(a) && b.constantValue != nil) || (zoned(b) && a.constantValue != nil)
        default: return false
        }
    }

    /// `a and b and c` as `[a, b, c]`.
    static func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary("and", let a, let b) = e.kind { return conjuncts(a) + conjuncts(b) }
        return [e]
    }
}
