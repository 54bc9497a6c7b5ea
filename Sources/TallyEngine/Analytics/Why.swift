import TallyCore
import TallyLang

/// `why AGG from P1 to P2 [by DIM, …] [over DATECOL] [top N]`: where a change came from.
///
/// Without `by`, or with one DIM, the verb is relational work the planner writes out (rows of either period, then AGG
/// of each period's rows as two aggregates per group, then the change), so it runs as one SQL statement on a database;
/// with several DIMs it is a decomposition tree Tally grows over the two periods' rows (``WhyTreeNode``).
extension Planner {
    func why(_ aggregate: Expr, from: Expr, to: Expr, by dims: [Item], over: Name?, top: Expr?, _ input: LogicalPlan,
             _ range: SourceRange) throws -> LogicalPlan {
        let periods = try comparedPeriods(from: from, to: to, over: over, input, range)
        let additive = Planner.isAdditive(aggregate)
        if !additive, !dims.isEmpty {
            warnings.add("the changes of `\(aggregate.written)` per value do not add up to the total change, so their shares do not "
                         + "sum to 1: an average or a distinct count of the whole is not the sum of its parts' own", at: aggregate.range)
        }
        let both = try filter(Expr(.binary(.or, periods.inBefore, periods.inAfter), range), input, range)
        let description = "why \(aggregate.written) from \(periods.before.description) to \(periods.after.description)"
            + (dims.isEmpty ? "" : " by " + dims.map(\.outputName).joined(separator: ", "))
        if dims.count > 1 {
            let tree = try whyTree(aggregate, periods: periods, dims: dims, top: top, over: both, range)
            return LogicalPlan(.analytic(tree), schema: WhyTreeNode.schema, range: range)
        }
        var plan = try whyChanges(aggregate, periods: periods, dims: dims, over: both, range)
        if let top, !dims.isEmpty { plan = LogicalPlan(.limit(plan, try count(top, what: "`top`")), schema: plan.schema, range: range) }
        return LogicalPlan(.analytic(ExpandedNode(input: plan, text: description)), schema: plan.schema, range: range)
    }

    /// The two periods of `why` and `pvm` (constants: period literals, years or expressions such as
    /// `prev(month(today()))`), with `DATECOL in P` for each.
    func comparedPeriods(from: Expr, to: Expr, over: Name?, _ input: LogicalPlan, _ range: SourceRange) throws -> ComparedPeriods {
        let dateName = over?.text ?? "date"
        guard let column = input.schema.names.firstIndex(of: dateName) else {
            throw Diagnostic("the periods are of `\(dateName)`, which is not a column here", at: over?.range ?? range,
                             hints: suggestions(for: dateName, among: input.schema.names).map { "did you mean \($0)?" }
                                 + ["name the date column: … over created"])
        }
        guard [.date, .period].contains(input.schema.types[column]) else {
            throw Diagnostic("the periods are of `\(dateName)`, which is \(Expect.article(input.schema.types[column])), not a date",
                             at: over?.range ?? range, hints: ["name the date column: … over created"])
        }
        func period(_ e: Expr) throws -> Period {
            switch try binder(Schema(names: [], types: [])).bind(e).constantValue {
            case .period(let p)?: return p
            case .int(let y)? where (1...9999).contains(y): return .year(y)
            default: throw Diagnostic("expected a period here (2025-11, 2025-Q3, 2025, prev(month(today())))", at: e.range)
            }
        }
        let before = try period(from), after = try period(to)
        let date = Expr(.column(dateName), over?.range ?? range)
        func within(_ p: Period, _ at: SourceRange) -> Expr { Expr(.binary(.in, date, Expr(.literal(.period(p)), at)), at) }
        return ComparedPeriods(before: before, after: after, inBefore: within(before, from.range), inAfter: within(after, to.range))
    }

    /// Per value of the one DIM (or once): `before`, `after`, `change` and `share` (`change_pct` without a DIM), largest
    /// change first.
    func whyChanges(_ aggregate: Expr, periods: ComparedPeriods, dims: [Item], over input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        func named(_ name: String, _ e: Expr) -> Item { Item(name: name, nameRange: nil, expr: e) }
        func column(_ name: String) -> Expr { Expr(.column(name), range) }
        let measures = [named("before", Planner.zeroWhenEmpty(Planner.restricted(aggregate, to: periods.inBefore))),
                        named("after", Planner.zeroWhenEmpty(Planner.restricted(aggregate, to: periods.inAfter)))]
        var plan = try self.aggregate(measures, by: dims, input, range)
        let change = named("change", Expr(.binary(.subtract, column("after"), column("before")), range))
        let relative: Item
        if dims.isEmpty {
            let nonZero = Expr(.binary(.notEqual, column("before"), Expr(.literal(.int(0)), range)), range)
            let pct = Expr(.caseWhen([(nonZero, Expr(.binary(.divide, column("change"), column("before")), range))]), range)
            relative = named("change_pct", Expr(.call("pct", [pct], over: nil), range))
        } else {
            relative = named("share", Expr(.call("pct", [Expr(.call("share", [column("change")], over: nil), range)], over: nil), range))
        }
        plan = try derive([change, relative], plan, range)
        guard !dims.isEmpty else { return plan }
        let size = SortKey(expr: Expr(.call("abs", [column("change")], over: nil), range), descending: true)
        return try sort([size] + dims.map { SortKey(expr: column($0.outputName), descending: false) }, plan, range)
    }

