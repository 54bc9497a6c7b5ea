import TallyCore
import TallyLang

extension SQLGenerator {
    /// `segment`: NTILE over the value (ties in the input's order, nulls in no bin) or fixed cut points, as a number or label.
    func segment(_ input: SQLRelation, value: BoundExpr, binning: Binning, labels: [String]?, replacing: Int?, names: [String],
                 mayBeNull: Bool) throws -> SQLRelation {
        var r = input
        var v = try expression(value, scope(r))
        var bin: String
        switch binning {
        case .equalCount(let n):
            let valueKey = SQLOrderKey(sql: v, descending: false, isText: value.type == .string)
            let order = orderList([valueKey] + r.order)
            if mayBeNull {
                // NTILE over the rows with a value only. Not a window partitioned by nullness, which would add a sort key:
                // each row's position (nulls sort last, after every value) and the count of values give its bin.
                let position = hiddenName(), count = hiddenName(), valueName = hiddenName()
                r = select(passThrough(r), looks: r.looks, from: r,
                           extra: ["\(v) AS \(valueName)", "row_number() OVER (ORDER BY \(order)) - 1 AS \(position)", "count(\(v)) OVER () AS \(count)"])
                v = valueName
                let base = dialect.intDivide(count, "\(n)"), extra = "(\(count) % \(n))"
                let large = "\(extra) * (\(base) + 1)"
                bin = "CASE WHEN \(v) IS NULL THEN NULL WHEN \(position) < \(large) THEN \(dialect.intDivide(position, "(\(base) + 1)")) + 1 "
                    + "ELSE \(extra) + \(dialect.intDivide("(\(position) - \(large))", "NULLIF(\(base), 0)")) + 1 END"
            } else {
                bin = "ntile(\(n)) OVER (ORDER BY \(order))"
            }
        case .cutPoints(let cuts):
            let arms = cuts.enumerated().map { k, c in "WHEN \(v) < \(literal(.float(c), type: .float)) THEN \(k + 1)" }
            bin = "CASE WHEN \(v) IS NULL THEN NULL " + arms.joined(separator: " ") + " ELSE \(cuts.count + 1) END"
        }
        bin = "CAST(\(bin) AS BIGINT)"
        if let labels {
            bin = "CASE \(bin) " + labels.enumerated().map { "WHEN \($0.offset + 1) THEN \(dialect.string($0.element))" }.joined(separator: " ") + " END"
        }
        var items = passThrough(r), looks = r.looks
        var distinctLabels: [String]?
        if let labels { distinctLabels = labels.enumerated().filter { labels.firstIndex(of: $0.element) == $0.offset }.map(\.element) }
        let look = ColumnLook(percent: false, labels: distinctLabels)
        if let replacing {
            items[replacing] = (bin, names[replacing])
            looks[replacing] = look
        } else {
            items.append((bin, names[names.count - 1]))
            looks.append(look)
        }
        return select(items, looks: looks, from: r)
    }

