import TallyCore
import TallyLang

/// The columns `abc` adds, named once for the planner, the executor and SQL.
enum ABCColumns {
    static let value = "value", share = "share", cumulative = "cumulative", classLetter = "class"
    static let all = [value, share, cumulative, classLetter]
}

extension Executor {
    /// Value, share, cumulative share (largest first) and class A/B/C, per key or per row.
    func abc(_ value: BoundExpr, key: Int?, a: Double, b: Double, names: [String], _ t: Table) throws -> Table {
        let x = try evaluator(t).evaluate(value)
        var base: Table
        var values: [Double]
        if let key {
            let k = t.columns[key]
            let groups = Grouping(keys: [k], rowCount: t.rowCount)
            values = [Double](repeating: 0, count: groups.count)
            let v = x.doubles
            for i in 0..<t.rowCount where !x.isNull(i) { values[Int(groups.ids[i])] += v[i] }
            base = Table(names: [t.names[key]], columns: [k.gather(groups.firstRows)], rowCount: groups.count)
        } else {
            base = t
            values = (0..<t.rowCount).map { x.isNull($0) ? 0 : x.double(at: $0) }
        }
        let total = values.reduce(0, +)
        let tie = base.columns[0]
        let order = Sorter.permutation(keys: [(Column(floats: values), true), (tie, false)], rowCount: base.rowCount)
        var share = [Double](repeating: 0, count: values.count), cumulative = share
        var classes = [String](repeating: "C", count: values.count)
        var running = 0.0
        for r in order.map(Int.init) {
            share[r] = total == 0 ? 0 : values[r] / total
            running += share[r]
            cumulative[r] = running
            classes[r] = running <= a + 1e-12 ? "A" : running <= b + 1e-12 ? "B" : "C"
        }
        var out = base
        out.names = names
        out.columns += [Column(floats: values), Column(floats: share).percent(), Column(floats: cumulative).percent(), Dictionaries.build(classes)]
        return out.gather(order)
    }
}

extension Planner {
    /// `abc EXPR [by KEY] [at (a, b)]`.
    func abc(_ e: Expr, key: Name?, cuts: [Expr], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        var a = 0.8, b = 0.95
        if !cuts.isEmpty {
            guard cuts.count == 2 else { throw Diagnostic("`abc … at` takes two limits, e.g. at (80%, 95%)", at: cuts[0].range) }
            a = try constantNumber(cuts[0], what: "the A limit")
            b = try constantNumber(cuts[1], what: "the B limit")
            guard 0 < a, a < b, b <= 1 else {
                throw Diagnostic("limits must satisfy 0 < a < b ≤ 1 (as shares, e.g. 80%)", at: cuts[0].range.union(cuts[1].range))
            }
        }
        let value = try binder(input.schema).bind(e)
        guard value.type.isNumeric else { throw Diagnostic("`abc` needs a number, this is \(Expect.article(value.type))", at: e.range) }
        let k = try key.map { try columnIndex($0, input.schema) }
        guard k != nil || !input.schema.names.isEmpty else {
            throw Diagnostic("`abc` without `by` needs a column to order ties by; this input has none", at: range)
        }
        let base = k.map { input.schema.selecting([$0]) } ?? input.schema
        let added = Schema(names: ABCColumns.all, types: [.float, .float, .float, .string], nullable: [false, false, false, false])
        var schema = base
        for (i, n) in added.names.enumerated() { schema = schema.setting(n, added.types[i], nullable: false) }
        guard schema.names.count == base.names.count + 4 else {
            throw Diagnostic("`abc` adds value, share, cumulative and class; the input already has one of them", at: range,
                             hints: ["rename or drop it first"])
        }
        return LogicalPlan(.analytic(ABCNode(input: input, value: value, key: k, limitA: a, limitB: b)), schema: schema, range: range)
    }
}

/// `abc VALUE [by KEY] [at (a, b)]`: value per key (or per row), share, cumulative share largest first, class A/B/C.
struct ABCNode: AnalyticNode {
    let input: LogicalPlan
    let value: BoundExpr
    /// Per key, or per row (ties then ordered by the first input column) without one.
    let key: Int?
    /// The cumulative shares that close classes A and B.
    let limitA: Double
    let limitB: Double

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { ABCNode(input: inputs[0], value: value, key: key, limitA: limitA, limitB: limitB) }

    func description(_ input: Schema) -> String {
        "abc \(value.text(input))" + (key.map { " by \(input.names[$0])" } ?? "") + " at (\(formatNumber(limitA)), \(formatNumber(limitB)))"
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let inputCount = input.schema.names.count, all = plan.schema.names.count
        // Without a key, ties are ordered by the first input column, which therefore stays first.
        var need = value.columns.union(key.map { [$0] } ?? [0])
        if key == nil { need.formUnion(required.filter { $0 < inputCount }) }
        let (child, m) = pruner.prune(input, need)
        let node = ABCNode(input: child, value: value.remapped(m), key: key.map { m[$0]! }, limitA: limitA, limitB: limitB)
        guard key == nil else { return (plan.with(.analytic(node)), ColumnPruner.identity(all)) }
        let added = Array(inputCount..<all)
        var mapping = m
        for (k, j) in added.enumerated() { mapping[j] = child.schema.names.count + k }
        return (plan.with(.analytic(node), schema: child.schema.appending(plan.schema.selecting(added))), mapping)
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: try executor.abc(value, key: key, a: limitA, b: limitB, names: plan.schema.names, try executor.table(input, hole)))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        try generator.abc(try generator.relation(input), value: value, key: key, tieIsText: input.schema.types[key ?? 0] == .string, a: limitA, b: limitB)
    }
}
