import TallyCore
import TallyLang

extension Executor {
    /// `simulate AGG per PERIOD next N [runs R] [seed S] [target T]`: bootstrap of per-period totals.
    func simulate(_ aggregate: Expr, _ periodExpr: Expr, _ nextExpr: Expr, _ runsExpr: Expr?, _ seedExpr: Expr?, _ targetExpr: Expr?,
                  _ t: Table, at range: SourceRange) throws -> QueryResult {
        let next = try count(nextExpr, t, what: "`next`")
        guard next >= 1 else { throw Diagnostic("`next` needs at least 1 period", at: nextExpr.range) }
        let runs = try runsExpr.map { try count($0, t, what: "`runs`") } ?? 10_000
        guard runs >= 1, runs <= 10_000_000 else { throw Diagnostic("`runs` must be between 1 and 10,000,000", at: runsExpr!.range) }
        let seed = try seedExpr.map { try count($0, t, what: "`seed`") } ?? 42
        let target = try targetExpr.map { try constantNumber($0, t, what: "the target") }
        let period = try evaluate(periodExpr, t)
        guard period.type == .period || period.type == .date || period.type == .int else {
            throw Diagnostic("`per` needs a period such as month(date), this is \(Expect.article(period.type))", at: periodExpr.range)
        }
        let measure = try Measure(aggregate, schema: Schema(t), executor: self)
        let grouping = Grouping(keys: [period], rowCount: t.rowCount)
        let totals = try measure.values(t, groups: grouping.ids, groupCount: grouping.count)
        let keys = period.gather(grouping.firstRows)
        let order = Sorter.permutation(keys: [(keys, false)], rowCount: grouping.count).filter { !keys.isNull(Int($0)) }
        let history = order.map { totals[Int($0)] }.filter { !$0.isNaN }
        guard !history.isEmpty else { throw Diagnostic("no history to simulate from: the input has no rows with a period", at: periodExpr.range) }
        var rng = SplitMix64(seed: UInt64(seed))
        var outcomes = [Double](repeating: 0, count: runs)
        for r in 0..<runs {
            if r & 0x3FF == 0, isCancelled() { throw Cancelled() }
            var sum = 0.0
            for _ in 0..<next { sum += history[rng.below(history.count)] }
            outcomes[r] = sum
        }
        outcomes.sort()
        let mean = outcomes.reduce(0, +) / Double(runs)
        var names = ["periods", "runs", "mean", "p10", "p50", "p90"]
        var columns = [Column(ints: [Int64(next)]), Column(ints: [Int64(runs)]), Column(floats: [mean]),
                       Column(floats: [Quantile.linear(outcomes, 0.1)]), Column(floats: [Quantile.linear(outcomes, 0.5)]), Column(floats: [Quantile.linear(outcomes, 0.9)])]
        if let target {
            let hits = outcomes.filter { $0 >= target }.count
            names += ["target", "p_target"]
            columns += [Column(floats: [target]), Column(floats: [Double(hits) / Double(runs)])]
        }
        let histMean = history.reduce(0, +) / Double(history.count)
        let sd = history.count > 1 ? (history.map { ($0 - histMean) * ($0 - histMean) }.reduce(0, +) / Double(history.count - 1)).squareRoot() : 0
        let first = keys.value(at: Int(order.first!)).text, last = keys.value(at: Int(order.last!)).text
        let note = "assumptions: bootstrap of \(history.count) historical periods (\(first) … \(last)); per-period mean \(formatNumber(histMean)), sd \(formatNumber(sd)); \(runs) runs, seed \(seed)"
        return QueryResult(table: Table(names: names, columns: columns), notes: [note])
    }
}
