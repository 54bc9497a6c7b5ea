import TallyCore
import TallyLang

/// Compiles a bound, optimized plan to one SQL statement of a dialect, as a tree (``SQLStatement``) that
/// ``SQLPrinter`` renders: a CTE per stage that needs one, the rows in the order Tally gives them (a stable sort's ties
/// in the input's order, a table's rows in its key's order), and the same types. A table without a key has the engine's
/// order: a stage whose answer depends on it is warned about (``warnings``). No physical row identifier (`ctid`,
/// `rowid`, `monotonically_increasing_id()`) is ever named, so filters reach the scan. What a dialect cannot run is
/// refused with an error naming the verb or function.
public final class SQLGenerator {
    public let dialect: any SQLDialect
    /// The order of a source table's rows when a pipeline does not sort them.
    let rowOrder: (String) -> RowOrder
    /// Whether a table is one of the database's (rather than one held in Tally, which SQL cannot read).
    let isRemote: (String) -> Bool
    var statement = SQLStatement()
    /// What a `whatif`'s rest reads at its hole: the baseline, then the scenario.
    var hole: SQLRelation?
    /// The plans of the script's `let` names, compiled as stages of this statement when it reads them.
    var lets: [String: LogicalPlan] = [:]
    /// The relation of each `let` name compiled so far.
    private var named: [String: SQLRelation] = [:]
    private var hiddenCount = 0
    /// The text the plans' ranges point into, when the generator has it (to name each stage's verb in a comment).
    var source: SourceText?

    /// Where the statement's answer is left to the engine's row order: one warning per stage that depends on it.
    public let warnings: Warnings

    public init(dialect: any SQLDialect, rowOrder: @escaping (String) -> RowOrder = { _ in .engine },
                isRemote: @escaping (String) -> Bool = { _ in true }, warnings: Warnings = Warnings()) {
        self.dialect = dialect
        self.rowOrder = rowOrder
        self.warnings = warnings
        self.isRemote = isRemote
    }

    /// The statement computing a plan's rows, in order.
    public func compile(_ plan: LogicalPlan) throws -> SQLQuery {
        let r = try relation(plan)
        // Numbers are cast to Tally's type unless their SQL type is known to be it already.
        let items = zip(r.columns.indices, plan.schema.types).map { i, type -> SQLSelectItem in
            let exact = r.exactTypes[r.reads[i]] == type
            return SQLSelectItem(expr: type.isNumeric && !exact ? .cast(r.column(i), .tally(type)) : r.column(i), alias: r.columns[i])
        }
        statement.body = [SQLSelect(items: items, from: r.from, orderBy: r.order)]
        statement.bodyRange = plan.range
        return SQLQuery(statement: statement.pruned(), looks: r.looks, dialect: dialect)
    }

    // MARK: Stages

    /// A new CTE of these selects (unioned) and the relation it names.
    func stage(_ selects: [SQLSelect], columns: [String], looks: [ColumnLook], order: [SQLOrderKey], isTotal: Bool = false,
               hidden: Set<String> = [], exactTypes: [String: DataType] = [:]) -> SQLRelation {
        let name = "s\(statement.stages.count + 1)"
        statement.stages.append(SQLStage(name: name, selects: selects))
        return SQLRelation(source: name, columns: columns, looks: looks, order: order, isTotal: isTotal, hidden: hidden, exactTypes: exactTypes)
    }

    /// A name for a carried, never shown column.
    func hiddenName() -> String {
        hiddenCount += 1
        return "_tally_\(hiddenCount)"
    }

