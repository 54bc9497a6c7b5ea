import TallyCore
import TallyLang

/// NTILE: the bin (1…n) of each of `count` sorted positions, in bins whose sizes differ by at most one, larger
/// bins first. Work is proportional to `count`, however large `n` is.
enum NTile {
    static func bins(count: Int, n: Int) -> [Int] {
        let base = count / n, extra = count % n
        let large = extra * (base + 1)
        return (0..<count).map { p in p < large ? p / (base + 1) + 1 : extra + (p - large) / base + 1 }
    }
}

extension Executor {
    /// The bin of each row (1 = lowest; null values get a null bin), as a number or its label, added or replacing a column.
    func segment(_ value: BoundExpr, _ binning: Binning, labels: [String]?, replacing: Int?, name: String, _ t: Table) throws -> Table {
        let x = try evaluator(t).evaluate(value)
        var bin = [Int64](repeating: 0, count: t.rowCount)
        switch binning {
        case .equalCount(let bins):
            let present = (0..<t.rowCount).filter { !x.isNull($0) }.map(Int32.init)
            let order = Sorter.permutation(keys: [(x.gather(present), false)], rowCount: present.count).map { present[Int($0)] }
            for (pos, b) in NTile.bins(count: order.count, n: bins).enumerated() { bin[Int(order[pos])] = Int64(b) }
        case .cutPoints(let cuts):
            let v = x.doubles
            bin = v.map { value in Int64(1 + cuts.filter { value >= $0 }.count) }
        }
        var result = Column(ints: bin, validity: x.validity)
        if let labels {
            result = Dictionaries.build((0..<result.count).map { result.isNull($0) ? nil : labels[Int(bin[$0]) - 1] })
        }
        var out = t
        if let replacing { out.columns[replacing] = result } else { out.names.append(name); out.columns.append(result) }
        return out
    }
}
