import TallyCore
import TallyLang

extension Planner {
    /// Cut points of `segment … at (…)`: constant, increasing numbers.
    func cutPoints(_ cuts: [Expr], _ value: Expr) throws -> Binning {
        guard !cuts.isEmpty else { throw Diagnostic("`segment … at` needs at least one cut point", at: value.range) }
        let values = try cuts.map { try constantNumber($0, what: "a cut point") }
        for k in 1..<values.count where values[k] <= values[k - 1] {
            throw Diagnostic("cut points must increase", at: cuts[k].range)
        }
        return .cutPoints(values)
    }

    /// `segment EXPR into N | at (…) [as NAME] [labels (…)]`: a bin column added (or replaced).
    func segment(_ e: Expr, _ binning: Binning, name: Name?, labels: [Expr], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let value = try binder(input.schema).bind(e)
        switch binning {
        case .equalCount:
            guard value.type != .bool else { throw Diagnostic("`segment` needs a value that sorts, this is a bool", at: e.range) }
        case .cutPoints:
            guard value.type.isNumeric else { throw Diagnostic("`segment … at` needs a number, this is \(Expect.article(value.type))", at: e.range) }
        }
        var texts: [String]?
        if !labels.isEmpty {
            guard labels.count == binning.binCount else {
                throw Diagnostic("\(labels.count) labels for \(binning.binCount) bins", at: labels[0].range.union(labels.last!.range),
                                 hints: ["give one label per bin, lowest first"])
            }
            texts = try labels.map { l -> String in
                guard let v = try binder(input.schema).bind(l).constantValue, !v.isNull else { throw Diagnostic("labels must be constants", at: l.range) }
                return v.text
            }
        }
        let outName = name?.text ?? "segment"
        let schema = input.schema.setting(outName, texts == nil ? .int : .string, nullable: value.mayBeNull(input.schema))
        let replacing = input.schema.names.firstIndex(of: outName)
        let node = SegmentNode(input: input, value: value, binning: binning, labels: texts, replacing: replacing)
        return LogicalPlan(.analytic(node), schema: schema, range: range)
    }