    /// A stage selecting `items` from `input` with the clauses of `clauses`. With `keepOrder`, the input's order keys are
    /// carried (as hidden columns when no item is the key itself) and the stage keeps the order; otherwise it has `order`
    /// (none when not given), total when `isTotal` says so.
    func select(_ items: [(expr: SQLExpr, name: String)], looks: [ColumnLook], from input: SQLRelation, clauses: SQLSelect = SQLSelect(items: []),
                keepOrder: Bool = true, extra: [(expr: SQLExpr, name: String)] = [], order: [SQLOrderKey]? = nil,
                isTotal: Bool = false) -> SQLRelation {
        var select = clauses
        select.items = items.map { SQLSelectItem(expr: $0.expr, alias: $0.name) }
        select.from = input.from
        var carried: [SQLOrderKey] = [], hidden = Set(extra.map(\.name))
        var exact: [String: DataType] = [:]
        for item in items { exact[item.name] = SQLGenerator.exactType(item.expr, input.exactTypes) }
        if keepOrder {
            for key in input.order {
                if let item = items.first(where: { $0.expr == key.expr }) {
                    carried.append(SQLOrderKey(expr: .column(item.name), descending: key.descending, isText: key.isText))
                } else {
                    let name = hiddenName()
                    select.items.append(SQLSelectItem(expr: key.expr, alias: name))
                    carried.append(SQLOrderKey(expr: .column(name), descending: key.descending, isText: key.isText))
                    hidden.insert(name)
                }
            }
        }
        select.items += extra.map { SQLSelectItem(expr: $0.expr, alias: $0.name) }
        if select.items.isEmpty { select.items = [SQLSelectItem(expr: .integer(1), alias: hiddenName())] }
        return stage([select], columns: items.map(\.name), looks: looks, order: order ?? carried, isTotal: keepOrder ? input.isTotal : isTotal,
                     hidden: hidden, exactTypes: exact.compactMapValues { $0 })
    }

    /// The Tally type an expression's SQL type is known to be: a cast to it, a count, a total or mean of floats, or a
    /// column of the input known to be it.
    static func exactType(_ e: SQLExpr, _ input: [String: DataType]) -> DataType? {
        switch e {
        case .cast(_, .tally(let t)): return t
        case .call("count", _): return .int
        case .call(let f, let args) where (f == "sum" || f == "avg") && args.count == 1:
            if case .cast(_, .tally(.float)) = args[0] { return .float }
            return nil
        case .column(let name, nil): return input[name]
        default: return nil
        }
    }

    /// The scope of expressions over a relation's columns.
    func scope(_ r: SQLRelation) -> SQLScope {
        SQLScope(columns: r.columns.indices.map { r.column($0) }, order: r.order, isTotal: r.isTotal)
    }

    /// Every column of a relation, unchanged.
    func passThrough(_ r: SQLRelation) -> [(expr: SQLExpr, name: String)] {
        r.columns.indices.map { (r.column($0), r.columns[$0]) }
    }

    // MARK: Nodes

    /// The relation of a plan node; the stages it adds (its children's have theirs already) are marked with its text.
    func relation(_ plan: LogicalPlan) throws -> SQLRelation {
        let first = statement.stages.count
        let r = try node(plan)
        for k in first..<statement.stages.count where statement.stages[k].range == nil {
            statement.stages[k].range = plan.range
            statement.stages[k].verb = source.flatMap { verb(at: plan.range, in: $0) }
        }
        return r
    }

