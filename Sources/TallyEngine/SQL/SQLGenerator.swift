import TallyCore
import TallyLang

/// Compiles a bound, optimized plan to one SQL statement of a dialect: a CTE per stage that needs one, the rows in the
/// order Tally gives them (a stable sort's ties in the input's order, a table's rows in load order where the engine can
/// name it), and the same types. What a dialect cannot run is refused with an error naming the verb or function.
public final class SQLGenerator {
    public let dialect: SQLDialect
    /// Whether a source table's rows have a load order the engine can name (stored tables do; views do not).
    let hasRowOrder: (String) -> Bool
    /// Whether a table is one of the database's (rather than one held in Tally, which SQL cannot read).
    let isRemote: (String) -> Bool
    var query = SQLQuery()
    /// What a `whatif`'s rest reads at its hole: the baseline, then the scenario.
    var hole: SQLRelation?
    private var hiddenCount = 0

    public init(dialect: SQLDialect, hasRowOrder: @escaping (String) -> Bool = { _ in true }, isRemote: @escaping (String) -> Bool = { _ in true }) {
        self.dialect = dialect
        self.hasRowOrder = hasRowOrder
        self.isRemote = isRemote
    }

    /// The statement computing a plan's rows, in order.
    public func compile(_ plan: LogicalPlan) throws -> SQLQuery {
        let r = try relation(plan)
        let items = zip(r.columns, plan.schema.types).map { name, type -> String in
            let column = dialect.identifier(name)
            switch type {
            case .int, .float: return "CAST(\(column) AS \(dialect.type(type))) AS \(column)"
            default: return column
            }
        }
        query.body = "SELECT " + items.joined(separator: ", ") + "\nFROM " + r.from + (r.order.isEmpty ? "" : "\nORDER BY " + orderList(r.order))
        query.looks = r.looks
        query.bodyRange = plan.range
        return query
    }

    // MARK: Stages

    /// A new CTE and the relation it names.
    func stage(_ body: String, columns: [String], looks: [ColumnLook], order: [SQLOrderKey]) -> SQLRelation {
        let name = "s\(query.stages.count + 1)"
        query.stages.append((name, body, nil))
        return SQLRelation(from: name, columns: columns, looks: looks, order: order)
    }

    /// A name for a carried, never shown column.
    func hiddenName() -> String {
        hiddenCount += 1
        return "_tally_\(hiddenCount)"
    }

    /// A stage selecting `items` from `input` followed by `clauses` (WHERE, GROUP BY, …). With `keepOrder`, the input's
    /// order keys are carried (as hidden columns when no item is the key itself) and the stage keeps the order.
    func select(_ items: [(sql: String, name: String)], looks: [ColumnLook], from input: SQLRelation, clauses: [String] = [],
                keepOrder: Bool = true, extra: [String] = [], order: [SQLOrderKey]? = nil) -> SQLRelation {
        var list = items.map { item in item.sql == dialect.identifier(item.name) ? item.sql : "\(item.sql) AS \(dialect.identifier(item.name))" }
        var carried: [SQLOrderKey] = []
        if keepOrder {
            for key in input.order {
                if let item = items.first(where: { $0.sql == key.sql }) {
                    carried.append(SQLOrderKey(sql: dialect.identifier(item.name), descending: key.descending, isText: key.isText))
                } else {
                    let name = hiddenName()
                    list.append("\(key.sql) AS \(name)")
                    carried.append(SQLOrderKey(sql: name, descending: key.descending, isText: key.isText))
                }
            }
        }
        list += extra
        if list.isEmpty { list = ["1 AS \(hiddenName())"] }
        let body = "SELECT " + list.joined(separator: ", ") + "\nFROM " + input.from + clauses.map { "\n" + $0 }.joined()
        return stage(body, columns: items.map(\.name), looks: looks, order: order ?? carried)
    }

    /// The scope of expressions over a relation's columns.
    func scope(_ r: SQLRelation) -> SQLScope {
        SQLScope(columns: r.columns.map { dialect.identifier($0) }, order: r.order)
    }

    /// Every column of a relation, unchanged.
    func passThrough(_ r: SQLRelation) -> [(sql: String, name: String)] {
        r.columns.map { (dialect.identifier($0), $0) }
    }

    // MARK: Nodes

    /// The relation of a plan node; the stages it adds (its children's have theirs already) are marked with its text.
    func relation(_ plan: LogicalPlan) throws -> SQLRelation {
        let first = query.stages.count
        let r = try node(plan)
        for k in first..<query.stages.count where query.stages[k].range == nil { query.stages[k].range = plan.range }
        return r
    }

