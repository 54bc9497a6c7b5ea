import TallyCore
import TallyLang

extension Executor {
    /// A bootstrap of per-period totals: `next` periods drawn with replacement from the history, `runs` times.
    func simulate(_ spec: SimulationSpec, _ t: Table) throws -> QueryResult {
        let period = try evaluator(t).evaluate(spec.period)
        let grouping = Grouping(keys: [period], rowCount: t.rowCount)
        let totals = try values(of: spec.measure, t, groups: grouping.ids, groupCount: grouping.count)
        return try bootstrap(spec, periods: period.gather(grouping.firstRows), totals: totals)
    }

    /// The bootstrap over per-period totals (`totals[i]` of period `keys[i]`, in any order; NaN for none).
    func bootstrap(_ spec: SimulationSpec, periods keys: Column, totals: [Double]) throws -> QueryResult {
        let (next, runs, seed) = (spec.next, spec.runs, spec.seed)
        let target = try spec.target.map { try number($0, what: "the target") }
        let order = Sorter.permutation(keys: [(keys, false)], rowCount: keys.count).filter { !keys.isNull(Int($0)) }
        var points = order.map { (key: keys.value(at: Int($0)), total: totals[Int($0)]) }
        if keys.type == .date { points = daysFilled(points, spec) } else if keys.type == .period { warnOfGaps(points, spec) }
        let history = points.map(\.total).filter { !$0.isNaN }
        guard !history.isEmpty else { throw Diagnostic("no history to simulate from: the input has no rows with a period", at: spec.period.range) }
        var rng = SplitMix64(seed: UInt64(seed))
        var outcomes = [Double](repeating: 0, count: runs)
        for r in 0..<runs {
            if r & 0x3FF == 0, isCancelled() { throw Cancelled() }
            var sum = 0.0
            for k in 0..<next {
                if k & 0xFFFF == 0xFFFF, isCancelled() { throw Cancelled() }
                sum += history[rng.below(history.count)]
            }
            outcomes[r] = sum
        }
        outcomes.sort()
        let mean = outcomes.reduce(0, +) / Double(runs)
        var names = ["periods", "runs", "mean", "p10", "p50", "p90"]
        var columns = [Column(ints: [Int64(next)]), Column(ints: [Int64(runs)]), Column(floats: [mean]),
                       Column(floats: [Quantile.linear(outcomes, 0.1)]), Column(floats: [Quantile.linear(outcomes, 0.5)]),
                       Column(floats: [Quantile.linear(outcomes, 0.9)])]
        if let target {
            let hits = outcomes.filter { $0 >= target }.count
            names += ["target", "p_target"]
            columns += [Column(floats: [target]), Column(floats: [Double(hits) / Double(runs)])]
        }
        let histMean = history.reduce(0, +) / Double(history.count)
        let sd = history.count > 1 ? (history.map { ($0 - histMean) * ($0 - histMean) }.reduce(0, +) / Double(history.count - 1)).squareRoot() : 0
        let assumptions = SimulationAssumptions(periods: history.count, first: points.first!.key, last: points.last!.key, mean: histMean,
                                                standardDeviation: sd, runs: runs, seed: seed)
        return QueryResult(table: Table(names: names, columns: columns), assumptions: assumptions)
    }
}

extension Executor {
    /// Per date, the days without rows inside each month that has some count as zero (a rep's quiet days are days of no
    /// sales, and drawing only the days with sales overstates a month), between the first and the last day with rows (a
    /// history cut at a day leaves the rest of its month out); a warning says how many there were.
    func daysFilled(_ points: [(key: Value, total: Double)], _ spec: SimulationSpec) -> [(key: Value, total: Double)] {
        var present = Set<Int64>(), months = Set<Int64>()
        for p in points {
            guard case .date(let day) = p.key else { continue }
            present.insert(day)
            let c = CivilDate.civil(day)
            months.insert(CivilDate.days(year: c.year, month: c.month, day: 1))
        }
        guard let earliest = present.min(), let latest = present.max() else { return points }
        var out = points
        for first in months {
            let c = CivilDate.civil(first)
            let days = max(first, earliest)...min(first + CivilDate.daysInMonth(c.year, c.month) - 1, latest)
            for day in days where !present.contains(day) { out.append((.date(day), 0)) }
        }
        let filled = out.count - points.count
        guard filled > 0 else { return points }
        warnings.add("\(filled) days without rows in the \(months.count) months drawn from count as 0", at: spec.period.range,
                     hints: ["filter the rows to the days that count, or simulate per month"])
        func day(_ v: Value) -> Int64 { if case .date(let d) = v { d } else { .min } }
        return out.sorted { day($0.key) < day($1.key) }
    }