    func node(_ plan: LogicalPlan) throws -> SQLRelation {
        let names = plan.schema.names
        switch plan.op {
        case .scan(.table(let table), _):
            if let bound = try letRelation(table) {
                // The scan reads some of the let's columns, by name; the rest stay in its stage, unseen.
                let positions = names.map { bound.columns.firstIndex(of: $0) }
                return SQLRelation(source: bound.source, columns: names, reads: zip(names, positions).map { n, k in k.map { bound.reads[$0] } ?? n },
                                   looks: positions.map { k in k.map { bound.looks[$0] } ?? .plain }, order: bound.order,
                                   isTotal: bound.isTotal, hidden: bound.hidden.union(bound.reads), exactTypes: bound.exactTypes)
            }
            guard isRemote(table) else { throw SQLGenerator.heldInTally("`\(table)`", at: plan.range) }
            // The key's columns order the rows (read by name, so the scan's columns need not include them).
            let key = rowOrder(table).keyColumns
            let looks = names.map { Column.isKeyName($0) ? ColumnLook.identifier : .plain }
            return SQLRelation(source: table, columns: names, looks: looks, order: key.map { .ascending($0) },
                               isTotal: !key.isEmpty, hidden: Set(key))
        case .scan(.previous, _):
            throw Diagnostic("`_` is a result held in Tally, and cannot be used in SQL", at: plan.range,
                             hints: ["name the result with `let` and query it without the connection's tables"])
        case .hole:
            guard let hole else { throw Diagnostic("internal: a plan hole outside `whatif`", at: plan.range) }
            return hole
        case .filter(let input, let conjuncts):
            let r = try relation(input)
            let s = scope(r)
            return select(passThrough(r), looks: r.looks, from: r, clauses: SQLSelect(items: [], conditions: try conjuncts.map { try expression($0, s) }))
        case .project(let input, let exprs):
            let r = try relation(input)
            // Columns only picked, reordered or renamed need no stage: the relation reads its input's columns by name.
            let picked = exprs.compactMap { e -> Int? in if case .column(let i) = e.kind { i } else { nil } }
            if picked.count == exprs.count {
                return SQLRelation(source: r.source, columns: names, reads: picked.map { r.reads[$0] }, looks: picked.map { r.looks[$0] },
                                   order: r.order, isTotal: r.isTotal, hidden: r.hidden.union(r.reads), exactTypes: r.exactTypes)
            }
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
            warnIfUnordered(r.order, isTotal: r.isTotal, SQLGenerator.whichKept(n, perGroup: false), at: plan.range)
            return select(passThrough(r), looks: r.looks, from: r, clauses: limited(r, n))
        case .topN(let input, let n, let keys, let per):
            var r = try relation(input)
            let s = scope(r)
            r.order = try keys.map { try orderKey($0.expr, s, r.looks, descending: $0.descending) } + r.order
            warnIfUnordered(r.order, isTotal: r.isTotal, SQLGenerator.whichKept(n, perGroup: !per.isEmpty), at: plan.range)
            guard !per.isEmpty else { return select(passThrough(r), looks: r.looks, from: r, clauses: limited(r, n)) }
            let groups = try per.map { try expression($0, s) }
            let rank = hiddenName()
            let ranked = select(passThrough(r), looks: r.looks, from: r,
                                extra: [(.window(.call("row_number", []), SQLWindow(partition: groups, order: r.order)), rank)])
            let kept = SQLSelect(items: [], conditions: [.binary(.column(rank), .lessOrEqual, .integer(Int64(n)))])
            return select(passThrough(ranked), looks: r.looks, from: ranked, clauses: kept)
        case .distinct(let input, let columns):
            return distinct(try relation(input), columns: columns)
        case .count(let input):
            let r = try relation(input)
            return select([(.call("count", [.star]), "n")], looks: [.plain], from: r, keepOrder: false, isTotal: true)
        case .join(let left, let right, let kind, let keys, let rightColumns):
            return try join(try relation(left), try relation(right), kind, keys: keys, rightColumns: rightColumns, names: names)
        case .union(let left, let right, let mapping):
            return union(try relation(left), try relation(right), mapping: mapping, names: names)
        case .analytic(let node):
            return try node.sql(plan, self)
        }
    }

    /// The refusal of a statement that reads both the database's tables and one Tally holds (`name`), at its scan.
    static func heldInTally(_ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic("\(name) is held in Tally, not in the database: one statement cannot mix the two", at: range,
                   hints: ["run the database part first and name its result with `let`, then query that without the database's tables"])
    }

    /// The verb a plan node's text starts with (a scan starts with its table's name, and has none).
    func verb(at range: SourceRange, in source: SourceText) -> Verb? {
        guard range.start >= 0, range.start < source.bytes.count else { return nil }
        let word = source.bytes[range.start...].prefix { ($0 >= 97 && $0 <= 122) || $0 == 95 }
        return Verb(rawValue: String(decoding: word, as: UTF8.self))
    }

    /// The relation of a `let` name of the script, compiled as stages the first time a plan reads it.
    func letRelation(_ name: String) throws -> SQLRelation? {
        if let bound = named[name] { return bound }
        guard let plan = lets[name] else { return nil }
        let bound = try relation(plan)
        named[name] = bound
        return bound
    }

    /// A warning that `what` ("which 3 rows are kept") depends on the order of rows the relation leaves to the engine:
    /// all of them when it has no order, those that tie when its order is a sort without a key.
    func warnIfUnordered(_ order: [SQLOrderKey], isTotal: Bool, _ what: String, at range: SourceRange) {
        guard !isTotal else { return }
        if order.isEmpty {
            warnings.add("\(what) depends on the database's order, which can change from run to run: the table has no key", at: range,
                         hints: ["sort first by columns that identify a row (`sort date, id`)"])
        } else {
            warnings.add("\(what) depends on the database's order of rows that tie in the sort, which can change from run to run", at: range,
                         hints: ["add a column that identifies a row to the sort"])
        }
    }

