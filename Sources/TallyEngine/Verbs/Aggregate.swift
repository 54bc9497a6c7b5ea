import Dispatch
import TallyCore
import TallyLang

extension Executor {
    /// Keys then aggregates, one row per key, sorted by the keys (one row without keys).
    func aggregate(keys: [BoundExpr], calls: [AggregateCall], outputs: [BoundExpr], names: [String], _ t: Table) throws -> Table {
        let ev = evaluator(t)
        let keyColumns = try keys.map { try ev.evaluate($0) }
        // Groups numbered in key order need no sort at the end; other keys are numbered as they appear, then sorted.
        let ordered = Grouping.inKeyOrder(keyColumns, rowCount: t.rowCount) ?? Grouping.bySorting(keyColumns, rowCount: t.rowCount)
        let grouping = ordered ?? Grouping(byKeys: keyColumns, rowCount: t.rowCount)
        if isCancelled() { throw Cancelled() }
        let groupCount = grouping.count, groupIDs = grouping.ids
        var slots = keys.isEmpty ? [] : keyColumns.map { $0.gather(grouping.firstRows) }
        let arguments = try calls.map { call in
            let args = try call.arguments.map { try ev.evaluate($0) }
            warnIfOffScale(call, args)
            return args
        }
        // A call written twice over the same columns (`sum(amount)` and `sum(amount) - sum(cost)`) is computed once.
        let firstOfSame = Executor.firstOfSameCall(calls)
        let distinct = calls.indices.filter { firstOfSame[$0] == $0 }
        // The calls read their own arguments and the shared group ids only: they run side by side, one per core.
        var computed = [Result<Column, Error>](repeating: .failure(Cancelled()), count: calls.count)
        computed.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: distinct.count) { d in
                let k = distinct[d]
                out[k] = Result { try calls[k].compute(arguments[k], groupIDs, groupCount) }
            }
        }
        slots += try calls.indices.map { try computed[firstOfSame[$0]].get() }
        let aggTable = Table(names: slots.indices.map { "_slot\($0)" }, columns: slots, rowCount: groupCount)
        let aggEv = evaluator(aggTable)
        let result = Table(names: names, columns: try outputs.map { try aggEv.evaluate($0) }, rowCount: groupCount)
        guard !keys.isEmpty, ordered == nil else { return result }
        let order = Sorter.permutation(keys: result.columns.prefix(keys.count).map { ($0, false) }, rowCount: groupCount)
        return result.gather(order)
    }

    /// For each call, the first call of the same function over the same plain columns (itself when there is none).
    static func firstOfSameCall(_ calls: [AggregateCall]) -> [Int] {
        func columns(_ call: AggregateCall) -> [Int]? {
            var positions: [Int] = []
            for argument in call.arguments {
                guard case .column(let i) = argument.kind else { return nil }
                positions.append(i)
            }
            return positions
        }
        return calls.indices.map { k in
            guard let mine = columns(calls[k]) else { return k }
            return calls.indices.first { j in j < k && calls[j].function.name == calls[k].function.name && columns(calls[j]) == mine } ?? k
        }
    }

    /// A score read on a fixed scale (`nps` 0–10, `csat` 1–5) whose values show another scale: computed as asked, but
    /// almost surely not as meant (every `nps` answer a detractor, every `csat` answer over 5 satisfied). Only a call that
    /// names no scale of its own is checked.
    func warnIfOffScale(_ call: AggregateCall, _ args: [Column]) {
        guard let check = call.function.scaleWarning, args.count == 1, let x = args.first, x.type.isNumeric else { return }
        var largest = -Double.infinity
        for i in 0..<x.count where !x.isNull(i) { largest = max(largest, x.double(at: i)) }
        guard largest.isFinite, let warning = check(largest) else { return }
        warnings.add(warning.message, at: call.range, hints: [warning.hint])
    }
}
