import TallyCore
import TallyLang

extension Executor {
    /// A measure's value per group (group ids `0..<groupCount`) over a table of its input's schema; null results become NaN.
    func values(of measure: BoundMeasure, _ t: Table, groups: [Int32], groupCount: Int) throws -> [Double] {
        let ev = evaluator(t)
        let slots = try measure.calls.map { call in try call.compute(try call.arguments.map { try ev.evaluate($0) }, groups, groupCount) }
        let aggTable = Table(names: slots.indices.map { "_slot\($0)" }, columns: slots, rowCount: groupCount)
        let c = try evaluator(aggTable).evaluate(measure.expr)
        return (0..<groupCount).map { c.isNull($0) ? .nan : c.double(at: $0) }
    }

    /// Goal seek by bracketed regula falsi (Illinois variant) to a relative tolerance of 1e-6 on the measure, per group.
    func goal(_ spec: GoalSpec, _ t: Table, range: SourceRange) throws -> Table {
        let target = try number(spec.target, what: "the goal target")
        let ev = evaluator(t)
        let keyColumns = try spec.keys.map { try ev.evaluate($0) }
        let grouping = Grouping(byKeys: keyColumns, rowCount: t.rowCount)
        let groupCount = grouping.count, groupIDs = grouping.ids
        let measure = spec.measure, variable = spec.variable

        /// The measure per group when each group's rows get its own value of the variable.
        func evaluateAt(_ values: [Double]) throws -> [Double] {
            if isCancelled() { throw Cancelled() }
            var table = t
            table.names.append(variable)
            table.columns.append(Column(floats: groupIDs.map { values[Int($0)] }))
            table = try applySetters(spec.setters, filter: spec.filter, table)
            return try self.values(of: measure, table, groups: groupIDs, groupCount: groupCount)
        }
        var baseTable = baseline(spec.setters, t)
        baseTable.names.append(variable)
        baseTable.columns.append(Column(floats: [Double](repeating: 0, count: t.rowCount)))
        let baseline = try values(of: measure, baseTable, groups: groupIDs, groupCount: groupCount)
        return try seek(spec, target: target, keys: keyColumns.map { $0.gather(grouping.firstRows) }, baseline: baseline, evaluateAt: evaluateAt)
    }

