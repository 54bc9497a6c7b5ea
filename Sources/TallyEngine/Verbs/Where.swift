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
        for c in conjuncts {
            // Filtering keeps the columns, so expressions bound to the input stay valid.
            let rows = try evaluator(out).selection(c)
            if rows.count != out.rowCount { out = out.gather(rows) }
        }
        return out
    }

    /// `a and b and c` as `[a, b, c]`.
    static func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary("and", let a, let b) = e.kind { return conjuncts(a) + conjuncts(b) }
        return [e]
    }
}
