import TallyCore
import TallyLang

extension Executor {
    /// Applies `col = e`, `col *= e`, `col += e`, `col -= e` to the rows matching `filter` (all rows without one).
    /// Expressions see the unchanged input, so setters do not depend on each other's order.
    func applySetters(_ setters: [Setter], filter: Expr?, _ t: Table) throws -> Table {
        let b = binder(t)
        let ev = evaluator(t)
        var mask: Column? = nil
        if let filter {
            let p = try b.bind(filter)
            guard p.type == .bool else { throw Diagnostic("the `where` of a scenario needs a condition, this is \(Expect.article(p.type))", at: filter.range) }
            mask = try ev.evaluate(p)
        }
        var out = t
        for s in setters {
            let i = try columnIndex(s.column, t)
            let old = t.columns[i]
            let value = try b.bind(s.expr)
            var newValue: Column
            if s.op == "=" {
                guard let type = DataType.unify(old.type, value.type) else {
                    throw Diagnostic("`\(s.column.text)` is \(Expect.article(old.type)), the new value is \(Expect.article(value.type))", at: s.expr.range)
                }
                newValue = try ev.evaluate(value).coerced(to: type)
            } else {
                guard old.type.isNumeric else {
                    throw Diagnostic("`\(s.op)` needs a numeric column, `\(s.column.text)` is \(Expect.article(old.type))", at: s.column.range)
                }
                guard value.type.isNumeric else { throw b.typeError("`\(s.op)` needs a number", value) }
                let op = String(s.op.dropLast())
                let type: DataType = old.type == .int && value.type == .int ? .int : .float
                newValue = try Arithmetic.apply(op, old.coerced(to: type), try ev.evaluate(value).coerced(to: type), type: type)
            }
            if let mask {
                let type = DataType.unify(old.type, newValue.type) ?? newValue.type
                newValue = pick([old, newValue], choice: (0..<t.rowCount).map { mask.isTrue($0) ? 1 : 0 }, type: type)
            }
            out.columns[i] = newValue
        }
        return out
    }

    /// The names a later `agg … by` groups on, to refuse setters on them.
    func groupingKeys(_ stages: ArraySlice<Stage>) -> Set<String> {
        var keys = Set<String>()
        for s in stages {
            if case .agg(_, let by) = s.kind {
                for item in by { if case .column(let c) = item.expr.kind { keys.insert(c) }; keys.insert(item.outputName) }
            }
        }
        return keys
    }

    func rejectKeySetters(_ setters: [Setter], keys: Set<String>) throws {
        for s in setters where keys.contains(s.column.text) {
            throw Diagnostic("`\(s.column.text)` is a grouping key; a scenario changes measures, not keys", at: s.column.range,
                             hints: ["use `where` to pick the rows a scenario applies to"])
        }
    }
}
