import TallyCore
import TallyLang

extension Executor {
    /// Per group and step: the entities that reached the step or a later one (skipped steps count as passed),
    /// conversion from the step before, share of the first step, the drop from the step before, and the
    /// median days spent in the step: from entering it to entering the next (over entities with both; none for the last).
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
            for s in 0..<max(0, stepCount - 1) {
                let a = firstDay[e * stepCount + s], b = firstDay[e * stepCount + s + 1]
                if a != .max, b != .max { gaps[g][s].append(Double(b - a)) }
            }
        }
        let medians = gaps.map { steps in steps.map { days in days.isEmpty ? nil : Quantile.linear(days.sorted(), 0.5) } }
        return Executor.funnelTable(names: names, steps: spec.steps, groupKeys: groupColumns.map { $0.gather(groups.firstRows) },
                                    order: groups.sortedByKeys(groupColumns), reached: reached, medians: medians)
    }

    /// The funnel's rows from, per group (one row of `groupKeys` each, shown in `order`), the entities reaching each step
    /// and the median days spent in it.
    static func funnelTable(names: [String], steps: [String], groupKeys: [Column], order: [Int32], reached: [[Int64]], medians: [[Double?]]) -> Table {
        var rows: [Int32] = [], step: [String] = [], stepNo: [Int64] = [], count: [Int64] = []
        var conversion: [Double?] = [], overall: [Double?] = [], dropped: [Int64?] = [], median: [Double?] = []
        for g in order.map(Int.init) {
            for s in steps.indices {
                rows.append(Int32(g))
                step.append(steps[s])
                stepNo.append(Int64(s + 1))
                count.append(reached[g][s])
                let before = s > 0 ? reached[g][s - 1] : nil
                conversion.append(before.flatMap { $0 > 0 ? Double(reached[g][s]) / Double($0) : nil })
                overall.append(reached[g][0] > 0 ? Double(reached[g][s]) / Double(reached[g][0]) : nil)
                dropped.append(before.map { $0 - reached[g][s] })
                median.append(medians[g][s])
            }
        }
        let keys = groupKeys.map { $0.gather(rows) }
        let columns = keys + [Dictionaries.build(step), Column(ints: stepNo), Column(ints: count),
                              Column(floats: conversion.map { $0 ?? 0 }).nulling(where: conversion.map { $0 == nil }).percent(),
                              Column(floats: overall.map { $0 ?? 0 }).nulling(where: overall.map { $0 == nil }).percent(),
                              Column(ints: dropped.map { $0 ?? 0 }).nulling(where: dropped.map { $0 == nil }),
                              Column(floats: median.map { $0 ?? 0 }).nulling(where: median.map { $0 == nil })]
        return Table(names: names, columns: columns, rowCount: rows.count)
    }
}

extension Planner {
    /// `funnel STAGE steps ("a", "b", …) [key ID] [date COL] [by G, …]`: one row per step (and group).
    func funnel(_ stage: Name, steps: [Expr], key: Name?, date: Name?, by: [Item], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let s = input.schema
        let stageIndex = try columnIndex(stage, s)
        guard s.types[stageIndex] == .string else {
            throw Diagnostic("`funnel` needs a text stage column, `\(stage.text)` is \(Expect.article(s.types[stageIndex]))", at: stage.range)
        }
        guard let first = steps.first else {
            throw Diagnostic("`funnel` needs at least one step", at: range, hints: ["steps (\"lead\", \"qualified\", \"won\")"])
        }
        var names: [String] = []
        for step in steps {
            guard case .string(let text)? = try binder(Schema(names: [], types: [])).bind(step).constantValue else {
                throw Diagnostic("each step is a text constant such as \"lead\"", at: step.range)
            }
            guard !names.contains(text) else { throw Diagnostic("step \"\(text)\" is listed twice", at: step.range) }
            names.append(text)
        }
        let keyIndex = try columnIndex(key ?? Name(DefaultColumns.opportunity, first.range), s)
        let dateName = date ?? Name(DefaultColumns.enteredStage, first.range)
        let dateIndex = try columnIndex(dateName, s)
        guard s.types[dateIndex] == .date else {
            throw Diagnostic("`funnel` needs a date column, `\(dateName.text)` is \(Expect.article(s.types[dateIndex]))", at: dateName.range)
        }
        let groups = try bindEach(by, with: binder(s))
        let groupNames = by.map(\.outputName)
        let outNames = groupNames + ["step", "step_no", "reached", "conversion", "overall", "dropped", "median_days"]
        try checkUnique(outNames, by.map { $0.nameRange ?? $0.expr.range } + Array(repeating: range, count: 7))
        let schema = Schema(names: outNames, types: groups.map(\.type) + [.string, .int, .int, .float, .float, .int, .float],
                            nullable: groups.map { $0.mayBeNull(s) } + [false, false, false, true, true, true, true])
        let spec = FunnelSpec(stage: stageIndex, steps: names, key: keyIndex, date: dateIndex, groups: groups, groupNames: groupNames)
        return LogicalPlan(.analytic(FunnelNode(input: input, spec: spec)), schema: schema, range: range)
    }
}

/// `funnel STAGE steps (…) [key ID] [date COL] [by G, …]`: entities reaching each step, conversion, drop-off and days
/// between steps.
struct FunnelNode: AnalyticNode {
    let input: LogicalPlan
    let spec: FunnelSpec

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { FunnelNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        "funnel \(input.names[spec.stage]) steps (" + spec.steps.map { "\"\($0)\"" }.joined(separator: ", ")
            + ") key \(input.names[spec.key]) date \(input.names[spec.date])"
            + (spec.groups.isEmpty ? "" : " by " + spec.groups.map { $0.text(input) }.joined(separator: ", "))
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, Set([spec.stage, spec.key, spec.date]).union(spec.groups.flatMap(\.columns)))
        let remapped = FunnelSpec(stage: m[spec.stage]!, steps: spec.steps, key: m[spec.key]!, date: m[spec.date]!,
                                  groups: spec.groups.map { $0.remapped(m) }, groupNames: spec.groupNames)
        return (plan.with(.analytic(FunnelNode(input: child, spec: remapped))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: try executor.funnel(spec, names: plan.schema.names, try executor.table(input, hole)))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`funnel`", at: plan.range, because: "it runs in Tally over each entity's first day per step")
    }

    var runsInTally: Bool { true }

    /// The database gives each entity's first day per step; the funnel is made in Tally from them.
    func remote(_ plan: LogicalPlan, _ runner: RemoteRunner) throws -> QueryResult? {
        QueryResult(table: try runner.funnel(input, spec, names: plan.schema.names))
    }
}
