import TallyCore
import TallyLang

/// NTILE: splits `order` (row positions, lowest first) into `n` bins whose sizes differ by at most one, larger bins first.
enum NTile {
    static func bins(count: Int, n: Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        let base = count / n, extra = count % n
        for b in 0..<n {
            let size = base + (b < extra ? 1 : 0)
            out.append(contentsOf: repeatElement(b + 1, count: size))
        }
        return out
    }
}

extension Executor {
    /// `segment EXPR into N [as NAME] [labels (...)]`: equal-count bins, 1 = lowest; null values get a null segment.
    func segmentInto(_ e: Expr, _ n: Expr, name: Name?, labels: [Expr], _ t: Table) throws -> Table {
        let bins = try count(n, t, what: "`segment … into`")
        guard bins >= 1 else { throw Diagnostic("`segment … into` needs at least 1 bin", at: n.range) }
        let x = try evaluate(e, t)
        guard x.type != .bool else { throw Diagnostic("`segment` needs a value that sorts, this is a bool", at: e.range) }
        let present = (0..<t.rowCount).filter { !x.isNull($0) }.map(Int32.init)
        let order = Sorter.permutation(keys: [(x.gather(present), false)], rowCount: present.count).map { present[Int($0)] }
        var bin = [Int64](repeating: 0, count: t.rowCount)
        for (pos, b) in NTile.bins(count: order.count, n: bins).enumerated() { bin[Int(order[pos])] = Int64(b) }
        let column = Column(ints: bin, validity: x.validity)
        return try addSegment(column, bins: bins, name: name, labels: labels, t)
    }

    /// `segment EXPR at (c1, c2, ...)`: bin 1 is `< c1`, bin k is `c(k-1) <= x < ck`.
    func segmentAt(_ e: Expr, _ cuts: [Expr], name: Name?, labels: [Expr], _ t: Table) throws -> Table {
        guard !cuts.isEmpty else { throw Diagnostic("`segment … at` needs at least one cut point", at: e.range) }
        let values = try cuts.map { try constantNumber($0, t, what: "a cut point") }
        for k in 1..<values.count where values[k] <= values[k - 1] {
            throw Diagnostic("cut points must increase", at: cuts[k].range)
        }
        let x = try evaluate(e, t)
        guard x.type.isNumeric else { throw Diagnostic("`segment … at` needs a number, this is \(Expect.article(x.type))", at: e.range) }
        let v = x.doubles
        let bin = v.map { value in Int64(1 + values.filter { value >= $0 }.count) }
        return try addSegment(Column(ints: bin, validity: x.validity), bins: values.count + 1, name: name, labels: labels, t)
    }

    func addSegment(_ column: Column, bins: Int, name: Name?, labels: [Expr], _ t: Table) throws -> Table {
        var out = t
        var result = column
        if !labels.isEmpty {
            guard labels.count == bins else {
                throw Diagnostic("\(labels.count) labels for \(bins) bins", at: labels[0].range.union(labels.last!.range), hints: ["give one label per bin, lowest first"])
            }
            let texts = try labels.map { l -> String in
                guard let v = try binder(t).bind(l).constantValue, !v.isNull else { throw Diagnostic("labels must be constants", at: l.range) }
                return v.text
            }
            result = Dictionaries.build((0..<column.count).map { column.isNull($0) ? nil : texts[Int(column.ints[$0]) - 1] })
        }
        let outName = name?.text ?? "segment"
        if let i = out.index(of: outName) { out.columns[i] = result } else { out.names.append(outName); out.columns.append(result) }
        return out
    }
}