    /// The goal's table from the measure per group: `baseline` without the change, `evaluateAt` with each group's value of
    /// the variable; one row per group of `keys` (each group's key values), sorted by them.
    func seek(_ spec: GoalSpec, target: Double, keys: [Column], baseline: [Double], evaluateAt: ([Double]) throws -> [Double]) throws -> Table {
        let (low, high) = (spec.low, spec.high)
        let groupCount = baseline.count
        var a = [Double](repeating: low, count: groupCount), b = [Double](repeating: high, count: groupCount)
        var fa = try evaluateAt(a).map { $0 - target }, fb = try evaluateAt(b).map { $0 - target }
        var solution = [Double](repeating: .nan, count: groupCount), achieved = solution
        var iterations = [Int64](repeating: 0, count: groupCount)
        var status = [GoalStatus](repeating: .noConvergence, count: groupCount)
        // Iterate well past the promised 1e-6 so the varied value is accurate too; accept 1e-6 at the end.
        let tolerance = 1e-11 * max(1, abs(target)), promised = 1e-6 * max(1, abs(target))
        var open = Set<Int>()
        for g in 0..<groupCount {
            // At least the target, and there already without the change: nothing to seek.
            if spec.comparison == .atLeast, baseline[g] >= target { status[g] = .alreadyMet(baseline: baseline[g]); continue }
            if abs(fa[g]) <= tolerance { solution[g] = low; achieved[g] = fa[g] + target; status[g] = .found; continue }
            if abs(fb[g]) <= tolerance { solution[g] = high; achieved[g] = fb[g] + target; status[g] = .found; continue }
            if fa[g].isNaN || fb[g].isNaN || (fa[g] > 0) == (fb[g] > 0) {
                let lo = min(fa[g], fb[g]) + target, hi = max(fa[g], fb[g]) + target
                // Above the target without any change and all over the range: met already, nothing to seek.
                status[g] = baseline[g] >= target && lo > target ? .alreadyMet(baseline: baseline[g]) : .unreachable(lowest: lo, highest: hi)
                continue
            }
            open.insert(g)
        }
        var side = [Int](repeating: 0, count: groupCount)
        for _ in 0..<200 where !open.isEmpty {
            var c = a
            for g in open {
                let guess = b[g] - fb[g] * (b[g] - a[g]) / (fb[g] - fa[g])
                c[g] = guess.isFinite && guess > min(a[g], b[g]) && guess < max(a[g], b[g]) ? guess : (a[g] + b[g]) / 2
            }
            let fc = try evaluateAt(c).map { $0 - target }
            for g in open {
                iterations[g] += 1
                if abs(fc[g]) <= tolerance || abs(b[g] - a[g]) < 1e-15 * max(1, abs(c[g])) {
                    solution[g] = c[g]; achieved[g] = fc[g] + target; status[g] = .found; open.remove(g); continue
                }
                if (fc[g] > 0) == (fb[g] > 0) {
                    b[g] = c[g]; fb[g] = fc[g]
                    if side[g] == -1 { fa[g] /= 2 }
                    side[g] = -1
                } else {
                    a[g] = c[g]; fa[g] = fc[g]
                    if side[g] == 1 { fb[g] /= 2 }
                    side[g] = 1
                }
            }
        }
        for g in open {
            let (best, fBest) = abs(fa[g]) < abs(fb[g]) ? (a[g], fa[g]) : (b[g], fb[g])
            if abs(fBest) <= promised { solution[g] = best; achieved[g] = fBest + target; status[g] = .found }
        }
        if spec.keys.isEmpty, status[0] != .found, status[0] != .alreadyMet(baseline: baseline[0]) {
            throw Diagnostic("goal \(formatNumber(target)) is \(status[0].text(spec))", at: spec.target.range,
                             hints: ["widen the range after `in`, or choose a target inside what it reaches"])
        }
        let names = spec.keyNames + [spec.variable, "achieved", "baseline", "target", "iterations", "status"]
        var columns = keys
        columns += [Column(floats: solution.map { $0.isNaN ? 0 : $0 }).nulling(where: solution.map(\.isNaN)),
                    Column(floats: achieved.map { $0.isNaN ? 0 : $0 }).nulling(where: achieved.map(\.isNaN)),
                    Column(floats: baseline.map { $0.isNaN ? 0 : $0 }).nulling(where: baseline.map(\.isNaN)),
                    Column(floats: [Double](repeating: target, count: groupCount)),
                    Column(ints: iterations), Dictionaries.build(status.map { $0.text(spec) })]
        var out = Table(names: names, columns: columns, rowCount: groupCount)
        if !spec.keys.isEmpty {
            out = out.gather(Sorter.permutation(keys: out.columns.prefix(spec.keys.count).map { ($0, false) }, rowCount: groupCount))
        }
        return out
    }

}

/// How goal seeking ended for one group.
enum GoalStatus: Equatable {
    case found
    /// The target lies outside what the measure reaches over the whole range (either end may be NaN).
    case unreachable(lowest: Double, highest: Double)
    /// The measure is at or above the target without the change (and stays above it over the range).
    case alreadyMet(baseline: Double)
    case noConvergence

    /// The `status` column's text.
    func text(_ spec: GoalSpec) -> String {
        switch self {
        case .found: return "found"
        case .noConvergence: return "no convergence"
        case .alreadyMet(let baseline): return "already met: the baseline is \(formatNumber(baseline))"
        case .unreachable(let lo, let hi):
            return "unreachable: \(spec.variable) in \(formatNumber(spec.low))..\(formatNumber(spec.high)) reaches \(formatNumber(lo))..\(formatNumber(hi))"
        }
    }
}