    /// `rfm`: per key recency, frequency, monetary, NTILE(5) scores (ties by key), the R×F segment and its tier; by key.
    func rfm(_ r: SQLRelation, key: Int, keyIsText: Bool, date: Int, amount: Int, names: [String]) -> SQLRelation {
        let k = dialect.identifier(r.columns[key]), d = dialect.identifier(r.columns[date]), a = dialect.identifier(r.columns[amount])
        let float = dialect.type(.float)
        let figures = select([(k, "k"), (dialect.daysBetween("max(max(\(d))) OVER ()", "max(\(d))"), "recency"), ("CAST(count(*) AS BIGINT)", "frequency"),
                              ("coalesce(sum(CAST(\(a) AS \(float))), 0)", "monetary")],
                             looks: Array(repeating: .plain, count: 4), from: r, clauses: ["GROUP BY 1"], keepOrder: false)
        func score(_ column: String, descending: Bool) -> String {
            let order = orderList([SQLOrderKey(sql: column, descending: descending, isText: false), .ascending("k", isText: keyIsText)])
            return "CAST(ntile(5) OVER (ORDER BY \(order)) AS BIGINT)"
        }
        let scored = select([("k", "k"), ("recency", "recency"), ("frequency", "frequency"), ("monetary", "monetary"),
                             (score("recency", descending: true), "r"), (score("frequency", descending: false), "f"),
                             (score("monetary", descending: false), "m")],
                            looks: Array(repeating: .plain, count: 7), from: figures, keepOrder: false)
        let cells = (1...5).flatMap { rScore in (1...5).map { fScore in
            "WHEN \(rScore * 10 + fScore) THEN \(dialect.string(RFMGrid.segment(r: rScore, f: fScore)))"
        } }
        let segment = "CASE r * 10 + f " + cells.joined(separator: " ") + " END"
        let segmentNames = Set((1...5).flatMap { rScore in (1...5).map { RFMGrid.segment(r: rScore, f: $0) } }).sorted()
        let tiers = segmentNames.map { "WHEN \(dialect.string($0)) THEN \(dialect.string(RFMGrid.tier($0)))" }
        let tier = "CASE " + segment + " " + tiers.joined(separator: " ") + " END"
        let digits = "concat(CAST(r AS \(dialect.type(.string))), CAST(f AS \(dialect.type(.string))), CAST(m AS \(dialect.type(.string))))"
        let items = [("k", names[0]), ("recency", names[1]), ("frequency", names[2]), ("monetary", names[3]), ("r", names[4]), ("f", names[5]),
                     ("m", names[6]), (digits, names[7]), (segment, names[8]), (tier, names[9])]
        return select(items, looks: Array(repeating: .plain, count: 10), from: scored, keepOrder: false,
                      order: [SQLOrderKey(sql: dialect.identifier(names[0]), descending: false, isText: keyIsText)])
    }

    /// `abc`: value per key (or per row), share of the total, cumulative share largest first, class A/B/C.
    func abc(_ r: SQLRelation, value: BoundExpr, key: Int?, tieIsText: Bool, a: Double, b: Double, names: [String]) throws -> SQLRelation {
        let v = try expression(value, scope(r))
        let float = dialect.type(.float)
        let base: SQLRelation
        let valueName = names[names.count - 4]
        if let key {
            base = select([(dialect.identifier(r.columns[key]), r.columns[key]), ("coalesce(sum(CAST(\(v) AS \(float))), 0)", valueName)],
                          looks: [.plain, .plain], from: r, clauses: ["GROUP BY 1"], keepOrder: false)
        } else {
            base = select(passThrough(r) + [("coalesce(CAST(\(v) AS \(float)), 0)", valueName)], looks: r.looks + [.plain], from: r, keepOrder: false)
        }
        let tie = dialect.identifier(base.columns[0])
        let valueColumn = dialect.identifier(valueName)
        let shareName = names[names.count - 3], cumulativeName = names[names.count - 2], className = names[names.count - 1]
        let share = "CASE WHEN sum(\(valueColumn)) OVER () = 0 THEN CAST(0 AS \(float)) ELSE \(valueColumn) / sum(\(valueColumn)) OVER () END"
        let order = [SQLOrderKey(sql: valueColumn, descending: true, isText: false), .ascending(tie, isText: tieIsText)]
        let shared = select(passThrough(base) + [(share, shareName)], looks: base.looks + [.percent], from: base, keepOrder: false)
        let shareColumn = dialect.identifier(shareName)
        let cumulative = "sum(\(shareColumn)) OVER (ORDER BY \(orderList(order)) ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
        let withCumulative = select(passThrough(shared) + [(cumulative, cumulativeName)], looks: shared.looks + [.percent], from: shared, keepOrder: false)
        let c = dialect.identifier(cumulativeName)
        let limit = { (x: Double) in self.literal(.float(x + 1e-12), type: .float) }
        let classes = "CASE WHEN \(c) <= \(limit(a)) THEN 'A' WHEN \(c) <= \(limit(b)) THEN 'B' ELSE 'C' END"
        return select(passThrough(withCumulative) + [(classes, className)], looks: withCumulative.looks + [.plain], from: withCumulative,
                      keepOrder: false, order: order)
    }
}
