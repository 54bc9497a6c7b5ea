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
            result = Executor.ordinal(labels, bins: bin, validity: x.validity)
        }
        var out = t
        if let replacing { out.columns[replacing] = result } else { out.names.append(name); out.columns.append(result) }
        return out
    }

    /// Labels as an ordinal string column: the dictionary holds each distinct label once, in band order, so the
    /// column sorts (and groups) in band order.
    static func ordinal(_ labels: [String], bins: [Int64], validity: Bitmap?) -> Column {
        var dictionary: [String] = []
        var codeOfLabel: [String: Int32] = [:]
        let codeOfBin = labels.map { label in
            if let code = codeOfLabel[label] { return code }
            codeOfLabel[label] = Int32(dictionary.count)
            dictionary.append(label)
            return Int32(dictionary.count - 1)
        }
        var column = Column(codes: bins.map { $0 >= 1 ? codeOfBin[Int($0) - 1] : 0 }, dictionary: dictionary.isEmpty ? [""] : dictionary, validity: validity)
        column.isOrdinal = true
        return column
    }
}
