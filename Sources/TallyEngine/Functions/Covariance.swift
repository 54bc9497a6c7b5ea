import TallyCore

/// `corr(x, y)`, `covar_samp(x, y)` and `covar_pop(x, y)` per group, as DuckDB and PostgreSQL name them: over the rows
/// where both are present, in two passes (means, then deviations) so that large values with small spread stay exact.
enum Covariance {
    /// Per group: rows with both values, and the sums of products of deviations from the means (x·y, x·x, y·y).
    struct Comoments {
        var count: [Int]
        var xy: [Double]
        var xx: [Double]
        var yy: [Double]
    }

    static func comoments(_ x: Column, _ y: Column, _ groups: [Int32], _ g: Int) -> Comoments {
        let xs = x.doubles, ys = y.doubles
        let both = { (i: Int) in !x.isNull(i) && !y.isNull(i) }
        var count = [Int](repeating: 0, count: g), sumX = [Double](repeating: 0, count: g), sumY = [Double](repeating: 0, count: g)
        for i in 0..<groups.count where both(i) {
            let k = Int(groups[i])
            count[k] += 1
            sumX[k] += xs[i]
            sumY[k] += ys[i]
        }
        var m = Comoments(count: count, xy: [Double](repeating: 0, count: g), xx: [Double](repeating: 0, count: g), yy: [Double](repeating: 0, count: g))
        for i in 0..<groups.count where both(i) {
            let k = Int(groups[i])
            let dx = xs[i] - sumX[k] / Double(count[k]), dy = ys[i] - sumY[k] / Double(count[k])
            m.xy[k] += dx * dy
            m.xx[k] += dx * dx
            m.yy[k] += dy * dy
        }
        return m
    }

    static func function(_ name: String, _ doc: String, _ value: @escaping (Comoments, Int) -> Double?) -> AggregateFunction {
        AggregateFunctions.numeric(name, "\(name)(x, y)", doc, arity: 2...2, result: { _ in .float }) { args, groups, g in
            let m = comoments(args[0], args[1], groups, g)
            let values = (0..<g).map { value(m, $0) }
            return Column(floats: values.map { $0 ?? 0 }).nulling(where: values.map { $0 == nil })
        }.sql { c in .call(name, [c.float(c.arguments[0]), c.float(c.arguments[1])]) }
    }

    static let functions: [AggregateFunction] = [
        function("corr", "Pearson correlation of x and y (null when either is constant)") { m, k in
            m.count[k] > 1 && m.xx[k] > 0 && m.yy[k] > 0 ? m.xy[k] / (m.xx[k] * m.yy[k]).squareRoot() : nil
        },
        function("covar_samp", "sample covariance of x and y") { m, k in m.count[k] > 1 ? m.xy[k] / Double(m.count[k] - 1) : nil },
        function("covar_pop", "population covariance of x and y") { m, k in m.count[k] > 0 ? m.xy[k] / Double(m.count[k]) : nil },
    ]
}