    func node(_ plan: LogicalPlan) throws -> SQLRelation {
        let names = plan.schema.names
        switch plan.op {
        case .scan(.table(let table), _):
            guard isRemote(table) else {
                throw Diagnostic("`\(table)` is held in Tally, not in the database: one statement cannot mix the two", at: plan.range,
                                 hints: ["run the database part first and name its result with `let`, then query that without the database's tables"])
            }
            let stored = plan.schema.names
            let looks = stored.map { _ in ColumnLook.plain }
            guard hasRowOrder(table) else { return SQLRelation(from: dialect.identifier(table), columns: stored, looks: looks, order: []) }
            if let column = dialect.rowOrderColumn {
                return SQLRelation(from: dialect.identifier(table), columns: stored, looks: looks, order: [.ascending(column)])
            }
            // Spark names no load order; ids that increase through each file in order stand for it.
            let table = SQLRelation(from: dialect.identifier(table), columns: stored, looks: looks, order: [])
            let position = hiddenName()
            return select(passThrough(table), looks: looks, from: table, extra: ["monotonically_increasing_id() AS \(position)"],
                          order: [.ascending(position)])
        case .scan(.previous, _):
            throw Diagnostic("`_` is a result held in Tally, and cannot be used in SQL", at: plan.range,
                             hints: ["name the result with `let` and query it without the connection's tables"])
        case .hole:
            guard let hole else { throw Diagnostic("internal: a plan hole outside `whatif`", at: plan.range) }
            return hole
        case .filter(let input, let conjuncts):
            let r = try relation(input)
            let s = scope(r)
            let condition = try conjuncts.map { try expression($0, s) }.joined(separator: "\n  AND ")
            return select(passThrough(r), looks: r.looks, from: r, clauses: ["WHERE " + condition])
        case .project(let input, let exprs):
            let r = try relation(input)
            let s = scope(r)
            let items = try zip(exprs, names).map { (try expression($0, s), $1) }
            return select(items, looks: exprs.map { look($0, r.looks) }, from: r)
        case .aggregate(let input, let keys, let calls, let outputs):
            return try aggregate(try relation(input), keys: keys, calls: calls, outputs: outputs, names: names)
        case .sort(let input, let keys):
            var r = try relation(input)
            let s = scope(r)
            r.order = try keys.map { try orderKey($0.expr, s, r.looks, descending: $0.descending) } + r.order
            return r
        case .limit(let input, let n):
            let r = try relation(input)
            return select(passThrough(r), looks: r.looks, from: r, clauses: limitClauses(r, n))
        case .topN(let input, let n, let keys, let per):
            var r = try relation(input)
            let s = scope(r)
            r.order = try keys.map { try orderKey($0.expr, s, r.looks, descending: $0.descending) } + r.order
            guard !per.isEmpty else { return select(passThrough(r), looks: r.looks, from: r, clauses: limitClauses(r, n)) }
            let groups = try per.map { try expression($0, s) }.joined(separator: ", ")
            let rank = hiddenName()
            let ranked = select(passThrough(r), looks: r.looks, from: r,
                                extra: ["row_number() OVER (PARTITION BY \(groups) ORDER BY \(orderList(r.order))) AS \(rank)"])
            return select(passThrough(ranked), looks: r.looks, from: ranked, clauses: ["WHERE \(rank) <= \(n)"])
        case .distinct(let input, let columns):
            return distinct(try relation(input), columns: columns)
        case .count(let input):
            let r = try relation(input)
            return select([("count(*)", "n")], looks: [.plain], from: r, keepOrder: false)
        case .join(let left, let right, let kind, let keys, let rightColumns):
            return try join(try relation(left), try relation(right), kind, keys: keys, rightColumns: rightColumns, names: names, plan)
        case .union(let left, let right, let mapping):
            return union(try relation(left), try relation(right), mapping: mapping, names: names)
        case .segment(let input, let value, let binning, let labels, let replacing):
            return try segment(try relation(input), value: value, binning: binning, labels: labels, replacing: replacing, names: names,
                               mayBeNull: value.mayBeNull(input.schema))
        case .rfm(let input, let key, let date, let amount):
            return rfm(try relation(input), key: key, keyIsText: input.schema.types[key] == .string, date: date, amount: amount, names: names)
        case .abc(let input, let value, let key, let a, let b):
            return try abc(try relation(input), value: value, key: key, tieIsText: input.schema.types[key ?? 0] == .string, a: a, b: b, names: names)
        case .cohort: throw refusal("`cohort`", at: plan.range, because: "its columns p0, p1, … are known only from the data")
        case .funnel: throw refusal("`funnel`", at: plan.range, because: "it runs in Tally over each entity's first day per step")
        case .terms: throw refusal("`terms`", at: plan.range, because: "words are split by Tally's own tokenizer")
        case .pivot: throw refusal("`pivot`", at: plan.range, because: "its columns come from the data")
        case .whatIf(let input, let setters, let filter, let rest, let keys):
            return try whatIf(try relation(input), setters: setters, filter: filter, rest: rest, keys: keys, input.schema)
        case .goal: throw refusal("`goal`", at: plan.range, because: "it searches by running the measure many times")
        case .simulate: throw refusal("`simulate`", at: plan.range, because: "its bootstrap runs in Tally")
        case .chart: throw refusal("`chart`", at: plan.range, because: "charts are drawn by Tally")
        }
    }

