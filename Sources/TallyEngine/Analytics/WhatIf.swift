import TallyCore
import TallyLang

/// Lines up a baseline and a scenario result — the same plan's results, so the same columns — by their key columns'
/// values (a null key matches a null key, never an empty text).
enum Scenario {
    static func compare(base: Table, scenario: Table, keyColumns keyIdx: [Int]) -> Table {
        let measureIdx = base.names.indices.filter { !keyIdx.contains($0) }
        func key(_ t: Table, _ r: Int) -> [Value] { keyIdx.map { t.columns[$0].value(at: r) } }
        var scenarioRow: [[Value]: Int] = [:]
        for r in 0..<scenario.rowCount { scenarioRow[key(scenario, r)] = r }
        var baseRows: [Int32] = [], whatRows: [Int32] = []
        var seen = Set<[Value]>()
        for r in 0..<base.rowCount {
            let k = key(base, r)
            seen.insert(k)
            baseRows.append(Int32(r))
            whatRows.append(Int32(scenarioRow[k] ?? -1))
        }
        var extraScenario: [Int32] = []
        for r in 0..<scenario.rowCount where !seen.contains(key(scenario, r)) { extraScenario.append(Int32(r)) }
        var names: [String] = [], columns: [Column] = []
        for i in keyIdx {
            names.append(base.names[i])
            let fromBase = base.columns[i].gather(baseRows)
            columns.append(Concatenate.columns(fromBase, scenario.columns[i].gather(extraScenario)))
        }
        let allBase = baseRows + extraScenario.map { _ in -1 }
        let allWhat = whatRows + extraScenario
        for i in measureIdx {
            let name = base.names[i]
            let b = base.columns[i].gather(allBase).asFloat()
            let w = scenario.columns[i].gather(allWhat).asFloat()
            let n = allBase.count
            var delta = [Double](repeating: 0, count: n), pct = delta
            var deltaNull = [Bool](repeating: false, count: n), pctNull = deltaNull
            for r in 0..<n {
                if b.isNull(r) || w.isNull(r) { deltaNull[r] = true; pctNull[r] = true; continue }
                delta[r] = w.floats[r] - b.floats[r]
                if b.floats[r] == 0 { pctNull[r] = true } else { pct[r] = delta[r] / b.floats[r] }
            }
            names += ["\(name)_base", "\(name)_whatif", "\(name)_delta", "\(name)_pct"]
            columns += [b, w, Column(floats: delta).nulling(where: deltaNull), Column(floats: pct).nulling(where: pctNull).percent()]
        }
        return Table(names: names, columns: columns, rowCount: allBase.count)
    }
}

extension Planner {
    /// `whatif SETTER, ... [where PRED] | rest`: the rest is planned once over a hole the baseline and the scenario fill.
    func whatIf(_ setters: [Setter], _ filter: Expr?, rest: ArraySlice<Stage>, _ input: LogicalPlan, _ stage: Stage) throws -> LogicalPlan {
        let keys = Planner.groupingKeys(rest)
        try Planner.rejectKeySetters(setters, keys: keys)
        let (bound, mask) = try bindSetters(setters, filter: filter, input.schema)
        let hole = LogicalPlan(.hole, schema: Planner.changed(input.schema, by: bound), range: stage.range)
        var current = hole
        var problems: [Diagnostic] = []
        for s in rest {
            do {
                if case .analytic(let node) = current.op, node is ChartNode { throw Diagnostic("`chart` must be the last verb", at: s.range) }
                current = try plan(s, current)
            } catch {
                problems += Planner.diagnostics(error)
                if !s.keepsColumns { break }
            }
        }
        try DiagnosticList.check(problems)
        warnIfUnread(bound, by: current, input.schema, keys: keys, stage.range)
        let r = current.schema
        var names: [String] = [], types: [DataType] = [], nullable: [Bool] = []
        let keyIdx = r.names.indices.filter { keys.contains(r.names[$0]) || !r.types[$0].isNumeric }
        for i in keyIdx { names.append(r.names[i]); types.append(r.types[i]); nullable.append(true) }
        for i in r.names.indices where !keyIdx.contains(i) {
            let n = r.names[i]
            names += ["\(n)_base", "\(n)_whatif", "\(n)_delta", "\(n)_pct"]
            types += [.float, .float, .float, .float]
            nullable += [true, true, true, true]
        }
        let schema = Schema(names: names, types: types, nullable: nullable)
        let node = WhatIfNode(input: input, setters: bound, filter: mask, rest: current, keyColumns: keyIdx)
        return LogicalPlan(.analytic(node), schema: schema, range: stage.range)
    }

