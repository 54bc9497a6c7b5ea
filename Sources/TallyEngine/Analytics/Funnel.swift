import TallyCore
import TallyLang

extension Executor {
    /// Per group and step: the entities that reached the step or a later one (skipped steps count as passed),
    /// conversion from the step before, share of the first step, the drop from the step before, and the
    /// median days between entering the step before and this one (over entities with both).
    func funnel(_ spec: FunnelSpec, names: [String], _ t: Table) throws -> Table {
        let ev = evaluator(t)
        let groupColumns = try spec.groups.map { try ev.evaluate($0) }
        let groups = Grouping(byKeys: groupColumns, rowCount: t.rowCount)
        let groupCount = groups.count, groupOf = groups.ids
        let entities = Grouping(keys: groupColumns + [t.columns[spec.key]], rowCount: t.rowCount)
        let stage = t.columns[spec.stage], day = t.columns[spec.date]
        let stepOfCode = stage.dictionary.map { spec.steps.firstIndex(of: $0) ?? -1 }
        let stepCount = spec.steps.count
        var highest = [Int](repeating: -1, count: entities.count)
        var firstDay = [Int64](repeating: .max, count: entities.count * stepCount)
        for i in 0..<t.rowCount where !stage.isNull(i) {
            let s = stepOfCode[Int(stage.codes[i])]
            guard s >= 0 else { continue }
            let e = Int(entities.ids[i])
            highest[e] = max(highest[e], s)
            if !day.isNull(i) { firstDay[e * stepCount + s] = min(firstDay[e * stepCount + s], day.ints[i]) }
        }
        if isCancelled() { throw Cancelled() }
        var reached = [[Int64]](repeating: [Int64](repeating: 0, count: stepCount), count: groupCount)
        var gaps = [[[Double]]](repeating: [[Double]](repeating: [], count: stepCount), count: groupCount)
        for e in 0..<entities.count where highest[e] >= 0 {
            let g = Int(groupOf[Int(entities.firstRows[e])])
            for s in 0...highest[e] { reached[g][s] += 1 }
            for s in 1..<max(1, stepCount) {
                let a = firstDay[e * stepCount + s - 1], b = firstDay[e * stepCount + s]
                if a != .max, b != .max { gaps[g][s].append(Double(b - a)) }
            }
        }
        let order = groups.sortedByKeys(groupColumns)
        var rows: [Int32] = [], step: [String] = [], stepNo: [Int64] = [], count: [Int64] = []
        var conversion: [Double?] = [], overall: [Double?] = [], dropped: [Int64?] = [], median: [Double?] = []
        for g in order.map(Int.init) {
            for s in 0..<stepCount {
                rows.append(spec.groups.isEmpty ? 0 : groups.firstRows[g])
                step.append(spec.steps[s])
                stepNo.append(Int64(s + 1))
                count.append(reached[g][s])
                let before = s > 0 ? reached[g][s - 1] : nil
                conversion.append(before.flatMap { $0 > 0 ? Double(reached[g][s]) / Double($0) : nil })
                overall.append(reached[g][0] > 0 ? Double(reached[g][s]) / Double(reached[g][0]) : nil)
                dropped.append(before.map { $0 - reached[g][s] })
                median.append(s > 0 && !gaps[g][s].isEmpty ? Quantile.linear(gaps[g][s].sorted(), 0.5) : nil)
            }
        }
        let keys = groupColumns.map { $0.gather(rows) }
        let columns = keys + [Dictionaries.build(step), Column(ints: stepNo), Column(ints: count),
                              Column(floats: conversion.map { $0 ?? 0 }).nulling(where: conversion.map { $0 == nil }).percent(),
                              Column(floats: overall.map { $0 ?? 0 }).nulling(where: overall.map { $0 == nil }).percent(),
                              Column(ints: dropped.map { $0 ?? 0 }).nulling(where: dropped.map { $0 == nil }),
                              Column(floats: median.map { $0 ?? 0 }).nulling(where: median.map { $0 == nil })]
        return Table(names: names, columns: columns, rowCount: rows.count)
    }
}