    /// `ORDER BY … LIMIT n` in the relation's order (or without ORDER BY when it has none).
    func limitClauses(_ r: SQLRelation, _ n: Int) -> [String] {
        (r.order.isEmpty ? [] : ["ORDER BY " + orderList(r.order)]) + ["LIMIT \(n)"]
    }

    /// How an expression's values show: as its column's, as a percentage for `pct(x)`, plain otherwise.
    func look(_ e: BoundExpr, _ looks: [ColumnLook]) -> ColumnLook {
        switch e.kind {
        case .column(let i): return i < looks.count ? looks[i] : .plain
        case .scalar(let f, _): return f.name == "pct" ? .percent : .plain
        default: return .plain
        }
    }

    /// An order key for an expression: labels of `segment` by band, text by bytes, the rest by value.
    func orderKey(_ e: BoundExpr, _ s: SQLScope, _ looks: [ColumnLook], descending: Bool) throws -> SQLOrderKey {
        let sql = try expression(e, s)
        if let labels = look(e, looks).labels {
            let arms = labels.enumerated().map { "WHEN \(dialect.string($0.element)) THEN \($0.offset + 1)" }.joined(separator: " ")
            return SQLOrderKey(sql: "CASE \(sql) \(arms) END", descending: descending, isText: false)
        }
        return SQLOrderKey(sql: sql, descending: descending, isText: e.type == .string)
    }

    /// Keys and aggregate calls in one `GROUP BY`, then the outputs over them; rows sorted by the keys.
    func aggregate(_ r: SQLRelation, keys: [BoundExpr], calls: [AggregateCall], outputs: [BoundExpr], names: [String]) throws -> SQLRelation {
        let s = scope(r)
        // A period of a date is grouped by the period's first day (cheap per row) and written as text once per group.
        var keySQL: [String] = [], groupSQL: [String] = []
        for (i, key) in keys.enumerated() {
            if case .scalar(let f, let args) = key.kind, args.count == 1, args[0].type == .date,
               let kind = ["quarter": PeriodKind.quarter, "month": .month, "week": .week][f.name] {
                let day = dialect.periodGroup(kind, try expression(args[0], s))
                keySQL.append(dialect.period(kind, of: day))
                groupSQL.append(day)
            } else {
                keySQL.append(try expression(key, s))
                groupSQL.append(String(i + 1))
            }
        }
        let slotTypes = keys.map(\.type) + calls.map { call in (try? call.function.resultType(call.arguments.map(\.type)).get()) ?? .float }
        let callSQL = try calls.enumerated().map { k, call in try aggregateCall(call, s, type: slotTypes[keys.count + k]) }
        let slots = SQLScope(columns: keySQL + callSQL, order: [])
        let items = try zip(outputs, names).map { (try expression($0, slots), $1) }
        let keysLead = keys.indices.allSatisfy { i in i < outputs.count && { if case .column(i) = outputs[i].kind { true } else { false } }() }
        guard keysLead else {
            throw Diagnostic("internal: an aggregate whose outputs do not start with its keys", at: outputs.first?.range ?? SourceRange(0, 0))
        }
        let groupBy = keys.isEmpty ? [] : ["GROUP BY " + groupSQL.joined(separator: ", ")]
        let slotLooks = keys.map { look($0, r.looks) } + calls.map { _ in ColumnLook.plain }
        let looks = outputs.map { look($0, slotLooks) }
        let keyScope = SQLScope(columns: keys.indices.map { dialect.identifier(names[$0]) }, order: [])
        let order = try keys.indices.map { i in
            try orderKey(BoundExpr(.column(i), type: keys[i].type, range: keys[i].range), keyScope, looks, descending: false)
        }
        return select(items, looks: looks, from: r, clauses: groupBy, keepOrder: false, order: order)
    }

