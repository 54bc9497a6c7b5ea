import TallyCore
import TallyLang

extension SQLGenerator {
    /// `segment`: NTILE over the value (ties in the input's order, nulls in no bin) or fixed cut points, as a number or label.
    func segment(_ input: SQLRelation, value: BoundExpr, binning: Binning, labels: [String]?, replacing: Int?, name: String,
                 mayBeNull: Bool) throws -> SQLRelation {
        var r = input
        var v = try expression(value, scope(r))
        var bin: SQLExpr
        switch binning {
        case .equalCount(let n):
            let order = [SQLOrderKey(expr: v, isText: value.type == .string)] + r.order
            warnIfUnordered(order, isTotal: r.isTotal, "which bin a row of a tied value falls in", at: value.range)
            if mayBeNull {
                // NTILE over the rows with a value only. Not a window partitioned by nullness, which would add a sort key:
                // each row's position (nulls sort last, after every value) and the count of values give its bin.
                let position = hiddenName(), count = hiddenName(), valueName = hiddenName()
                r = select(passThrough(r), looks: r.looks, from: r,
                           extra: [(v, valueName), (.window(.call("row_number", []), SQLWindow(order: order)) - .integer(1), position),
                                   (.window(.call("count", v), SQLWindow()), count)])
                v = .column(valueName)
                let bins = SQLExpr.integer(Int64(n)), at = SQLExpr.column(position)
                let base = dialect.intDivide(.column(count), bins), extra = SQLExpr.binary(.column(count), .remainder, bins)
                let large = extra * (base + .integer(1))
                bin = .when([(.isNull(v, negated: false), .null), (.binary(at, .less, large), dialect.intDivide(at, base + .integer(1)) + .integer(1))],
                            otherwise: extra + dialect.intDivide(at - large, .nonZero(base)) + .integer(1))
            } else {
                bin = .window(.call("ntile", .integer(Int64(n))), SQLWindow(order: order))
            }
        case .cutPoints(let cuts):
            let arms = cuts.enumerated().map { k, c in (SQLExpr.binary(v, .less, .float(c)), SQLExpr.integer(Int64(k + 1))) }
            bin = .when([(.isNull(v, negated: false), .null)] + arms, otherwise: .integer(Int64(cuts.count + 1)))
        }
        bin = .cast(bin, .tally(.int))
        if let labels { bin = .switching(bin, labels.enumerated().map { (.integer(Int64($0.offset + 1)), .string($0.element)) }) }
        var items = passThrough(r), looks = r.looks
        var distinctLabels: [String]?
        if let labels { distinctLabels = labels.enumerated().filter { labels.firstIndex(of: $0.element) == $0.offset }.map(\.element) }
        let look = ColumnLook(percent: false, labels: distinctLabels)
        if let replacing {
            items[replacing] = (bin, name)
            looks[replacing] = look
        } else {
            items.append((bin, name))
            looks.append(look)
        }
        return select(items, looks: looks, from: r)
    }

