import TallyCore
import TallyLang

/// The columns `abc` adds, named once for the planner, the executor and SQL.
enum ABCColumns {
    static let value = "value", share = "share", cumulative = "cumulative", classLetter = "class"
    static let all = [value, share, cumulative, classLetter]
}

extension Executor {
    /// Value, share, cumulative share (largest first) and class A/B/C, per key or per row.
    func abc(_ value: BoundExpr, key: Int?, a: Double, b: Double, names: [String], _ t: Table) throws -> Table {
        let x = try evaluator(t).evaluate(value)
        var base: Table
        var values: [Double]
        if let key {
            let k = t.columns[key]
            let groups = Grouping(keys: [k], rowCount: t.rowCount)
            values = [Double](repeating: 0, count: groups.count)
            let v = x.doubles
            for i in 0..<t.rowCount where !x.isNull(i) { values[Int(groups.ids[i])] += v[i] }
            base = Table(names: [t.names[key]], columns: [k.gather(groups.firstRows)], rowCount: groups.count)
        } else {
            base = t
            values = (0..<t.rowCount).map { x.isNull($0) ? 0 : x.double(at: $0) }
        }
        let total = values.reduce(0, +)
        let tie = base.columns[0]
        let order = Sorter.permutation(keys: [(Column(floats: values), true), (tie, false)], rowCount: base.rowCount)
        var share = [Double](repeating: 0, count: values.count), cumulative = share
        var classes = [String](repeating: "C", count: values.count)
        var running = 0.0
        for r in order.map(Int.init) {
            share[r] = total == 0 ? 0 : values[r] / total
            running += share[r]
            cumulative[r] = running
            classes[r] = running <= a + 1e-12 ? "A" : running <= b + 1e-12 ? "B" : "C"
        }
        var out = base
        out.names = names
        out.columns += [Column(floats: values), Column(floats: share).percent(), Column(floats: cumulative).percent(), Dictionaries.build(classes)]
        return out.gather(order)
    }
}
