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
        let history = order.map { totals[Int($0)] }.filter { !$0.isNaN }
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
        let assumptions = SimulationAssumptions(periods: history.count, first: keys.value(at: Int(order.first!)), last: keys.value(at: Int(order.last!)),
                                                mean: histMean, standardDeviation: sd, runs: runs, seed: seed)
        return QueryResult(table: Table(names: names, columns: columns), assumptions: assumptions)
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