    /// "which 3 rows are kept", "which row of each group is kept".
    static func whichKept(_ n: Int, perGroup: Bool) -> String {
        (n == 1 ? "which row" : "which \(n) rows") + (perGroup ? " of each group" : "") + (n == 1 ? " is kept" : " are kept")
    }

    /// `ORDER BY … LIMIT n` in the relation's order (or without ORDER BY when it has none).
    func limited(_ r: SQLRelation, _ n: Int) -> SQLSelect {
        SQLSelect(items: [], orderBy: r.order, limit: n)
    }

    /// How an expression's values show: as its column's, as a percentage for a function shown as one, plain otherwise.
    func look(_ e: BoundExpr, _ looks: [ColumnLook]) -> ColumnLook {
        switch e.kind {
        case .column(let i): return i < looks.count ? looks[i] : .plain
        case .scalar(let f, _): return f.showsAsPercent ? .percent : f.givesIdentifiers ? .identifier : .plain
        default: return .plain
        }
    }

    /// An order key for an expression: labels of `segment` by band, text by bytes, the rest by value.
    func orderKey(_ e: BoundExpr, _ s: SQLScope, _ looks: [ColumnLook], descending: Bool) throws -> SQLOrderKey {
        let sql = try expression(e, s)
        if let labels = look(e, looks).labels {
            let band = SQLExpr.switching(sql, labels.enumerated().map { (.string($0.element), .integer(Int64($0.offset + 1))) })
            return SQLOrderKey(expr: band, descending: descending)
        }
        return SQLOrderKey(expr: sql, descending: descending, isText: e.type == .string)
    }