    /// `rfm`: per key recency, frequency, monetary, NTILE(5) scores (ties by key), the R×F segment (written once) and its
    /// tier; by key. The key is `k` inside the statement (it may share a name with one of the columns `rfm` adds).
    func rfm(_ r: SQLRelation, key: Int, keyIsText: Bool, date: Int, amount: Int) -> SQLRelation {
        typealias C = RFMColumns
        let k = r.column(key), d = r.column(date), a = r.column(amount)
        let lastDay = SQLExpr.call("max", d)
        let figures = select([(k, "k"), (dialect.daysBetween(.window(.call("max", lastDay), SQLWindow()), lastDay), C.recency),
                              (.cast(.call("count", [.star]), .tally(.int)), C.frequency),
                              (.call("coalesce", .call("sum", .cast(a, .tally(.float))), .integer(0)), C.monetary)],
                             looks: Array(repeating: .plain, count: 4), from: r, clauses: SQLSelect(items: [], groupBy: [.position(1)]), keepOrder: false)
        func score(_ column: String, descending: Bool) -> SQLExpr {
            let order = [SQLOrderKey(expr: .column(column), descending: descending), .ascending("k", isText: keyIsText)]
            return .cast(.window(.call("ntile", .integer(5)), SQLWindow(order: order)), .tally(.int))
        }
        let scored = select(passThrough(figures) + [(score(C.recency, descending: true), C.r), (score(C.frequency, descending: false), C.f),
                                                    (score(C.monetary, descending: false), C.m)],
                            looks: Array(repeating: .plain, count: 7), from: figures, keepOrder: false)
        let cells = (1...5).flatMap { rScore in (1...5).map { fScore in
            (SQLExpr.integer(Int64(rScore * 10 + fScore)), SQLExpr.string(RFMGrid.segment(r: rScore, f: fScore)))
        } }
        let segment = SQLExpr.switching(.column(C.r) * .integer(10) + .column(C.f), cells)
        let segmented = select(passThrough(scored) + [(segment, C.segment)], looks: Array(repeating: .plain, count: 8), from: scored, keepOrder: false)
        let segmentNames = Set((1...5).flatMap { rScore in (1...5).map { RFMGrid.segment(r: rScore, f: $0) } }).sorted()
        let tier = SQLExpr.switching(.column(C.segment), segmentNames.map { (.string($0), .string(RFMGrid.tier($0))) })
        let digits = SQLExpr.call("concat", [C.r, C.f, C.m].map { .cast(.column($0), .tally(.string)) })
        let keyName = r.columns[key]
        let items: [(expr: SQLExpr, name: String)] = [(.column("k"), keyName)]
            + [C.recency, C.frequency, C.monetary, C.r, C.f, C.m].map { (.column($0), $0) } + [(digits, C.score), (.column(C.segment), C.segment),
                (tier, C.tier)]
        return select(items, looks: Array(repeating: .plain, count: 10), from: segmented, keepOrder: false,
                      order: [SQLOrderKey(expr: .column(keyName), isText: keyIsText)], isTotal: true)
    }

    /// `abc`: value per key (or per row), share of the total, cumulative share largest first, class A/B/C.
    func abc(_ r: SQLRelation, value: BoundExpr, key: Int?, tieIsText: Bool, a: Double, b: Double) throws -> SQLRelation {
        let v = try expression(value, scope(r))
        let float = SQLType.tally(.float)
        let base: SQLRelation
        if let key {
            base = select([(r.column(key), r.columns[key]), (.call("coalesce", .call("sum", .cast(v, float)), .integer(0)), ABCColumns.value)],
                          looks: [.plain, .plain], from: r, clauses: SQLSelect(items: [], groupBy: [.position(1)]), keepOrder: false)
        } else {
            base = select(passThrough(r) + [(.call("coalesce", .cast(v, float), .integer(0)), ABCColumns.value)], looks: r.looks + [.plain], from: r,
                          keepOrder: false)
        }
        let valueColumn = SQLExpr.column(ABCColumns.value)
        let total = SQLExpr.window(.call("sum", valueColumn), SQLWindow())
        let share = SQLExpr.when([(.binary(total, .equal, .integer(0)), .float(0))], otherwise: valueColumn / total)
        let order = [SQLOrderKey(expr: valueColumn, descending: true), .ascending(base.columns[0], isText: tieIsText)]
        let shared = select(passThrough(base) + [(share, ABCColumns.share)], looks: base.looks + [.percent], from: base, keepOrder: false)
        let cumulative = SQLExpr.window(.call("sum", .column(ABCColumns.share)), SQLWindow(order: order, frame: .fromStart))
        let withCumulative = select(passThrough(shared) + [(cumulative, ABCColumns.cumulative)], looks: shared.looks + [.percent], from: shared,
                                    keepOrder: false)
        let c = SQLExpr.column(ABCColumns.cumulative)
        let classes = SQLExpr.when([(.binary(c, .lessOrEqual, .float(a + 1e-12)), .string("A")), (.binary(c, .lessOrEqual, .float(b + 1e-12)), .string("B"))],
                                   otherwise: .string("C"))
        return select(passThrough(withCumulative) + [(classes, ABCColumns.classLetter)], looks: withCumulative.looks + [.plain], from: withCumulative,
                      keepOrder: false, order: order, isTotal: key != nil)
    }
}