    /// `AGG` over the rows where `condition` holds: each aggregate call reads its first argument only there
    /// (`sum(x)` as `sum(case [condition => x])`; `count()` as `countif(condition)`).
    static func restricted(_ e: Expr, to condition: Expr) -> Expr {
        func and(_ p: Expr) -> Expr { Expr(.binary(.and, p, condition), p.range) }
        switch e.kind {
        case .call(let name, let args, let over) where over == nil && AggregateFunctions.all[name] != nil:
            switch name {
            case "count" where args.isEmpty: return Expr(.call("countif", [condition], over: nil), e.range)
            case "countif" where args.count == 1: return Expr(.call("countif", [and(args[0])], over: nil), e.range)
            case "sumif" where args.count == 2: return Expr(.call("sumif", [args[0], and(args[1])], over: nil), e.range)
            default:
                guard let first = args.first else { return e }
                let inPeriod = Expr(.caseWhen([(condition, first)]), first.range)
                return Expr(.call(name, [inPeriod] + args.dropFirst(), over: nil), e.range)
            }
        case .call(let name, let args, let over): return Expr(.call(name, args.map { restricted($0, to: condition) }, over: over), e.range)
        case .unary(let op, let a): return Expr(.unary(op, restricted(a, to: condition)), e.range)
        case .binary(let op, let a, let b): return Expr(.binary(op, restricted(a, to: condition), restricted(b, to: condition)), e.range)
        case .caseWhen(let arms):
            return Expr(.caseWhen(arms.map { (restricted($0.0, to: condition), restricted($0.1, to: condition)) }), e.range)
        default: return e
        }
    }

    /// A sum over no rows as 0, so a value present in one period only has 0 in the other (counts are 0 already).
    static func zeroWhenEmpty(_ e: Expr) -> Expr {
        guard case .call(let name, _, nil) = e.kind, ["sum", "sumif"].contains(name) else { return e }
        return Expr(.call("coalesce", [e, Expr(.literal(.int(0)), e.range)], over: nil), e.range)
    }

    /// Whether the changes of AGG per value add up to its total change: a sum or a count, alone.
    static func isAdditive(_ e: Expr) -> Bool {
        guard case .call(let name, _, nil) = e.kind else { return false }
        return ["sum", "sumif", "count", "countif"].contains(name)
    }
}

/// The two periods `why` and `pvm` compare, and the conditions that pick each one's rows.
struct ComparedPeriods {
    let before: Period
    let after: Period
    let inBefore: Expr
    let inAfter: Expr
}

/// A verb the planner wrote out as relational nodes (`why` by one value, `pvm`): its line in `.explain` over the nodes
/// that do its work, which run (and compile to SQL) as they are.
struct ExpandedNode: AnalyticNode {
    let input: LogicalPlan
    /// How the verb was written, for `.explain`.
    let text: String

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { ExpandedNode(input: inputs[0], text: text) }

    func description(_ input: Schema) -> String { text }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, Set(input.schema.names.indices))
        return (plan.with(.analytic(ExpandedNode(input: child, text: text)), schema: child.schema), m)
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult { try executor.execute(input, hole: hole) }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation { try generator.relation(input) }
}

extension Planner {
    /// The decomposition tree of `why … by D1, D2, …`: the per-value changes by each dimension, planned over the rows of
    /// a branch (a hole the tree fills as it grows).
    func whyTree(_ aggregate: Expr, periods: ComparedPeriods, dims: [Item], top: Expr?, over input: LogicalPlan, _ range: SourceRange) throws -> WhyTreeNode {
        let hole = LogicalPlan(.hole, schema: input.schema, range: range)
        let b = binder(input.schema)
        let perValue = try dims.map { try whyChanges(aggregate, periods: periods, dims: [$0], over: hole, range) }
        let whole = try whyChanges(aggregate, periods: periods, dims: [], over: hole, range)
        let width = try top.map { try count($0, what: "`top`") } ?? 3
        guard width >= 1 else { throw Diagnostic("`top` needs at least 1 value per level", at: top?.range ?? range) }
        return WhyTreeNode(input: input, dims: try dims.map { try b.bind($0.expr) }, dimNames: dims.map(\.outputName), perValue: perValue,
                           whole: whole, top: width, text: "why \(aggregate.written) from \(periods.before.description) to "
                               + "\(periods.after.description) by \(dims.map(\.outputName).joined(separator: ", ")) top \(width)")
    }
}

