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

    /// Per value of the DIMs (or once): `before`, `after`, `change` and `share` (`change_pct` without a DIM), largest
    /// change first unless `sorted` is false (a tree's grid orders nothing).
    func whyChanges(_ aggregate: Expr, periods: ComparedPeriods, dims: [Item], over input: LogicalPlan, sorted: Bool = true,
                    _ range: SourceRange) throws -> LogicalPlan {
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
        guard !dims.isEmpty, sorted else { return plan }
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