    /// Per period, a warning when periods between the first and the last have no rows: they are not drawn.
    func warnOfGaps(_ points: [(key: Value, total: Double)], _ spec: SimulationSpec) {
        guard case .period(let first)? = points.first?.key, case .period(let last)? = points.last?.key else { return }
        let span = first.distance(to: last) + 1, missing = span - Int64(points.count)
        guard missing > 0 else { return }
        let verbs = missing == 1 ? "has no rows and is" : "have no rows and are"
        warnings.add("\(missing) of the \(span) \(first.kind.name)s from \(first.description) to \(last.description) \(verbs) not drawn", at: spec.period.range,
                     hints: ["if a period without rows had no sales, the simulation overstates: filter to consecutive periods, or simulate per date"])
    }
}

/// What a simulation assumed: the history it drew from and how it drew.
public struct SimulationAssumptions: Equatable {
    /// How many historical periods were drawn from, and the first and last of them.
    public let periods: Int
    public let first: Value
    public let last: Value
    /// Mean and sample standard deviation of the per-period totals.
    public let mean: Double
    public let standardDeviation: Double
    public let runs: Int
    public let seed: Int
}

extension Planner {
    /// `simulate AGG per PERIOD next N [runs R] [seed S] [target T]`.
    func simulate(_ aggregate: Expr, _ periodExpr: Expr, _ nextExpr: Expr, _ runsExpr: Expr?, _ seedExpr: Expr?, _ targetExpr: Expr?,
                  _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let next = try count(nextExpr, what: "`next`")
        guard next >= 1 else { throw Diagnostic("`next` needs at least 1 period", at: nextExpr.range) }
        let runs = try runsExpr.map { try count($0, what: "`runs`") } ?? 10_000
        guard runs >= 1, runs <= 10_000_000 else { throw Diagnostic("`runs` must be between 1 and 10,000,000", at: runsExpr!.range) }
        guard next <= 1_000_000 else { throw Diagnostic("`next` is at most 1,000,000 periods", at: nextExpr.range) }
        guard runs * next <= 1_000_000_000 else {
            throw Diagnostic("`runs` × `next` is \(runs * next) draws, at most 1,000,000,000", at: (runsExpr ?? nextExpr).range,
                             hints: ["fewer runs give the same percentiles to within a few tenths of a percent"])
        }
        let seed = try seedExpr.map { try count($0, what: "`seed`") } ?? 42
        let target = try targetExpr.map { try runTimeConstant($0, what: "the target") }
        let period = try binder(input.schema).bind(periodExpr)
        guard period.type == .period || period.type == .date || period.type == .int else {
            throw Diagnostic("`per` needs a period such as month(date), this is \(Expect.article(period.type))", at: periodExpr.range)
        }
        let measure = try measure(aggregate, input.schema)
        let spec = SimulationSpec(measure: measure, period: period, next: next, runs: runs, seed: seed, target: target)
        var names = ["periods", "runs", "mean", "p10", "p50", "p90"]
        var types: [DataType] = [.int, .int, .float, .float, .float, .float]
        if target != nil { names += ["target", "p_target"]; types += [.float, .float] }
        let schema = Schema(names: names, types: types, nullable: types.map { _ in false })
        return LogicalPlan(.analytic(SimulateNode(input: input, spec: spec)), schema: schema, range: range)
    }
}

/// `simulate MEASURE per PERIOD next N [runs R] [seed S] [target T]`: a Monte Carlo bootstrap of per-period totals.
struct SimulateNode: AnalyticNode {
    let input: LogicalPlan
    let spec: SimulationSpec

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { SimulateNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        "simulate \(spec.measure.text(input)) per \(spec.period.text(input)) next \(spec.next) runs \(spec.runs) seed \(spec.seed)"
            + (spec.target.map { " target \($0.text(input))" } ?? "")
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, Set((spec.measure.calls.flatMap(\.arguments) + [spec.period]).flatMap(\.columns)))
        let measure = BoundMeasure(calls: spec.measure.calls.map { $0.remapped(m) }, expr: spec.measure.expr)
        let remapped = SimulationSpec(measure: measure, period: spec.period.remapped(m), next: spec.next, runs: spec.runs, seed: spec.seed,
                                      target: spec.target)
        return (plan.with(.analytic(SimulateNode(input: child, spec: remapped))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        try executor.simulate(spec, try executor.table(input, hole))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`simulate`", at: plan.range, because: "its bootstrap runs in Tally")
    }

    var runsInTally: Bool { true }

    /// The database gives the measure per period; the bootstrap runs in Tally over them.
    func remote(_ plan: LogicalPlan, _ runner: RemoteRunner) throws -> QueryResult? {
        let totals = try runner.perPeriodTotals(input, spec)
        return try runner.executor.bootstrap(spec, periods: totals.columns[0], totals: (0..<totals.rowCount).map { r in
            totals.columns[1].isNull(r) ? .nan : totals.columns[1].double(at: r)
        })
    }
}