    /// Keys and aggregate calls in one `GROUP BY`, then the outputs over them; rows sorted by the keys.
    func aggregate(_ r: SQLRelation, keys: [BoundExpr], calls: [AggregateCall], outputs: [BoundExpr], names: [String]) throws -> SQLRelation {
        let s = scope(r)
        // A period of a date is grouped by the period's first day (cheap per row) and written as text once per group.
        var keySQL: [SQLExpr] = [], groupBy: [SQLGroupKey] = []
        for (i, key) in keys.enumerated() {
            if case .scalar(let f, let args) = key.kind, args.count == 1, args[0].type == .date, let kind = f.periodOfDate {
                let day = dialect.periodGroup(kind, try expression(args[0], s))
                keySQL.append(dialect.period(kind, of: day))
                groupBy.append(.expr(day))
            } else {
                keySQL.append(try expression(key, s))
                groupBy.append(.position(i + 1))
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
        let slotLooks = keys.map { look($0, r.looks) } + calls.map { _ in ColumnLook.plain }
        let looks = outputs.map { look($0, slotLooks) }
        let keyScope = SQLScope(columns: keys.indices.map { .column(names[$0]) }, order: [])
        let order = try keys.indices.map { i in
            try orderKey(BoundExpr(.column(i), type: keys[i].type, range: keys[i].range), keyScope, looks, descending: false)
        }
        return select(items, looks: looks, from: r, clauses: SQLSelect(items: [], groupBy: groupBy), keepOrder: false, order: order, isTotal: true)
    }

    /// Unique rows of some columns, each where it first appears in the input's order.
    func distinct(_ r: SQLRelation, columns: [Int]) -> SQLRelation {
        let items = columns.map { (r.column($0), r.columns[$0]) }
        let looks = columns.map { r.looks[$0] }
        guard !r.order.isEmpty else {
            let unique = SQLSelect(items: items.map { SQLSelectItem(expr: $0.0, alias: $0.1) }, distinct: true, from: r.from)
            return stage([unique], columns: items.map(\.1), looks: looks, order: [])
        }
        let position = hiddenName()
        let numbered = select(items, looks: looks, from: r, keepOrder: false,
                              extra: [(.window(.call("row_number", []), SQLWindow(order: r.order)), position)])
        let first = hiddenName()
        let grouped = SQLSelect(items: [], groupBy: items.indices.map { .position($0 + 1) })
        return select(passThrough(numbered), looks: looks, from: numbered, clauses: grouped, keepOrder: false,
                      extra: [(.call("min", [.column(position)]), first)], order: [.ascending(first)], isTotal: r.isTotal)
    }

    /// Left columns, then the chosen right columns; rows in the left's order, then the right's. After a right or full
    /// join a key that is a column on both sides is `COALESCE(l.key, r.key)`, as the join computes it in memory.
    func join(_ left: SQLRelation, _ right: SQLRelation, _ kind: JoinKind, keys: [(left: BoundExpr, right: BoundExpr)], rightColumns: [Int],
              names: [String]) throws -> SQLRelation {
        let l = orderedByColumns(left), r = orderedByColumns(right)
        let lq = SQLScope(columns: l.columns.indices.map { l.column($0, table: "l") }, order: [])
        let rq = SQLScope(columns: r.columns.indices.map { r.column($0, table: "r") }, order: [])
        let equalities = try keys.map { SQLExpr.binary(try expression($0.left, lq), .equal, try expression($0.right, rq)) }
        let on = equalities.dropFirst().reduce(equalities.first ?? .boolean(true)) { .binary($0, .and, $1) }
        var leftItems = zip(lq.columns, l.columns).map { SQLSelectItem(expr: $0, alias: $1) }
        if kind.keepsUnmatchedRight {
            for (i, j) in JoinKeyColumns.pairs(keys) { leftItems[i].expr = .call("coalesce", [lq.columns[i], rq.columns[j]]) }
        }
        let rightItems = rightColumns.enumerated().map { k, c in SQLSelectItem(expr: rq.columns[c], alias: names[l.columns.count + k]) }
        var select = SQLSelect(items: leftItems + rightItems)
        var order: [SQLOrderKey] = [], hidden = Set<String>()
        let sides: [(SQLRelation, String)] = kind == .semi || kind == .anti ? [(l, "l")] : [(l, "l"), (r, "r")]
        for (side, alias) in sides {
            for key in side.order {
                guard case .column(let column, nil) = key.expr else { continue }
                let name = hiddenName()
                select.items.append(SQLSelectItem(expr: .column(column, table: alias), alias: name))
                order.append(SQLOrderKey(expr: .column(name), descending: key.descending, isText: key.isText))
                hidden.insert(name)
            }
        }
        let leftFrom = SQLFrom.table(l.source, alias: "l"), rightFrom = SQLFrom.table(r.source, alias: "r")
        switch kind {
        case .inner: select.from = .join(leftFrom, .inner, rightFrom, on: on)
        case .left: select.from = .join(leftFrom, .left, rightFrom, on: on)
        case .right: select.from = .join(leftFrom, .right, rightFrom, on: on)
        case .full: select.from = .join(leftFrom, .full, rightFrom, on: on)
        case .semi, .anti:
            select.from = leftFrom
            select.conditions = [.exists(SQLSelect(items: [SQLSelectItem(expr: .integer(1))], from: rightFrom, conditions: [on]), negated: kind == .anti)]
        }
        let looks = l.looks + rightColumns.map { r.looks[$0] }
        return stage([select], columns: names, looks: looks, order: order, isTotal: sides.allSatisfy(\.0.isTotal), hidden: hidden)
    }

    /// The relation, or a stage over it, whose order keys are all its own columns (so another query can name them).
    func orderedByColumns(_ r: SQLRelation) -> SQLRelation {
        r.isOrderedByColumns ? r : select(passThrough(r), looks: r.looks, from: r)
    }

    /// The left's rows, then the right's (its columns matched by name).
    func union(_ l: SQLRelation, _ r: SQLRelation, mapping: [Int], names: [String]) -> SQLRelation {
        let side = hiddenName(), position = hiddenName()
        func part(_ x: SQLRelation, _ columns: [Int], _ number: Int64) -> SQLSelect {
            let ordinal: SQLExpr = x.order.isEmpty ? .cast(.integer(0), .tally(.int)) : .window(.call("row_number", []), SQLWindow(order: x.order))
            let list = zip(columns, names).map { SQLSelectItem(expr: x.column($0), alias: $1) }
            return SQLSelect(items: list + [SQLSelectItem(expr: .integer(number), alias: side), SQLSelectItem(expr: ordinal, alias: position)],
                             from: x.from)
        }
        return stage([part(l, Array(l.columns.indices), 0), part(r, mapping, 1)], columns: names, looks: l.looks,
                     order: [.ascending(side), .ascending(position)], isTotal: l.isTotal && r.isTotal, hidden: [side, position])
    }
}