/// `why … by D1, D2, …`: a decomposition tree. Level 1 splits by the dimension whose values' changes are largest in sum
/// of absolute values; within each of its `top` values with the largest changes, the next level splits by the best of
/// the remaining dimensions over that value's rows, and so on. Each row is a node of the tree: its level, its path
/// (`region=East / product=Nimbus Phone 216`) and AGG before and after, the change, and the change's share of the whole
/// change. Grown by Tally over the two periods' rows (its splits depend on the data).
struct WhyTreeNode: AnalyticNode {
    let input: LogicalPlan
    let dims: [BoundExpr]
    let dimNames: [String]
    /// Per dimension: the changes by its values, over a branch's rows at the hole.
    let perValue: [LogicalPlan]
    /// The change of the whole, over the rows at the hole.
    let whole: LogicalPlan
    let top: Int
    let text: String

    static let schema = Schema(names: ["level", "path", "before", "after", "change", "share"], types: [.int, .string, .float, .float, .float, .float],
                               nullable: [false, false, true, true, true, true])

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode {
        WhyTreeNode(input: inputs[0], dims: dims, dimNames: dimNames, perValue: perValue, whole: whole, top: top, text: text)
    }

    func description(_ input: Schema) -> String { text }

    /// The branches' plans read the input's columns as they are, so none is pruned.
    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        (plan, ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        let rows = try executor.table(input, hole)
        var out = WhyTreeRows()
        let total = try executor.table(whole, rows)
        let totalChange = total.columns[2].isNull(0) ? nil : total.columns[2].double(at: 0)
        out.append(level: 0, path: "(all)", total, row: 0, totalChange: totalChange)
        try grow(rows, remaining: Array(dims.indices), level: 1, path: "", totalChange: totalChange, executor, &out)
        return QueryResult(table: out.table)
    }

    /// Splits `rows` by the best remaining dimension and grows each of its top values' branch.
    func grow(_ rows: Table, remaining: [Int], level: Int, path: String, totalChange: Double?, _ executor: Executor, _ out: inout WhyTreeRows) throws {
        guard !remaining.isEmpty, rows.rowCount > 0 else { return }
        var best: (dim: Int, changes: Table, size: Double)?
        for d in remaining {
            let changes = try executor.table(perValue[d], rows)
            let change = changes.columns[changes.columns.count - 2]
            let size = (0..<changes.rowCount).reduce(0.0) { $0 + (change.isNull($1) ? 0 : abs(change.double(at: $1))) }
            if best == nil || size > best!.size { best = (d, changes, size) }
        }
        guard let (d, changes, _) = best else { return }
        let values = try executor.evaluator(rows).evaluate(dims[d])
        for r in 0..<min(top, changes.rowCount) {
            let value = changes.columns[0].value(at: r)
            let branch = path + (path.isEmpty ? "" : " / ") + "\(dimNames[d])=\(value == .null ? "NULL" : value.text)"
            out.append(level: level, path: branch, changes, row: r, totalChange: totalChange)
            let members = (0..<rows.rowCount).filter { values.value(at: $0) == value }.map(Int32.init)
            try grow(rows.gather(members), remaining: remaining.filter { $0 != d }, level: level + 1, path: branch, totalChange: totalChange,
                     executor, &out)
        }
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`why` by several dimensions", at: plan.range,
                                because: "the tree chooses each split from the data; Tally grows it over the two periods' rows")
    }

    var runsInTally: Bool { true }
}

/// The tree's rows as they are found.
struct WhyTreeRows {
    var level: [Int64] = [], path: [String] = []
    var before = ColumnBuilder(type: .float), after = ColumnBuilder(type: .float), change = ColumnBuilder(type: .float)
    var share = ColumnBuilder(type: .float)

    /// A node from row `row` of a table whose last four columns are before, after, change and a fourth (its share).
    mutating func append(level: Int, path: String, _ t: Table, row: Int, totalChange: Double?) {
        self.level.append(Int64(level))
        self.path.append(path)
        let n = t.columns.count
        let c = t.columns[n - 2]
        for (builder, column) in [(0, t.columns[n - 4]), (1, t.columns[n - 3]), (2, c)] {
            let v: Double? = column.isNull(row) ? nil : column.double(at: row)
            switch builder {
            case 0: if let v { before.append(float: v) } else { before.appendNull() }
            case 1: if let v { after.append(float: v) } else { after.appendNull() }
            default: if let v { change.append(float: v) } else { change.appendNull() }
            }
        }
        if let totalChange, totalChange != 0, !c.isNull(row) { share.append(float: c.double(at: row) / totalChange) } else { share.appendNull() }
    }

    static func strings(_ values: [String]) -> Column {
        var b = ColumnBuilder(type: .string)
        for v in values { b.append(string: v) }
        return b.finish()
    }

    var table: Table {
        var shares = share.finish()
        shares.isPercent = true
        return Table(names: WhyTreeNode.schema.names, columns: [Column(ints: level), WhyTreeRows.strings(path), before.finish(), after.finish(),
                                                                change.finish(), shares])
    }
}
