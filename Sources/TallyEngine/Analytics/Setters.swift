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

extension Planner {
    /// Binds `col op value` setters and their optional row filter against a schema.
    func bindSetters(_ setters: [Setter], filter: Expr?, _ schema: Schema) throws -> ([BoundSetter], BoundExpr?) {
        let b = binder(schema)
        var mask: BoundExpr?
        if let filter {
            let p = try b.bind(filter)
            guard p.type == .bool else { throw Diagnostic("the `where` of a scenario needs a condition, this is \(Expect.article(p.type))", at: filter.range) }
            mask = p
        }
        var out: [BoundSetter] = []
        for s in setters {
            let i = try columnIndex(s.column, schema)
            let old = schema.types[i]
            let value = try b.bind(s.expr)
            let op = s.op
            let type: DataType
            if op == .assign {
                guard let t = DataType.unify(old, value.type) else {
                    throw Diagnostic("`\(s.column.text)` is \(Expect.article(old)), the new value is \(Expect.article(value.type))", at: s.expr.range)
                }
                type = t
            } else {
                guard old.isNumeric else {
                    throw Diagnostic("`\(op.rawValue)` needs a numeric column, `\(s.column.text)` is \(Expect.article(old))", at: s.column.range)
                }
                guard value.type.isNumeric else { throw b.typeError("`\(op.rawValue)` needs a number", value) }
                type = old == .int && value.type == .int ? .int : .float
            }
            out.append(BoundSetter(column: i, op: op, value: value, type: type))
        }
        return (out, mask)
    }

    /// A schema after setters: a changed column takes the setter's type (`quantity *= 1.05` makes it a float).
    static func changed(_ schema: Schema, by setters: [BoundSetter]) -> Schema {
        var out = schema
        for s in setters { out.types[s.column] = s.type }
        return out
    }

    static func rejectKeySetters(_ setters: [Setter], keys: Set<String>) throws {
        for s in setters where keys.contains(s.column.text) {
            throw Diagnostic("`\(s.column.text)` is a grouping key; a scenario changes measures, not keys", at: s.column.range,
                             hints: ["use `where` to pick the rows a scenario applies to"])
        }
    }
}
