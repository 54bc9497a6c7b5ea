import TallyCore
import TallyLang

extension Executor {
    /// A measure such as `sum(amount)` bound once and evaluated per group on any table of the same schema.
    struct Measure {
        let collector: AggregateCollector
        let expr: BoundExpr
        let executor: Executor

        init(_ e: Expr, schema: Schema, executor: Executor) throws {
            let input = executor.binder(schema)
            collector = AggregateCollector(input: input, keyCount: 0)
            expr = try Binder(schema: Schema(names: [], types: []), params: executor.params, aggregates: collector).bind(e)
            guard !collector.calls.isEmpty else {
                throw Diagnostic("the measure must use an aggregate such as sum(amount)", at: e.range)
            }
            guard expr.type.isNumeric else { throw Diagnostic("the measure must be a number, this is \(Expect.article(expr.type))", at: e.range) }
            self.executor = executor
        }

        /// One value per group (group ids `0..<groupCount`); null results become NaN.
        func values(_ t: Table, groups: [Int32], groupCount: Int) throws -> [Double] {
            let ev = executor.evaluator(t)
            let slots = try collector.calls.map { call in call.function.compute(try call.arguments.map { try ev.evaluate($0) }, groups, groupCount) }
            let aggTable = Table(names: slots.indices.map { "_agg\($0)" }, columns: slots, rowCount: groupCount)
            let c = try executor.evaluator(aggTable).evaluate(expr)
            return (0..<groupCount).map { c.isNull($0) ? .nan : c.double(at: $0) }
        }
    }

    /// `goal AGG = TARGET vary NAME in LO..HI with SETTER, ... [where PRED] [by KEY, ...]`: goal seek by
    /// bracketed regula falsi (Illinois variant) to a relative tolerance of 1e-6 on the measure.
    func goal(_ aggregate: Expr, _ targetExpr: Expr, _ variable: Name, _ lowExpr: Expr, _ highExpr: Expr, _ setters: [Setter],
              _ filter: Expr?, _ by: [Item], _ t: Table, at range: SourceRange) throws -> QueryResult {
        let target = try constantNumber(targetExpr, t, what: "the goal target")
        let low = try constantNumber(lowExpr, t, what: "the low end of the range")
        let high = try constantNumber(highExpr, t, what: "the high end of the range")
        guard low < high else { throw Diagnostic("the range must go from low to high", at: lowExpr.range.union(highExpr.range)) }
        if t.index(of: variable.text) != nil {
            throw Diagnostic("`\(variable.text)` is already a column; pick another name for the varied value", at: variable.range)
        }
        try rejectKeySetters(setters, keys: Set(by.compactMap { if case .column(let c) = $0.expr.kind { return c } else { return nil } }))
        let withVariable = Schema(names: t.names + [variable.text], types: t.types + [.float])
        let measure = try Measure(aggregate, schema: withVariable, executor: self)
        let keyColumns = try by.map { try evaluate($0.expr, t) }
        let grouping = Grouping(keys: keyColumns, rowCount: t.rowCount)
        let groupCount = by.isEmpty ? 1 : grouping.count
        let groupIDs = by.isEmpty ? [Int32](repeating: 0, count: t.rowCount) : grouping.ids

        /// The measure per group when each group's rows get its own value of the variable.
        func evaluateAt(_ values: [Double]) throws -> [Double] {
            if isCancelled() { throw Cancelled() }
            var table = t
            table.names.append(variable.text)
            table.columns.append(Column(floats: groupIDs.map { values[Int($0)] }))
            table = try applySetters(setters, filter: filter, table)
            return try measure.values(table, groups: groupIDs, groupCount: groupCount)
        }
        var baseTable = t
        baseTable.names.append(variable.text)
        baseTable.columns.append(Column(floats: [Double](repeating: 0, count: t.rowCount)))
        let baseline = try measure.values(baseTable, groups: groupIDs, groupCount: groupCount)
        var a = [Double](repeating: low, count: groupCount), b = [Double](repeating: high, count: groupCount)
        var fa = try evaluateAt(a).map { $0 - target }, fb = try evaluateAt(b).map { $0 - target }
        var solution = [Double](repeating: .nan, count: groupCount), achieved = solution
        var iterations = [Int64](repeating: 0, count: groupCount)
        var status = [String](repeating: "no convergence", count: groupCount)
        // Iterate well past the promised 1e-6 so the varied value is accurate too; accept 1e-6 at the end.
        let tolerance = 1e-11 * max(1, abs(target)), promised = 1e-6 * max(1, abs(target))
        var open = Set<Int>()
        for g in 0..<groupCount {
            if abs(fa[g]) <= tolerance { solution[g] = low; achieved[g] = fa[g] + target; status[g] = "found"; continue }
            if abs(fb[g]) <= tolerance { solution[g] = high; achieved[g] = fb[g] + target; status[g] = "found"; continue }
            if fa[g].isNaN || fb[g].isNaN || (fa[g] > 0) == (fb[g] > 0) {
                let lo = min(fa[g], fb[g]) + target, hi = max(fa[g], fb[g]) + target
                status[g] = "unreachable: \(variable.text) in \(formatNumber(low))..\(formatNumber(high)) reaches \(formatNumber(lo))..\(formatNumber(hi))"
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
                    solution[g] = c[g]; achieved[g] = fc[g] + target; status[g] = "found"; open.remove(g); continue
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
            if abs(fBest) <= promised { solution[g] = best; achieved[g] = fBest + target; status[g] = "found" }
        }
        if by.isEmpty, status[0] != "found" {
            throw Diagnostic("goal \(formatNumber(target)) is \(status[0])", at: targetExpr.range,
                             hints: ["widen the range after `in`, or choose a target inside what it reaches"])
        }
        var names = by.map(\.outputName)
        var columns = keyColumns.map { $0.gather(grouping.firstRows) }
        names += [variable.text, "achieved", "baseline", "target", "iterations", "status"]
        columns += [Column(floats: solution.map { $0.isNaN ? 0 : $0 }).nulling(where: solution.map(\.isNaN)),
                    Column(floats: achieved.map { $0.isNaN ? 0 : $0 }).nulling(where: achieved.map(\.isNaN)),
                    Column(floats: baseline.map { $0.isNaN ? 0 : $0 }).nulling(where: baseline.map(\.isNaN)),
                    Column(floats: [Double](repeating: target, count: groupCount)),
                    Column(ints: iterations), Dictionaries.build(status)]
        var out = Table(names: names, columns: columns, rowCount: groupCount)
        if !by.isEmpty { out = out.gather(Sorter.permutation(keys: out.columns.prefix(by.count).map { ($0, false) }, rowCount: groupCount)) }
        return QueryResult(table: out)
    }

}
