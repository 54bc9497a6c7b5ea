import TallyCore
import TallyLang

extension Executor {
    /// `abc EXPR [by KEY] [at (a, b)]`: value, share, cumulative share (largest first) and class A/B/C.
    func abc(_ e: Expr, key: Name?, cuts: [Expr], _ t: Table, at range: SourceRange) throws -> Table {
        var a = 0.8, b = 0.95
        if !cuts.isEmpty {
            guard cuts.count == 2 else { throw Diagnostic("`abc … at` takes two limits, e.g. at (80%, 95%)", at: cuts[0].range) }
            a = try constantNumber(cuts[0], t, what: "the A limit")
            b = try constantNumber(cuts[1], t, what: "the B limit")
            guard 0 < a, a < b, b <= 1 else { throw Diagnostic("limits must satisfy 0 < a < b ≤ 1 (as shares, e.g. 80%)", at: cuts[0].range.union(cuts[1].range)) }
        }
        let x = try evaluate(e, t)
        guard x.type.isNumeric else { throw Diagnostic("`abc` needs a number, this is \(Expect.article(x.type))", at: e.range) }
        var base: Table
        var values: [Double]
        if let key {
            let k = t.columns[try columnIndex(key, t)]
            let groups = Grouping(keys: [k], rowCount: t.rowCount)
            values = [Double](repeating: 0, count: groups.count)
            let v = x.doubles
            for i in 0..<t.rowCount where !x.isNull(i) { values[Int(groups.ids[i])] += v[i] }
            base = Table(names: [key.text], columns: [k.gather(groups.firstRows)], rowCount: groups.count)
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
        out.names += ["value", "share", "cumulative", "class"]
        out.columns += [Column(floats: values), Column(floats: share), Column(floats: cumulative), Dictionaries.build(classes)]
        return out.gather(order)
    }
}