    /// `rfm [by KEY] [date COL] [amount COL]`.
    func rfm(key: Name?, date: Name?, amount: Name?, _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let keyName = key ?? Name("customer_id", range), dateName = date ?? Name("date", range), amountName = amount ?? Name("amount", range)
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

    /// `cohort [by KEY] [date COL] [per month|quarter|week]`: cohort, size, then p0, p1, … (as many as the data spans).
    func cohort(key: Name?, date: Name?, per: Name?, _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let keyName = key ?? Name("customer_id", range), dateName = date ?? Name("date", range)
        let kind: PeriodKind
        switch per?.text ?? "month" {
        case "month": kind = .month
        case "quarter": kind = .quarter
        case "week": kind = .week
        default: throw Diagnostic("`cohort … per` takes month, quarter or week", at: per!.range)
        }
        let k = try columnIndex(keyName, input.schema), d = try columnIndex(dateName, input.schema)
        guard input.schema.types[d] == .date else {
            throw Diagnostic("`cohort` needs a date column, `\(dateName.text)` is \(Expect.article(input.schema.types[d]))", at: dateName.range)
        }
        let schema = Schema(names: ["cohort", "size"], types: [.period, .int], nullable: [false, false],
                            tail: ColumnTail(prefix: "p", start: 2, type: .float))
        return LogicalPlan(.analytic(CohortNode(input: input, key: k, date: d, per: kind)), schema: schema, range: range)
    }

    /// `whatif SETTER, ... [where PRED] | rest`: the rest is planned once over a hole the baseline and the scenario fill.
    func whatIf(_ setters: [Setter], _ filter: Expr?, rest: ArraySlice<Stage>, _ input: LogicalPlan, _ stage: Stage) throws -> LogicalPlan {
        let keys = Planner.groupingKeys(rest)
        try Planner.rejectKeySetters(setters, keys: keys)
        let (bound, mask) = try bindSetters(setters, filter: filter, input.schema)
        let hole = LogicalPlan(.hole, schema: Planner.changed(input.schema, by: bound), range: stage.range)
        var current = hole
        var problems: [Diagnostic] = []
        for s in rest {
            do {
                if case .analytic(let node) = current.op, node is ChartNode { throw Diagnostic("`chart` must be the last verb", at: s.range) }
                current = try plan(s, current)
            } catch {
                problems += Planner.diagnostics(error)
                if !s.keepsColumns { break }
            }
        }
        try DiagnosticList.check(problems)
        warnIfUnread(bound, by: current, input.schema, keys: keys, stage.range)
        let r = current.schema
        var names: [String] = [], types: [DataType] = [], nullable: [Bool] = []
        let keyIdx = r.names.indices.filter { keys.contains(r.names[$0]) || !r.types[$0].isNumeric }
        for i in keyIdx { names.append(r.names[i]); types.append(r.types[i]); nullable.append(true) }
        for i in r.names.indices where !keyIdx.contains(i) {
            let n = r.names[i]
            names += ["\(n)_base", "\(n)_whatif", "\(n)_delta", "\(n)_pct"]
            types += [.float, .float, .float, .float]
            nullable += [true, true, true, true]
        }
        let schema = Schema(names: names, types: types, nullable: nullable)
        let node = WhatIfNode(input: input, setters: bound, filter: mask, rest: current, keys: keys)
        return LogicalPlan(.analytic(node), schema: schema, range: stage.range)
    }

    /// Warns when the rest of a `whatif` reads none of the columns its setters change: every delta would be zero
    /// (`whatif unit_price *= 1.05 | agg revenue = sum(amount)` while `amount` is stored, not computed).
    func warnIfUnread(_ setters: [BoundSetter], by rest: LogicalPlan, _ schema: Schema, keys: Set<String>, _ range: SourceRange) {
        let reads = ColumnPruning.holeNeeds(rest)
        let changed = Set(setters.map(\.column))
        guard reads.isDisjoint(with: changed) else { return }
        let changedNames = setters.map { schema.names[$0.column] }
        let measures = reads.sorted().map { schema.names[$0] }.filter { !keys.contains($0) }
        let readText = measures.isEmpty ? "the rest reads none of the columns"
            : "the measures read \(measures.joined(separator: ", ")), which they do not change"
        var hints = ["every delta is zero; change a column the measures read"]
        if measures.contains("amount"), schema.names.contains("quantity"), schema.names.contains("unit_price") {
            hints = ["`amount` is stored, not computed; recompute it after the setters: whatif … | derive amount = quantity * unit_price"
                     + (schema.names.contains("discount") ? " * (1 - discount)" : "") + " | agg …"]
        }
        warnings.add("the setters change \(changedNames.joined(separator: ", ")); \(readText)", at: range, hints: hints)
    }

    /// Binds `col op value` setters and their optional row filter against a schema.
    func bindSetters(_ setters: [Setter], filter: Expr?, _ schema: Schema) throws -> ([BoundSetter], BoundExpr?) {
        let b = binder(schema)
        var mask: BoundExpr?
        if let filter {
            let p = try b.bind(filter)
            guard p.type == .bool else { throw Diagnostic("the `where` of a scenario needs a condition, this is \(Expect.article(p.type))", at: filter.range) }
            mask = p
        }
        var out: [BoundSetter] = []
        for s in setters {
            let i = try columnIndex(s.column, schema)
            let old = schema.types[i]
            let value = try b.bind(s.expr)
            let op = s.op
            let type: DataType
            if op == .assign {
                guard let t = DataType.unify(old, value.type) else {
                    throw Diagnostic("`\(s.column.text)` is \(Expect.article(old)), the new value is \(Expect.article(value.type))", at: s.expr.range)
                }
                type = t
            } else {
                guard old.isNumeric else {
                    throw Diagnostic("`\(op.rawValue)` needs a numeric column, `\(s.column.text)` is \(Expect.article(old))", at: s.column.range)
                }
                guard value.type.isNumeric else { throw b.typeError("`\(op.rawValue)` needs a number", value) }
                type = old == .int && value.type == .int ? .int : .float
            }
            out.append(BoundSetter(column: i, op: op, value: value, type: type))
        }
        return (out, mask)
    }

    /// A schema after setters: a changed column takes the setter's type (`quantity *= 1.05` makes it a float).
    static func changed(_ schema: Schema, by setters: [BoundSetter]) -> Schema {
        var out = schema
        for s in setters { out.types[s.column] = s.type }
        return out
    }

    /// The names a later `agg … by` groups on, to refuse setters on them.
    static func groupingKeys(_ stages: ArraySlice<Stage>) -> Set<String> {
        var keys = Set<String>()
        for s in stages {
            if case .agg(_, let by) = s.kind {
                for item in by { if case .column(let c) = item.expr.kind { keys.insert(c) }; keys.insert(item.outputName) }
            }
        }
        return keys
    }

    static func rejectKeySetters(_ setters: [Setter], keys: Set<String>) throws {
        for s in setters where keys.contains(s.column.text) {
            throw Diagnostic("`\(s.column.text)` is a grouping key; a scenario changes measures, not keys", at: s.column.range,
                             hints: ["use `where` to pick the rows a scenario applies to"])
        }
    }

    /// A measure such as `sum(amount)`: at least one aggregate, a number.
    func measure(_ e: Expr, _ schema: Schema) throws -> BoundMeasure {
        let input = binder(schema)
        let collector = AggregateCollector(input: input, keyCount: 0)
        var outer = Binder(schema: Schema(names: [], types: []), params: params, aggregates: collector)
        outer.subqueries = input.subqueries
        let expr = try outer.bind(e)
        guard !collector.calls.isEmpty else { throw Diagnostic("the measure must use an aggregate such as sum(amount)", at: e.range) }
        guard expr.type.isNumeric else { throw Diagnostic("the measure must be a number, this is \(Expect.article(expr.type))", at: e.range) }
        return BoundMeasure(calls: collector.calls, expr: expr)
    }

    /// A number known before the node runs, or one computed when it runs (a sub-query); never one that reads columns.
    func runTimeConstant(_ e: Expr, what: String) throws -> BoundExpr {
        let bound = try binder(Schema(names: [], types: [])).bind(e)
        guard bound.type.isNumeric else { throw Diagnostic("\(what) must be a constant number", at: e.range) }
        return bound
    }

    /// `goal AGG = TARGET vary NAME in LO..HI with SETTER, ... [where PRED] [by KEY, ...]`.
    func goal(_ aggregate: Expr, _ targetExpr: Expr, _ variable: Name, _ lowExpr: Expr, _ highExpr: Expr, _ setters: [Setter],
              _ filter: Expr?, _ by: [Item], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let target = try runTimeConstant(targetExpr, what: "the goal target")
        let low = try constantNumber(lowExpr, what: "the low end of the range")
        let high = try constantNumber(highExpr, what: "the high end of the range")
        guard low < high else { throw Diagnostic("the range must go from low to high", at: lowExpr.range.union(highExpr.range)) }
        let s = input.schema
        if s.names.contains(variable.text) {
            throw Diagnostic("`\(variable.text)` is already a column; pick another name for the varied value", at: variable.range)
        }
        try Planner.rejectKeySetters(setters, keys: Set(by.compactMap { if case .column(let c) = $0.expr.kind { return c } else { return nil } }))
        let withVariable = s.setting(variable.text, .float, nullable: false)
        let (bound, mask) = try bindSetters(setters, filter: filter, withVariable)
        let measure = try measure(aggregate, Planner.changed(withVariable, by: bound))
        let keys = try bindEach(by, with: binder(s))
        let keyNames = by.map(\.outputName)
        let spec = GoalSpec(measure: measure, target: target, variable: variable.text, low: low, high: high, setters: bound, filter: mask,
                            keys: keys, keyNames: keyNames)
        let schema = Schema(names: keyNames + [variable.text, "achieved", "baseline", "target", "iterations", "status"],
                            types: keys.map(\.type) + [.float, .float, .float, .float, .int, .string],
                            nullable: keys.map { $0.mayBeNull(s) } + [true, true, true, false, false, false])
        return LogicalPlan(.analytic(GoalNode(input: input, spec: spec)), schema: schema, range: range)
    }

    /// `simulate AGG per PERIOD next N [runs R] [seed S] [target T]`.
    func simulate(_ aggregate: Expr, _ periodExpr: Expr, _ nextExpr: Expr, _ runsExpr: Expr?, _ seedExpr: Expr?, _ targetExpr: Expr?,
                  _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let next = try count(nextExpr, what: "`next`")
        guard next >= 1 else { throw Diagnostic("`next` needs at least 1 period", at: nextExpr.range) }
        let runs = try runsExpr.map { try count($0, what: "`runs`") } ?? 10_000
        guard runs >= 1, runs <= 10_000_000 else { throw Diagnostic("`runs` must be between 1 and 10,000,000", at: runsExpr!.range) }
        guard next <= 1_000_000 else { throw Diagnostic("`next` is at most 1,000,000 periods", at: nextExpr.range) }
        guard runs * next <= 1_000_000_000 else {
            throw Diagnostic("`runs` × `next` is \(runs * next) draws, at most 1,000,000,000", at: (runsExpr ?? nextExpr).range,
                             hints: ["fewer runs give the same percentiles to within a few tenths of a percent"])
        }
        let seed = try seedExpr.map { try count($0, what: "`seed`") } ?? 42
        let target = try targetExpr.map { try runTimeConstant($0, what: "the target") }
        let period = try binder(input.schema).bind(periodExpr)
        guard period.type == .period || period.type == .date || period.type == .int else {
            throw Diagnostic("`per` needs a period such as month(date), this is \(Expect.article(period.type))", at: periodExpr.range)
        }
        let measure = try measure(aggregate, input.schema)
        let spec = SimulationSpec(measure: measure, period: period, next: next, runs: runs, seed: seed, target: target)
        var names = ["periods", "runs", "mean", "p10", "p50", "p90"]
        var types: [DataType] = [.int, .int, .float, .float, .float, .float]
        if target != nil { names += ["target", "p_target"]; types += [.float, .float] }
        let schema = Schema(names: names, types: types, nullable: types.map { _ in false })
        return LogicalPlan(.analytic(SimulateNode(input: input, spec: spec)), schema: schema, range: range)
    }

    /// `chart bar X Y`, `chart line X Y`, `chart hist X [bins N]`.
    func chart(_ kind: ChartKind, _ args: [Expr], by: Expr?, stacked: Bool, bins: Expr?, _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let b = binder(input.schema)
        if kind == .funnel {
            guard input.schema.names.contains("step"), input.schema.names.contains("reached") else {
                throw Diagnostic("`chart funnel` draws the result of `funnel`: it needs the columns `step` and `reached`", at: range,
                                 hints: ["… | funnel stage steps (\"lead\", \"won\") | chart funnel"])
            }
            let spec = ChartPlan(kind: kind, x: try b.bind(Expr(.column("step"), range)), ys: [try b.bind(Expr(.column("reached"), range))],
                                 series: nil, stacked: false, bins: 0, xTitle: "step", yTitles: ["reached"])
            return LogicalPlan(.analytic(ChartNode(input: input, spec: spec)), schema: input.schema, range: range)
        }
        guard let first = args.first else { throw Diagnostic("`chart \(kind.rawValue)` needs a column", at: range) }
        let x = try b.bind(first)
        if kind == .hist {
            guard x.type.isNumeric else { throw Diagnostic("`chart hist` needs a number, this is \(Expect.article(x.type))", at: first.range) }
            let n = try bins.map { try count($0, what: "`bins`") } ?? 10
            guard n >= 1, n <= 200 else { throw Diagnostic("`bins` must be between 1 and 200", at: bins!.range) }
            let spec = ChartPlan(kind: kind, x: x, ys: [], series: nil, stacked: false, bins: n, xTitle: first.autoName, yTitles: ["count"])
            let schema = Schema(names: ["bin_start", "bin_end", "count"], types: [.float, .float, .int], nullable: [false, false, false])
            return LogicalPlan(.analytic(ChartNode(input: input, spec: spec)), schema: schema, range: range)
        }
        guard args.count >= 2 else { throw Diagnostic("`chart \(kind.rawValue)` needs X and Y", at: range) }
        var ys: [BoundExpr] = []
        for e in args.dropFirst() {
            let y = try b.bind(e)
            guard y.type.isNumeric else { throw Diagnostic("the chart's Y needs a number, this is \(Expect.article(y.type))", at: e.range) }
            ys.append(y)
        }
        if kind == .scatter {
            guard x.type.isNumeric else { throw Diagnostic("`chart scatter` needs a number on X, this is \(Expect.article(x.type))", at: first.range) }
        }
        if let by, args.count > 2 {
            throw Diagnostic("`by` splits one Y into series; this chart has \(args.count - 1) Ys", at: by.range,
                             hints: ["chart \(kind.rawValue) \(first.autoName) \(args[1].autoName) by \(by.autoName)"])
        }
        if stacked, kind != .bar { throw Diagnostic("only bars stack", at: range, hints: ["chart bar X Y by SERIES stacked"]) }
        let series = try by.map { try b.bind($0) }
        let spec = ChartPlan(kind: kind, x: x, ys: ys, series: series, stacked: stacked, bins: 0, xTitle: first.autoName,
                             yTitles: args.dropFirst().map(\.autoName))
        return LogicalPlan(.analytic(ChartNode(input: input, spec: spec)), schema: input.schema, range: range)
    }
}