    /// Warns when the rest of a `whatif` reads none of the columns its setters change: every delta would be zero
    /// (`whatif unit_price *= 1.05 | agg revenue = sum(amount)` while `amount` is stored, not computed).
    func warnIfUnread(_ setters: [BoundSetter], by rest: LogicalPlan, _ schema: Schema, keys: Set<String>, _ range: SourceRange) {
        let reads = ColumnPruning.holeNeeds(rest)
        let changed = Set(setters.map(\.column))
        guard reads.isDisjoint(with: changed) else { return }
        let changedNames = setters.map { schema.names[$0.column] }
        let measures = reads.sorted().map { schema.names[$0] }.filter { !keys.contains($0) }
        let readText = measures.isEmpty ? "the rest reads none of the columns"
            : "the measures read \(measures.joined(separator: ", ")), which they do not change"
        var hints = ["every delta is zero; change a column the measures read"]
        if measures.contains("amount"), schema.names.contains("quantity"), schema.names.contains("unit_price") {
            hints = ["`amount` is stored, not computed; recompute it after the setters: whatif … | derive amount = quantity * unit_price"
                     + (schema.names.contains("discount") ? " * (1 - discount)" : "") + " | agg …"]
        }
        warnings.add("the setters change \(changedNames.joined(separator: ", ")); \(readText)", at: range, hints: hints)
    }

    /// The names a later `agg … by` groups on, to refuse setters on them.
    static func groupingKeys(_ stages: ArraySlice<Stage>) -> Set<String> {
        var keys = Set<String>()
        for s in stages {
            if case .agg(_, let by) = s.kind {
                for item in by { if case .column(let c) = item.expr.kind { keys.insert(c) }; keys.insert(item.outputName) }
            }
        }
        return keys
    }
}

/// `whatif SETTERS [where PRED]`: the rest of the pipeline (rooted at a ``LogicalPlan/Operator/hole``) over the input and
/// over the changed input, side by side by their keys.
struct WhatIfNode: AnalyticNode {
    let input: LogicalPlan
    let setters: [BoundSetter]
    /// The rows the setters change (all without one).
    let filter: BoundExpr?
    /// The rest of the pipeline, reading the input at its hole.
    let rest: LogicalPlan
    /// The columns of the rest's result the two results are lined up by: those a later `agg … by` groups on, and
    /// those that are not numbers.
    let keyColumns: [Int]

    var inputs: [LogicalPlan] { [input, rest] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode {
        WhatIfNode(input: inputs[0], setters: setters, filter: filter, rest: inputs[1], keyColumns: keyColumns)
    }

    func description(_ input: Schema) -> String {
        "whatif " + setters.map { "\(input.names[$0.column]) \($0.op.rawValue) \($0.value.text(input))" }.joined(separator: ", ")
            + (filter.map { " where \($0.text(input))" } ?? "")
    }

    /// The input keeps what the rest reads from its hole (found on a first pass) and what the setters read and change;
    /// the rest is then pruned again over a hole of the pruned input.
    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let restOutputs = Set(rest.schema.names.indices)
        let first = ColumnPruning.Context()
        _ = ColumnPruning.prune(rest, restOutputs, first)
        let (child, m) = pruner.prune(input, first.holeNeeds.union(WhatIfNode.columns(setters, filter)))
        let newSetters = WhatIfNode.remap(setters, m)
        let second = ColumnPruning.Context()
        second.holeReplacement = (LogicalPlan(.hole, schema: Planner.changed(child.schema, by: newSetters), range: rest.range), m)
        let newRest = ColumnPruning.prune(rest, restOutputs, second).plan
        let node = WhatIfNode(input: child, setters: newSetters, filter: filter?.remapped(m), rest: newRest, keyColumns: keyColumns)
        return (plan.with(.analytic(node)), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        let t = try executor.table(input, hole)
        let scenario = try executor.applySetters(setters, filter: filter, t)
        let base = try executor.table(rest, executor.baseline(setters, t)), changed = try executor.table(rest, scenario)
        return QueryResult(table: Scenario.compare(base: base, scenario: changed, keyColumns: keyColumns))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        try generator.whatIf(try generator.relation(input), setters: setters, filter: filter, rest: rest, keyColumns: keyColumns, input.schema)
    }

    /// The columns setters read and change, and their filter reads.
    static func columns(_ setters: [BoundSetter], _ filter: BoundExpr?) -> Set<Int> {
        var out = filter?.columns ?? []
        for s in setters { out.insert(s.column); out.formUnion(s.value.columns) }
        return out
    }

    /// Setters reading and changing the columns at their new positions.
    static func remap(_ setters: [BoundSetter], _ m: [Int: Int]) -> [BoundSetter] {
        setters.map { BoundSetter(column: m[$0.column]!, op: $0.op, value: $0.value.remapped(m), type: $0.type) }
    }
}