    /// Unique rows of some columns, each where it first appears in the input's order.
    func distinct(_ r: SQLRelation, columns: [Int]) -> SQLRelation {
        let items = columns.map { (dialect.identifier(r.columns[$0]), r.columns[$0]) }
        let looks = columns.map { r.looks[$0] }
        guard !r.order.isEmpty else {
            let list = items.map(\.0).joined(separator: ", ")
            return stage("SELECT DISTINCT \(list)\nFROM \(r.from)", columns: items.map(\.1), looks: looks, order: [])
        }
        let position = hiddenName()
        let numbered = select(items, looks: looks, from: r, keepOrder: false, extra: ["row_number() OVER (ORDER BY \(orderList(r.order))) AS \(position)"])
        let first = hiddenName()
        let groupBy = "GROUP BY " + items.indices.map { String($0 + 1) }.joined(separator: ", ")
        return select(passThrough(numbered), looks: looks, from: numbered, clauses: [groupBy], keepOrder: false, extra: ["min(\(position)) AS \(first)"],
                      order: [.ascending(first)])
    }

    /// Left columns, then the chosen right columns; rows in the left's order, then the right's.
    func join(_ left: SQLRelation, _ right: SQLRelation, _ kind: JoinKind, keys: [(left: BoundExpr, right: BoundExpr)], rightColumns: [Int],
              names: [String], _ plan: LogicalPlan) throws -> SQLRelation {
        let l = orderedByColumns(left), r = orderedByColumns(right)
        let lq = SQLScope(columns: l.columns.map { "l." + dialect.identifier($0) }, order: [])
        let rq = SQLScope(columns: r.columns.map { "r." + dialect.identifier($0) }, order: [])
        let on = try keys.map { "\(try expression($0.left, lq)) = \(try expression($0.right, rq))" }.joined(separator: " AND ")
        let leftItems = zip(lq.columns, l.columns).map { ($0, $1) }
        let rightItems = rightColumns.enumerated().map { k, c in (rq.columns[c], names[l.columns.count + k]) }
        var list = (leftItems + rightItems).map { "\($0.0) AS \(dialect.identifier($0.1))" }
        var order: [SQLOrderKey] = []
        let sides: [(SQLRelation, String)] = kind == .semi || kind == .anti ? [(l, "l")] : [(l, "l"), (r, "r")]
        for (side, alias) in sides {
            for key in side.order {
                let name = hiddenName()
                list.append("\(alias).\(key.sql) AS \(name)")
                order.append(SQLOrderKey(sql: name, descending: key.descending, isText: key.isText))
            }
        }
        let from: String
        switch kind {
        case .inner: from = "\(l.from) AS l\nJOIN \(r.from) AS r ON \(on)"
        case .left: from = "\(l.from) AS l\nLEFT JOIN \(r.from) AS r ON \(on)"
        case .semi: from = "\(l.from) AS l\nWHERE EXISTS (SELECT 1 FROM \(r.from) AS r WHERE \(on))"
        case .anti: from = "\(l.from) AS l\nWHERE NOT EXISTS (SELECT 1 FROM \(r.from) AS r WHERE \(on))"
        }
        let looks = l.looks + rightColumns.map { r.looks[$0] }
        return stage("SELECT " + list.joined(separator: ", ") + "\nFROM " + from, columns: names, looks: looks, order: order)
    }

    /// The relation, or a stage over it, whose order keys are all its own columns (so another query can name them).
    func orderedByColumns(_ r: SQLRelation) -> SQLRelation {
        let named = r.order.allSatisfy { key in
            key.sql == dialect.rowOrderColumn || key.sql.hasPrefix("_tally_") || r.columns.contains { dialect.identifier($0) == key.sql }
        }
        return named ? r : select(passThrough(r), looks: r.looks, from: r)
    }

    /// The left's rows, then the right's (its columns matched by name).
    func union(_ l: SQLRelation, _ r: SQLRelation, mapping: [Int], names: [String]) -> SQLRelation {
        let side = hiddenName(), position = hiddenName()
        func part(_ x: SQLRelation, _ columns: [String], _ number: Int) -> String {
            let ordinal = x.order.isEmpty ? "CAST(0 AS BIGINT)" : "row_number() OVER (ORDER BY \(orderList(x.order)))"
            let list = zip(columns, names).map { "\(dialect.identifier($0)) AS \(dialect.identifier($1))" }
            return "SELECT " + (list + ["\(number) AS \(side)", "\(ordinal) AS \(position)"]).joined(separator: ", ") + "\nFROM " + x.from
        }
        let body = part(l, l.columns, 0) + "\nUNION ALL\n" + part(r, mapping.map { r.columns[$0] }, 1)
        return stage(body, columns: names, looks: l.looks, order: [.ascending(side),
                                                                       .ascending(position)])
    }
}
