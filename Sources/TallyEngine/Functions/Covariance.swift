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
        let bothValid = x.validity == nil && y.validity == nil
        // Runs `body(row, group)` for every row of `range` where both values are present.
        func eachRow(_ range: Range<Int>, _ body: (Int, Int) -> Void) {
            groups.withUnsafeBufferPointer { group in
                if bothValid {
                    for i in range { body(i, Int(group[i])) }
                } else {
                    for i in range where !x.isNull(i) && !y.isNull(i) { body(i, Int(group[i])) }
                }
            }
        }
        let sums = Morsels.map(groups.count) { range in
            var count = [Int](repeating: 0, count: g), sumX = [Double](repeating: 0, count: g), sumY = [Double](repeating: 0, count: g)
            xs.withUnsafeBufferPointer { xv in
                ys.withUnsafeBufferPointer { yv in
                    eachRow(range) { i, k in
                        count[k] += 1
                        sumX[k] += xv[i]
                        sumY[k] += yv[i]
                    }
                }
            }
            return (count, sumX, sumY)
        }
        var (count, sumX, sumY) = sums[0]
        for (c, sx, sy) in sums.dropFirst() {
            for k in 0..<g {
                count[k] += c[k]
                sumX[k] += sx[k]
                sumY[k] += sy[k]
            }
        }
        let meanX = (0..<g).map { count[$0] > 0 ? sumX[$0] / Double(count[$0]) : 0 }
        let meanY = (0..<g).map { count[$0] > 0 ? sumY[$0] / Double(count[$0]) : 0 }
        let parts = Morsels.map(groups.count) { range in
            var m = Comoments(count: [], xy: [Double](repeating: 0, count: g), xx: [Double](repeating: 0, count: g), yy: [Double](repeating: 0, count: g))
            xs.withUnsafeBufferPointer { xv in
                ys.withUnsafeBufferPointer { yv in
                    eachRow(range) { i, k in
                        let dx = xv[i] - meanX[k], dy = yv[i] - meanY[k]
                        m.xy[k] += dx * dy
                        m.xx[k] += dx * dx
                        m.yy[k] += dy * dy
                    }
                }
            }
            return m
        }
        var m = parts[0]
        m.count = count
        for more in parts.dropFirst() {
            for k in 0..<g {
                m.xy[k] += more.xy[k]
                m.xx[k] += more.xx[k]
                m.yy[k] += more.yy[k]
            }
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
