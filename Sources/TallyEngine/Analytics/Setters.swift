import TallyCore
import TallyLang

extension Executor {
    /// Applies `col = e`, `col *= e`, `col += e`, `col -= e` to the rows matching `filter` (all rows without one).
    /// Expressions see the unchanged input, so setters do not depend on each other's order.
    func applySetters(_ setters: [BoundSetter], filter: BoundExpr?, _ t: Table) throws -> Table {
        let ev = evaluator(t)
        let mask = try filter.map { try ev.evaluate($0) }
        var out = t
        for s in setters {
            let old = t.columns[s.column]
            let value = try ev.evaluate(s.value)
            var newValue: Column
            if let op = s.op.arithmetic {
                do {
                    newValue = try Arithmetic.apply(op, old.coerced(to: s.type), value.coerced(to: s.type), type: s.type)
                } catch let k as KernelError {
                    throw Diagnostic(k.message, at: s.value.range, hints: k.hints)
                }
            } else {
                newValue = value.coerced(to: s.type)
            }
            if let mask {
                newValue = pick([old.coerced(to: s.type), newValue], choice: (0..<t.rowCount).map { mask.isTrue($0) ? 1 : 0 }, type: s.type)
            }
            out.columns[s.column] = newValue
        }
        return out
    }

    /// The input with each changed column in its setter's type, unchanged otherwise: the baseline of a scenario.
    func baseline(_ setters: [BoundSetter], _ t: Table) -> Table {
        var out = t
        for s in setters { out.columns[s.column] = t.columns[s.column].coerced(to: s.type) }
        return out
    }
}
