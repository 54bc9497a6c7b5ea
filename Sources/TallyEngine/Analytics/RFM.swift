import Dispatch
import TallyCore
import TallyLang

/// The R×F segment grid and tiers of LANGUAGE.md §5.
public enum RFMGrid {
    public static func segment(r: Int, f: Int) -> String {
        switch (r, f) {
        case (1...2, 1...2): return "Hibernating"
        case (1...2, 3...4): return "At Risk"
        case (1...2, 5): return "Can't Lose"
        case (3, 1...2): return "About to Sleep"
        case (3, 3): return "Need Attention"
        case (3, 4...5): return "Loyal"
        case (4, 1): return "Promising"
        case (4, 2...3): return "Potential Loyalist"
        case (4, 4...5): return "Loyal"
        case (5, 1): return "New Customers"
        case (5, 2...3): return "Potential Loyalist"
        default: return "Champions"
        }
    }

    public static func tier(_ segment: String) -> String {
        switch segment {
        case "Champions", "Loyal", "Can't Lose": return "high-value"
        case "Potential Loyalist", "Promising", "New Customers", "Need Attention": return "potential"
        default: return "ordinary"
        }
    }
}

extension Executor {
    /// One row per key with recency, frequency, monetary, scores, segment and tier.
    func rfm(key: Int, date: Int, amount: Int, names: [String], _ t: Table) -> Table {
        let k = t.columns[key], d = t.columns[date], a = t.columns[amount]
        let groups = Grouping(keys: [k], rowCount: t.rowCount)
        let g = groups.count
        // Each customer's running figures side by side, so a row touches one cache line (customers far outnumber the cache).
        var figures = [CustomerFigures](repeating: CustomerFigures(), count: g)
        var latest = Int64.min
        let amounts = a.doubles
        let (amountValid, dateValid) = (a.validity, d.validity)
        groups.ids.withUnsafeBufferPointer { ids in
            amounts.withUnsafeBufferPointer { v in
                d.ints.withUnsafeBufferPointer { days in
                    figures.withUnsafeMutableBufferPointer { f in
                        for i in 0..<ids.count {
                            let gid = Int(ids[i])
                            f[gid].frequency += 1
                            if amountValid?[i] ?? true { f[gid].monetary += v[i] }
                            if dateValid?[i] ?? true {
                                f[gid].last = max(f[gid].last, days[i])
                                latest = max(latest, days[i])
                            }
                        }
                    }
                }
            }
        }
        let last = figures.map(\.last), frequency = figures.map(\.frequency), monetary = figures.map(\.monetary)
        let keys = k.gather(groups.firstRows)
        let recency = Column(ints: last.map { latest - $0 }, validity: nil).nulling(where: last.map { $0 == .min })
        let keyRank = Sorter.permutation(keys: [(keys, false)], rowCount: g)
        var keyPosition = [Int64](repeating: 0, count: g)
        for (p, r) in keyRank.enumerated() { keyPosition[Int(r)] = Int64(p) }
        let ties = Column(ints: keyPosition)
        // The three scores sort independently: they run side by side, one per core.
        let measures: [(values: Column, descending: Bool)] = [(recency, true), (Column(ints: frequency), false), (Column(floats: monetary), false)]
        var scores = [[Int64]](repeating: [], count: measures.count)
        scores.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: measures.count) { k in
                let order = Sorter.permutation(keys: [measures[k], (ties, false)], rowCount: g)
                var s = [Int64](repeating: 0, count: g)
                for (p, b) in NTile.bins(count: g, n: 5).enumerated() { s[Int(order[p])] = Int64(b) }
                out[k] = s
            }
        }
        let (r, f, m) = (scores[0], scores[1], scores[2])
        // The labels come from small fixed sets, so their columns are codes into those sets.
        let scoreTexts = (0..<125).map { "\($0 / 25 + 1)\($0 / 5 % 5 + 1)\($0 % 5 + 1)" }
        let gridCells = (0..<25).map { RFMGrid.segment(r: $0 / 5 + 1, f: $0 % 5 + 1) }
        let segmentNames = Array(Set(gridCells)).sorted()
        let tierNames = ["high-value", "ordinary", "potential"]
        let cellSegment = gridCells.map { Int32(segmentNames.firstIndex(of: $0)!) }
        let segmentTier = segmentNames.map { Int32(tierNames.firstIndex(of: RFMGrid.tier($0))!) }
        var scoreCodes = [Int32](repeating: 0, count: g), segmentCodes = scoreCodes
        for i in 0..<g {
            let rf = (r[i] - 1) * 5 + (f[i] - 1)
            scoreCodes[i] = Int32(rf * 5 + (m[i] - 1))
            segmentCodes[i] = cellSegment[Int(rf)]
        }
        let out = Table(
            names: names,
            columns: [keys, recency, Column(ints: frequency), Column(floats: monetary), Column(ints: r), Column(ints: f), Column(ints: m),
                      Column(codes: scoreCodes, dictionary: scoreTexts), Column(codes: segmentCodes, dictionary: segmentNames),
                      Column(codes: segmentCodes.map { segmentTier[Int($0)] }, dictionary: tierNames)],
            rowCount: g)
        return out.gather(keyRank)
    }
}

/// One customer's running RFM figures: orders, total spent, last order day.
private struct CustomerFigures {
    var frequency: Int64 = 0
    var monetary: Double = 0
    var last = Int64.min
}
