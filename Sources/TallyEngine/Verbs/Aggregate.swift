import TallyCore
import TallyLang

extension Executor {
    /// `agg name = AGG, ... [by KEY, ...]`: keys then aggregates, one row per key, sorted by the keys.
    func aggregate(_ items: [Item], by keys: [Item], _ t: Table, verb: Stage) throws -> Table {
        if items.isEmpty && keys.isEmpty {
            throw Diagnostic("`agg` needs at least one aggregate or a `by` key", at: verb.range, hints: ["agg revenue = sum(amount) by region"])
        }
        let inputBinder = binder(t)
        let keyExprs = try bindEach(keys, with: inputBinder)
        let ev = evaluator(t)
        let keyColumns = try keyExprs.map { try ev.evaluate($0) }
        let grouping = Grouping(keys: keyColumns, rowCount: t.rowCount)
        if isCancelled() { throw Cancelled() }
        let groupCount = keys.isEmpty ? 1 : grouping.count
        let groupIDs = keys.isEmpty ? [Int32](repeating: 0, count: t.rowCount) : grouping.ids

        let keyNames = keys.map(\.outputName)
        let keyTable = Table(names: keyNames, columns: keyColumns.map { $0.gather(grouping.firstRows) }, rowCount: grouping.firstRows.count)
        let collector = AggregateCollector(input: inputBinder, keyCount: keys.count)
        let outer = Binder(schema: Schema(names: keyNames, types: keyColumns.map(\.type)), params: params, aggregates: collector)
        let itemExprs = try bindEach(items, with: outer)
        try checkUnique(keyNames + items.map(\.outputName), keys.map { $0.nameRange ?? $0.expr.range } + items.map { $0.nameRange ?? $0.expr.range })

        var slots = keys.isEmpty ? [] : keyTable.columns
        for call in collector.calls {
            let args = try call.arguments.map { try ev.evaluate($0) }
            slots.append(call.function.compute(args, groupIDs, groupCount))
        }
        let slotNames = keyNames + collector.calls.indices.map { "_agg\($0)" }
        let aggTable = Table(names: slotNames, columns: slots, rowCount: groupCount)
        let aggEv = evaluator(aggTable)
        let values = try itemExprs.map { try aggEv.evaluate($0) }
        let result = Table(names: keyNames + items.map(\.outputName), columns: (keys.isEmpty ? [] : keyTable.columns) + values, rowCount: groupCount)
        guard !keys.isEmpty else { return result }
        let order = Sorter.permutation(keys: result.columns.prefix(keys.count).map { ($0, false) }, rowCount: groupCount)
        return result.gather(order)
    }
}
