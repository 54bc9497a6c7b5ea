import TallyCore
import TallyLang

/// What to draw: one label and one value per bar or point.
public struct ChartSpec {
    public enum Kind: String { case bar, line, hist }
    public let kind: Kind
    public let xTitle: String
    public let yTitle: String
    public let labels: [String]
    public let values: [Double]
}

extension Executor {
    /// `chart bar X Y`, `chart line X Y`, `chart hist X [bins N]`.
    func chart(_ kind: Name, _ args: [Expr], bins: Expr?, _ t: Table) throws -> QueryResult {
        let x = try evaluate(args[0], t)
        if kind.text == "hist" {
            guard x.type.isNumeric else { throw Diagnostic("`chart hist` needs a number, this is \(Expect.article(x.type))", at: args[0].range) }
            let n = try bins.map { try count($0, t, what: "`bins`") } ?? 10
            guard n >= 1, n <= 200 else { throw Diagnostic("`bins` must be between 1 and 200", at: bins!.range) }
            let values = (0..<x.count).filter { !x.isNull($0) }.map { x.double(at: $0) }
            let lo = values.min() ?? 0, hi = values.max() ?? 0
            let width = hi > lo ? (hi - lo) / Double(n) : 1
            var counts = [Int64](repeating: 0, count: n)
            for v in values { counts[min(n - 1, Int((v - lo) / width))] += 1 }
            let starts = (0..<n).map { lo + Double($0) * width }
            let table = Table(names: ["bin_start", "bin_end", "count"],
                              columns: [Column(floats: starts), Column(floats: starts.map { $0 + width }), Column(ints: counts)])
            let labels = starts.map { formatNumber($0) }
            return QueryResult(table: table, chart: ChartSpec(kind: .hist, xTitle: args[0].autoName, yTitle: "count", labels: labels, values: counts.map(Double.init)))
        }
        let y = try evaluate(args[1], t)
        guard y.type.isNumeric else { throw Diagnostic("the chart's Y needs a number, this is \(Expect.article(y.type))", at: args[1].range) }
        let labels = (0..<x.count).map { x.value(at: $0).text }
        let values = (0..<y.count).map { y.isNull($0) ? 0 : y.double(at: $0) }
        return QueryResult(table: t, chart: ChartSpec(kind: kind.text == "bar" ? .bar : .line, xTitle: args[0].autoName, yTitle: args[1].autoName, labels: labels, values: values))
    }
}
