import TallyCore
import TallyLang

extension Executor {
    /// `select ITEM, ...`: exactly these columns, in this order.
    func select(_ items: [Item], _ t: Table) throws -> Table {
        let bound = try bindAll(items, t)
        try checkUnique(items.map(\.outputName), items.map { $0.nameRange ?? $0.expr.range })
        let ev = evaluator(t)
        return Table(names: items.map(\.outputName), columns: try bound.map { try ev.evaluate($0) }, rowCount: t.rowCount)
    }

    /// `derive name = expr, ...`: adds or replaces columns, keeping the rest. Later items see earlier ones.
    func derive(_ items: [Item], _ t: Table) throws -> Table {
        var out = t
        for item in items {
            guard let name = item.name else {
                throw Diagnostic("`derive` needs a name for each column", at: item.expr.range, hints: ["write `name = \(item.expr.autoName)`"])
            }
            let column = try evaluator(out).evaluate(try binder(out).bind(item.expr))
            if let i = out.index(of: name) { out.columns[i] = column } else { out.names.append(name); out.columns.append(column) }
        }
        return out
    }

    /// Binds every item against a table's columns, reporting every item that fails.
    func bindAll(_ items: [Item], _ t: Table) throws -> [BoundExpr] {
        try bindEach(items, with: binder(t))
    }

    /// `drop col, ...`.
    func drop(_ names: [Name], _ t: Table) throws -> Table {
        var keep = Array(repeating: true, count: t.names.count)
        for n in names { keep[try columnIndex(n, t)] = false }
        let idx = keep.indices.filter { keep[$0] }
        return Table(names: idx.map { t.names[$0] }, columns: idx.map { t.columns[$0] }, rowCount: t.rowCount)
    }

    /// `rename new = old, ...`.
    func rename(_ pairs: [(Name, Name)], _ t: Table) throws -> Table {
        var out = t
        for (new, old) in pairs {
            let i = try columnIndex(old, out)
            if let j = out.index(of: new.text), j != i {
                throw Diagnostic("column `\(new.text)` already exists", at: new.range, hints: ["drop it first or pick another name"])
            }
            out.names[i] = new.text
        }
        return out
    }
}
