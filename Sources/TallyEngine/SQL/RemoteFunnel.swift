import TallyCore

extension RemoteRunner {
    /// `funnel` by the database: per group, the entities that reached each step or a later one, and the median days
    /// from entering each step to entering the next (over entities with both). One row per group comes back; Tally lays the
    /// rows out per step.
    func funnel(_ input: LogicalPlan, _ spec: FunnelSpec, names: [String]) throws -> Table {
        let sql = generator()
        let r = try sql.relation(input)
        let scope = sql.scope(r)
        let groups = try spec.groups.map { try sql.expression($0, scope) }
        let stage = r.column(spec.stage), day = r.column(spec.date)
        let steps = spec.steps.map { SQLExpr.string($0) }
        let groupNames = groups.indices.map { "g\($0)" }
        // Per entity: its highest step and the first day it entered each step.
        let stepIndex = SQLExpr.caseWhen(SQLCase(operand: stage, arms: steps.enumerated().map { SQLWhen(condition: $1, result: .integer(Int64($0))) }))
        var perEntity = zip(groups, groupNames).map { SQLSelectItem(expr: $0, alias: $1) } + [SQLSelectItem(expr: r.column(spec.key), alias: "k")]
        perEntity.append(SQLSelectItem(expr: .aggregate(SQLAggregate(name: "max", arguments: [stepIndex])), alias: "highest"))
        for (s, step) in steps.enumerated() {
            let dayOfStep = SQLExpr.caseWhen(SQLCase(arms: [SQLWhen(condition: .binary(stage, .equal, step), result: day)]))
            perEntity.append(SQLSelectItem(expr: .aggregate(SQLAggregate(name: "min", arguments: [dayOfStep])), alias: "d\(s)"))
        }
        let entityColumns = groupNames + ["k", "highest"] + steps.indices.map { "d\($0)" }
        let entities = sql.stage([SQLSelect(items: perEntity, from: r.from, conditions: [.inList(stage, steps)],
                                            groupBy: (1...(groups.count + 1)).map { .position($0) })],
                                 columns: entityColumns, looks: entityColumns.map { _ in .plain }, order: [])
        // Per group: how many reached each step, and the median days spent in each step but the last.
        var perGroup = groupNames.map { SQLSelectItem(expr: .column($0), alias: $0) }
        for s in steps.indices {
            let reached = SQLExpr.caseWhen(SQLCase(arms: [SQLWhen(condition: .binary(.column("highest"), .greaterOrEqual, .integer(Int64(s))),
                                                                  result: .integer(1))], otherwise: .integer(0)))
            perGroup.append(SQLSelectItem(expr: .aggregate(SQLAggregate(name: "sum", arguments: [reached])), alias: "r\(s)"))
        }
        for s in steps.indices.dropLast() {
            let days = sql.dialect.daysBetween(.column("d\(s + 1)"), .column("d\(s)"))
            perGroup.append(SQLSelectItem(expr: sql.dialect.percentile(days, .float(0.5)), alias: "m\(s)"))
        }
        sql.statement.body = [SQLSelect(items: perGroup, from: entities.from, groupBy: groups.indices.map { .position($0 + 1) })]
        let types = spec.groups.map(\.type) + steps.map { _ in DataType.int } + steps.dropFirst().map { _ in DataType.float }
        let rows = try fetch(SQLPrinter(dialect: sql.dialect).print(sql.statement).text, names: perGroup.map { $0.alias ?? "" }, types: types,
                             input.range)
        let g = groups.count, n = steps.count
        let keys = Array(rows.columns[0..<g])
        let reached = (0..<rows.rowCount).map { row in (0..<n).map { rows.columns[g + $0].isNull(row) ? 0 : rows.columns[g + $0].ints[row] } }
        let medians = (0..<rows.rowCount).map { row in
            (0..<max(0, n - 1)).map { s in rows.columns[g + n + s].isNull(row) ? nil : rows.columns[g + n + s].floats[row] } + [nil]
        }
        // Each row is one group: the groups in key order, as rows.
        let grouping = Grouping(byKeys: keys, rowCount: rows.rowCount)
        let order = grouping.sortedByKeys(keys).map { keys.isEmpty ? $0 : grouping.firstRows[Int($0)] }
        return Executor.funnelTable(names: names, steps: spec.steps, groupKeys: keys, order: order, reached: reached, medians: medians)
    }
}
