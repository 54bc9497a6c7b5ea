import TallyCore
import TallyLang

/// What to draw: one x value and one number per bar or point (for a histogram, each bin's start and count).
public struct ChartSpec {
    public let kind: ChartKind
    public let xTitle: String
    public let yTitle: String
    public let x: [Value]
    /// One value per x; nil where the value is null (a gap in a line, no bar).
    public let values: [Double?]

    public init(kind: ChartKind, xTitle: String, yTitle: String, x: [Value], values: [Double?]) {
        self.kind = kind
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.x = x
        self.values = values
    }

    /// The values that are there.
    public var present: [Double] { values.compactMap { $0 } }
}

extension Executor {
    /// The chart's points (and, for a histogram, its bins as the table).
    func chart(_ spec: ChartPlan, _ t: Table) throws -> QueryResult {
        let ev = evaluator(t)
        let x = try ev.evaluate(spec.x)
        guard let yExpr = spec.y else {
            let n = spec.bins
            let values = (0..<x.count).filter { !x.isNull($0) }.map { x.double(at: $0) }.filter(\.isFinite)
            let lo = values.min() ?? 0, hi = values.max() ?? 0
            let width = hi > lo ? (hi - lo) / Double(n) : 1
            var counts = [Int64](repeating: 0, count: n)
            for v in values { counts[min(n - 1, Int((v - lo) / width))] += 1 }
            let starts = (0..<n).map { lo + Double($0) * width }
            let table = Table(names: ["bin_start", "bin_end", "count"],
                              columns: [Column(floats: starts), Column(floats: starts.map { $0 + width }), Column(ints: counts)])
            return QueryResult(table: table, chart: ChartSpec(kind: .hist, xTitle: spec.xTitle, yTitle: spec.yTitle, x: starts.map(Value.float),
                                                              values: counts.map(Double.init)))
        }
        let y = try ev.evaluate(yExpr)
        let values = (0..<y.count).map { y.isNull($0) ? nil : y.double(at: $0) }
        return QueryResult(table: t, chart: ChartSpec(kind: spec.kind, xTitle: spec.xTitle, yTitle: spec.yTitle, x: (0..<x.count).map(x.value(at:)),
                                                      values: values))
    }
}
