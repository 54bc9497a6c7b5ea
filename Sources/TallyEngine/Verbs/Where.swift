import TallyCore
import TallyLang

extension Executor {
    /// `where PRED`: keeps the rows where PRED is true; null counts as false.
    func whereRows(_ predicate: Expr, _ t: Table) throws -> Table {
        let b = try binder(t).bind(predicate)
        guard b.type == .bool || b.type == .null else {
            throw Diagnostic("`where` needs a condition, this is \(Expect.article(b.type))", at: predicate.range,
                             hints: b.type == .string ? ["compare it: `\(predicate.autoName) == \"…\"`"] : ["compare it, e.g. `x > 0`"])
        }
        let rows = try evaluator(t).selection(b)
        return rows.count == t.rowCount ? t : t.gather(rows)
    }
}
