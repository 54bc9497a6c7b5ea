import Dispatch
import TallyCore
import TallyLang

/// The R×F segment grid and tiers of LANGUAGE.md §5.
/// The columns `rfm` gives after its key, named once for the planner and SQL.
enum RFMColumns {
    static let recency = "recency", frequency = "frequency", monetary = "monetary", r = "r", f = "f", m = "m"
    static let score = "rfm", segment = "segment", tier = "tier"
    static let all = [recency, frequency, monetary, r, f, m, score, segment, tier]
}

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
        // Customers numbered in key order need no sort by key; other keys are numbered as they appear.
        let ordered = Grouping.inKeyOrder([k], rowCount: t.rowCount)
        let groups = ordered ?? Grouping(keys: [k], rowCount: t.rowCount)
        let g = groups.count
        let amounts = a.doubles
        // Each core folds a range of rows into its own figures, merged after; a customer's running figures sit side by
        // side, so a row touches one cache line (customers far outnumber the cache).
        let parts = Morsels.map(t.rowCount) { range in
            var figures = [CustomerFigures](repeating: CustomerFigures(), count: g)
            var latest = Int64.min
            groups.ids.withUnsafeBufferPointer { ids in
                amounts.withUnsafeBufferPointer { v in
                    d.ints.withUnsafeBufferPointer { days in
                        figures.withUnsafeMutableBufferPointer { f in
                            for i in range {
                                let gid = Int(ids[i])
                                f[gid].frequency += 1
                                if !a.isNull(i) { f[gid].add(v[i]) }
                                if !d.isNull(i) {
                                    f[gid].last = max(f[gid].last, days[i])
                                    latest = max(latest, days[i])
                                }
                            }
                        }
                    }
                }
            }
            return (figures, latest)
        }
        var (figures, latest) = parts[0]
        for (more, moreLatest) in parts.dropFirst() {
            latest = max(latest, moreLatest)
            for c in 0..<g { figures[c].merge(more[c]) }
        }
        let last = figures.map(\.last), frequency = figures.map(\.frequency), monetary = figures.map(\.monetary)
        let keys = k.gather(groups.firstRows)
        let recency = Column(ints: last.map { latest - $0 }, validity: nil).nulling(where: last.map { $0 == .min })
        // Ties in a score go to the smaller key: rows in key order sort stably by the measure alone.
        let keyRank = ordered == nil ? Sorter.permutation(keys: [(keys, false)], rowCount: g) : Array(0..<Int32(g))
        var keyPosition = [Int64](repeating: 0, count: g)
        for (p, r) in keyRank.enumerated() { keyPosition[Int(r)] = Int64(p) }
        let ties: [(Column, descending: Bool)] = ordered == nil ? [(Column(ints: keyPosition), false)] : []
        // The three scores sort independently: they run side by side, one per core.
        let measures: [(values: Column, descending: Bool)] = [(recency, true), (Column(ints: frequency), false), (Column(floats: monetary), false)]
        var scores = [[Int64]](repeating: [], count: measures.count)
        scores.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: measures.count) { k in
                let order = Sorter.permutation(keys: [measures[k]] + ties, rowCount: g)
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
        return ordered == nil ? out.gather(keyRank) : out
    }
}

/// One customer's running RFM figures: orders, total spent (a compensated sum, so the total does not depend on how the
/// rows were split over the cores), last order day.
private struct CustomerFigures {
    var frequency: Int64 = 0
    private var sum: Double = 0
    private var compensation: Double = 0
    var last = Int64.min

    var monetary: Double { sum + compensation }

    @inline(__always)
    mutating func add(_ v: Double) {
        let t = sum + v
        compensation += abs(sum) >= abs(v) ? (sum - t) + v : (v - t) + sum
        sum = t
    }

    mutating func merge(_ other: CustomerFigures) {
        frequency += other.frequency
        add(other.sum)
        compensation += other.compensation
        last = max(last, other.last)
    }
}

extension Planner {
    /// `rfm [by KEY] [date COL] [amount COL]`.
    func rfm(key: Name?, date: Name?, amount: Name?, _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let keyName = key ?? Name(DefaultColumns.customer, range), dateName = date ?? Name(DefaultColumns.saleDate, range)
        let amountName = amount ?? Name(DefaultColumns.amount, range)
        let s = input.schema
        let k = try columnIndex(keyName, s), d = try columnIndex(dateName, s), a = try columnIndex(amountName, s)
        guard s.types[d] == .date else {
            throw Diagnostic("`rfm` needs a date column, `\(dateName.text)` is \(Expect.article(s.types[d]))", at: dateName.range)
        }
        guard s.types[a].isNumeric else {
            throw Diagnostic("`rfm` needs a numeric amount, `\(amountName.text)` is \(Expect.article(s.types[a]))", at: amountName.range)
        }
        let schema = Schema(names: [keyName.text] + RFMColumns.all,
                            types: [s.types[k], .int, .int, .float, .int, .int, .int, .string, .string, .string],
                            nullable: [s.nullable[k], true, false, false, false, false, false, false, false, false])
        return LogicalPlan(.analytic(RFMNode(input: input, key: k, date: d, amount: a)), schema: schema, range: range)
    }
}

/// `rfm [by KEY] [date COL] [amount COL]`: per key, recency, frequency, monetary, their scores, segment and tier.
struct RFMNode: AnalyticNode {
    let input: LogicalPlan
    let key: Int
    let date: Int
    let amount: Int

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { RFMNode(input: inputs[0], key: key, date: date, amount: amount) }

    func description(_ input: Schema) -> String {
        "rfm by \(input.names[key]) date \(input.names[date]) amount \(input.names[amount])"
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, [key, date, amount])
        return (plan.with(.analytic(RFMNode(input: child, key: m[key]!, date: m[date]!, amount: m[amount]!))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: executor.rfm(key: key, date: date, amount: amount, names: plan.schema.names, try executor.table(input, hole)))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        generator.rfm(try generator.relation(input), key: key, keyIsText: input.schema.types[key] == .string, date: date, amount: amount)
    }
}