extension Planner {
    /// `goal AGG = TARGET vary NAME in LO..HI with SETTER, ... [where PRED] [by KEY, ...]` (or `>=` for at least).
    func goal(_ aggregate: Expr, _ comparison: GoalComparison, _ targetExpr: Expr, _ variable: Name, _ lowExpr: Expr, _ highExpr: Expr, _ setters: [Setter],
              _ filter: Expr?, _ by: [Item], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let target = try runTimeConstant(targetExpr, what: "the goal target")
        let low = try constantNumber(lowExpr, what: "the low end of the range")
        let high = try constantNumber(highExpr, what: "the high end of the range")
        guard low < high else { throw Diagnostic("the range must go from low to high", at: lowExpr.range.union(highExpr.range)) }
        let s = input.schema
        if s.names.contains(variable.text) {
            throw Diagnostic("`\(variable.text)` is already a column; pick another name for the varied value", at: variable.range)
        }
        try Planner.rejectKeySetters(setters, keys: Set(by.compactMap { if case .column(let c) = $0.expr.kind { return c } else { return nil } }))
        let withVariable = s.setting(variable.text, .float, nullable: false)
        let (bound, mask) = try bindSetters(setters, filter: filter, withVariable)
        let measure = try measure(aggregate, Planner.changed(withVariable, by: bound))
        let keys = try bindEach(by, with: binder(s))
        let keyNames = by.map(\.outputName)
        let spec = GoalSpec(measure: measure, comparison: comparison, target: target, variable: variable.text, low: low, high: high, setters: bound,
                            filter: mask, keys: keys, keyNames: keyNames)
        let schema = Schema(names: keyNames + [variable.text, "achieved", "baseline", "target", "iterations", "status"],
                            types: keys.map(\.type) + [.float, .float, .float, .float, .int, .string],
                            nullable: keys.map { $0.mayBeNull(s) } + [true, true, true, false, false, false])
        return LogicalPlan(.analytic(GoalNode(input: input, spec: spec)), schema: schema, range: range)
    }
}

/// `goal MEASURE = TARGET vary NAME in LOW..HIGH with SETTERS [where PRED] [by KEYS]`: the value of NAME at which the
/// measure reaches the target, per group.
struct GoalNode: AnalyticNode {
    let input: LogicalPlan
    let spec: GoalSpec

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { GoalNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        let scenario = input.setting(spec.variable, .float, nullable: false)
        let setters = spec.setters.map { "\(scenario.names[$0.column]) \($0.op.rawValue) \($0.value.text(scenario))" }.joined(separator: ", ")
        let range = "\(writtenNumber(spec.low))..\(writtenNumber(spec.high))"
        return "goal \(spec.measure.text(scenario)) \(spec.comparison.rawValue) \(spec.target.text(input)) vary \(spec.variable) in \(range) with \(setters)"
            + (spec.filter.map { " where \($0.text(scenario))" } ?? "")
            + (spec.keys.isEmpty ? "" : " by " + spec.keys.map { $0.text(input) }.joined(separator: ", "))
    }

    /// The input keeps what the measure, setters, filter and keys read; the varied value follows the kept columns.
    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let variable = input.schema.names.count
        var need = WhatIfNode.columns(spec.setters, spec.filter)
        for e in spec.measure.calls.flatMap(\.arguments) + spec.keys { need.formUnion(e.columns) }
        need.remove(variable)
        let (child, m) = pruner.prune(input, need)
        var withVariable = m
        withVariable[variable] = child.schema.names.count
        let calls = spec.measure.calls.map { $0.remapped(withVariable) }
        let remapped = GoalSpec(measure: BoundMeasure(calls: calls, expr: spec.measure.expr), comparison: spec.comparison, target: spec.target,
                                variable: spec.variable, low: spec.low, high: spec.high, setters: WhatIfNode.remap(spec.setters, withVariable),
                                filter: spec.filter?.remapped(withVariable), keys: spec.keys.map { $0.remapped(m) }, keyNames: spec.keyNames)
        return (plan.with(.analytic(GoalNode(input: child, spec: remapped))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: try executor.goal(spec, try executor.table(input, hole), range: plan.range))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`goal`", at: plan.range, because: "it searches by running the measure many times")
    }

    var runsInTally: Bool { true }

    /// The search runs in Tally; each evaluation of the measure is one aggregate query on the database.
    func remote(_ plan: LogicalPlan, _ runner: RemoteRunner) throws -> QueryResult? {
        QueryResult(table: try runner.goal(input, spec))
    }
}
