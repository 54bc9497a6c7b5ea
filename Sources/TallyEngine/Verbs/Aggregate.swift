import TallyCore
import TallyLang

extension Executor {
    /// Keys then aggregates, one row per key, sorted by the keys (one row without keys).
    func aggregate(keys: [BoundExpr], calls: [AggregateCall], outputs: [BoundExpr], names: [String], _ t: Table) throws -> Table {
        let ev = evaluator(t)
        let keyColumns = try keys.map { try ev.evaluate($0) }
        let grouping = Grouping(byKeys: keyColumns, rowCount: t.rowCount)
        if isCancelled() { throw Cancelled() }
        let groupCount = grouping.count, groupIDs = grouping.ids
        var slots = keys.isEmpty ? [] : keyColumns.map { $0.gather(grouping.firstRows) }
        for call in calls {
            let args = try call.arguments.map { try ev.evaluate($0) }
            slots.append(try call.compute(args, groupIDs, groupCount))
        }
        let aggTable = Table(names: slots.indices.map { "_slot\($0)" }, columns: slots, rowCount: groupCount)
        let aggEv = evaluator(aggTable)
        let result = Table(names: names, columns: try outputs.map { try aggEv.evaluate($0) }, rowCount: groupCount)
        guard !keys.isEmpty else { return result }
        let order = Sorter.permutation(keys: result.columns.prefix(keys.count).map { ($0, false) }, rowCount: groupCount)
        return result.gather(order)
    }
}
