import TallyCore
import TallyLang

extension Planner {
    /// `where PRED`: one conjunct per `and`, each a bool.
    func filter(_ predicate: Expr, _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let b = binder(input.schema)
        var conjuncts: [BoundExpr] = []
        var problems: [Diagnostic] = []
        for part in Planner.conjuncts(predicate) {
            do {
                let bound = try b.bind(part)
                guard bound.type == .bool || bound.type == .null else {
                    throw Diagnostic("`where` needs a condition, this is \(Expect.article(bound.type))", at: part.range,
                                     hints: bound.type == .string ? ["compare it: `\(part.autoName) == \"…\"`"] : ["compare it, e.g. `x > 0`"])
                }
                conjuncts.append(bound)
            } catch {
                problems += Planner.diagnostics(error)
            }
        }
        try DiagnosticList.check(problems)
        return LogicalPlan(.filter(input, conjuncts: conjuncts), schema: input.schema, range: range)
    }

    /// `a and b and c` as `[a, b, c]`.
    static func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary(.and, let a, let b) = e.kind { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    /// `select ITEM, ...`: exactly these columns, in this order.
    func select(_ items: [Item], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let bound = try bindEach(items, with: binder(input.schema))
        try checkUnique(items.map(\.outputName), items.map { $0.nameRange ?? $0.expr.range })
        return project(input, bound, names: items.map(\.outputName), range)
    }

    /// A projection node with its schema.
    func project(_ input: LogicalPlan, _ exprs: [BoundExpr], names: [String], _ range: SourceRange) -> LogicalPlan {
        let schema = Schema(names: names, types: exprs.map(\.type), nullable: exprs.map { $0.mayBeNull(input.schema) })
        return LogicalPlan(.project(input, exprs), schema: schema, range: range)
    }

    /// Every input column as itself.
    func identity(_ schema: Schema, _ range: SourceRange) -> [BoundExpr] {
        schema.names.indices.map { BoundExpr(.column($0), type: schema.types[$0], range: range) }
    }

    /// `derive name = expr, ...`: adds or replaces columns. An item that reads a column derived earlier in
    /// the same verb starts a new projection, so each expression is computed once.
    func derive(_ items: [Item], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        var current = input
        var exprs = identity(input.schema, range)
        var schema = input.schema
        var fresh = Set<Int>()
        for item in items {
            guard let name = item.name else {
                throw Diagnostic("`derive` needs a name for each column", at: item.expr.range, hints: ["write `name = \(item.expr.autoName)`"])
            }
            var bound = try binder(schema).bind(item.expr)
            if !bound.columns.isDisjoint(with: fresh) {
                current = project(current, exprs, names: schema.names, range)
                exprs = identity(schema, range)
                fresh = []
                bound = try binder(schema).bind(item.expr)
            }
            let position = schema.names.firstIndex(of: name) ?? schema.names.count
            schema = schema.setting(name, bound.type, nullable: bound.mayBeNull(current.schema))
            if position < exprs.count { exprs[position] = bound } else { exprs.append(bound) }
            fresh.insert(position)
        }
        return project(current, exprs, names: schema.names, range)
    }

    /// After a `select` or `derive` failed: a projection to the columns it names, each item that binds as itself and
    /// the others as nulls of no known type, against which later stages are checked (it never runs: the statement has
    /// failed). Nil for other verbs, or items without a name.
    func namedColumns(of stage: Stage, _ input: LogicalPlan) -> LogicalPlan? {
        let items: [Item], keepsInput: Bool
        switch stage.kind {
        case .select(let i): (items, keepsInput) = (i, false)
        case .derive(let i): (items, keepsInput) = (i, true)
        default: return nil
        }
        var exprs = keepsInput ? identity(input.schema, stage.range) : []
        var names = keepsInput ? input.schema.names : []
        for item in items {
            let bound = (try? binder(input.schema).bind(item.expr)) ?? BoundExpr(.constant(.null), type: .null, range: item.expr.range)
            let name = item.outputName
            if let position = names.firstIndex(of: name) { exprs[position] = bound } else { names.append(name); exprs.append(bound) }
        }
        return project(input, exprs, names: names, stage.range)
    }

    /// `drop col, ...`.
    func drop(_ names: [Name], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        var dropped = Set<Int>()
        var problems: [Diagnostic] = []
        for n in names {
            do { dropped.insert(try columnIndex(n, input.schema)) } catch { problems += Planner.diagnostics(error) }
        }
        try DiagnosticList.check(problems)
        let kept = input.schema.names.indices.filter { !dropped.contains($0) }
        let all = identity(input.schema, range)
        return project(input, kept.map { all[$0] }, names: kept.map { input.schema.names[$0] }, range)
    }

    /// `rename new = old, ...`, one after another.
    func rename(_ pairs: [(Name, Name)], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        var schema = input.schema
        for (new, old) in pairs {
            let i = try columnIndex(old, schema)
            if let j = schema.names.firstIndex(of: new.text), j != i {
                throw Diagnostic("column `\(new.text)` already exists", at: new.range, hints: ["drop it first or pick another name"])
            }
            schema.names[i] = new.text
        }
        return project(input, identity(input.schema, range), names: schema.names, range)
    }

    /// `agg name = AGG, ... [by KEY, ...]`: keys then aggregates, one row per key, sorted by the keys.
    func aggregate(_ items: [Item], by keys: [Item], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        if items.isEmpty && keys.isEmpty {
            throw Diagnostic("`agg` needs at least one aggregate or a `by` key", at: range, hints: ["agg revenue = sum(amount) by region"])
        }
        let inputBinder = binder(input.schema)
        let keyExprs = try bindEach(keys, with: inputBinder)
        let keyNames = keys.map(\.outputName)
        let keySchema = Schema(names: keyNames, types: keyExprs.map(\.type), nullable: keyExprs.map { $0.mayBeNull(input.schema) })
        let collector = AggregateCollector(input: inputBinder, keyCount: keys.count)
        var outer = Binder(schema: keySchema, params: params, aggregates: collector)
        outer.subqueries = inputBinder.subqueries
        let itemExprs = try bindEach(items, with: outer)
        try checkUnique(keyNames + items.map(\.outputName), keys.map { $0.nameRange ?? $0.expr.range } + items.map { $0.nameRange ?? $0.expr.range })
        let calls = collector.calls
        let slots = Schema(names: calls.indices.map { "_agg\($0)" }, types: calls.map { _ in .float },
                           nullable: calls.map { Planner.mayBeNull($0, keyed: !keys.isEmpty, input.schema) })
        let slotSchema = keySchema.appending(slots)
        let outputs = identity(keySchema, range) + itemExprs
        let schema = Schema(names: keyNames + items.map(\.outputName), types: outputs.map(\.type), nullable: outputs.map { $0.mayBeNull(slotSchema) })
        return LogicalPlan(.aggregate(input, keys: keyExprs, calls: calls, outputs: outputs), schema: schema, range: range)
    }

    /// Whether an aggregate call may give null: counts never do; per key (each group has rows) the value functions of an
    /// argument that is never null always give a value; everything else may.
    static func mayBeNull(_ call: AggregateCall, keyed: Bool, _ input: Schema) -> Bool {
        if call.function.countsRows { return false }
        return !keyed || !call.function.givesValueOfRows || call.arguments.contains { $0.mayBeNull(input) }
    }

    /// `sort KEY, ...`.
    func sort(_ keys: [SortKey], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let b = binder(input.schema)
        var bound: [BoundSortKey] = []
        var problems: [Diagnostic] = []
        for k in keys {
            do { bound.append(BoundSortKey(expr: try b.bind(k.expr), descending: k.descending)) } catch { problems += Planner.diagnostics(error) }
        }
        try DiagnosticList.check(problems)
        return LogicalPlan(.sort(input, bound), schema: input.schema, range: range)
    }

    /// `top N by KEY [per GROUP, ...]`.
    func top(_ n: Expr, _ key: SortKey, per: [Expr], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let limit = try count(n, what: "`top`")
        let b = binder(input.schema)
        let k = try b.bind(key.expr)
        if k.type == .bool { throw Diagnostic("`top` needs a key that sorts, this is a bool", at: key.expr.range) }
        let groups = try per.map { try b.bind($0) }
        let keys = [BoundSortKey(expr: k, descending: key.descending)]
        return LogicalPlan(.topN(input, count: limit, keys: keys, per: groups), schema: input.schema, range: range)
    }

    /// `distinct [col, ...]`.
    func distinct(_ names: [Name], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let indices = names.isEmpty ? Array(input.schema.names.indices) : try names.map { try columnIndex($0, input.schema) }
        return LogicalPlan(.distinct(input, columns: indices), schema: input.schema.selecting(indices), range: range)
    }

    /// `join [inner|left|right|full|semi|anti] SOURCE on KEY [== KEY2], ...`. A right key that is a column appears once,
    /// under the left key's name; after a right or full join, a key that is a column on both sides shows whichever
    /// side has it (as SQL's `USING`), and a right key column paired with a left expression stays.
    func join(_ kind: JoinKind, _ source: PipelineSource, _ keys: [(Expr, Expr)], _ left: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let right = try self.source(source)
        var bound: [(left: BoundExpr, right: BoundExpr)] = []
        var rightKeyColumns = Set<Int>()
        var problems: [Diagnostic] = []
        for (l, r) in keys {
            do {
                let lb = try binder(left.schema).bind(l)
                let rb = try binder(right.schema).bind(r)
                guard DataType.unify(lb.type, rb.type) != nil else {
                    throw Diagnostic("join keys differ in type: \(Expect.article(lb.type)) on the left, \(Expect.article(rb.type)) on the right",
                                     at: l.range.union(r.range))
                }
                if case .column(let i) = rb.kind { rightKeyColumns.insert(i) }
                bound.append((lb, rb))
            } catch {
                problems += Planner.diagnostics(error)
            }
        }
        try DiagnosticList.check(problems)
        var schema = left.schema
        schema.tail = nil
        var rightColumns: [Int] = []
        if kind.addsColumns {
            let shared = JoinKeyColumns.pairs(bound)
            let dropped = kind.keepsUnmatchedRight ? Set(shared.map(\.right)) : rightKeyColumns
            if kind.keepsUnmatchedRight {
                for i in schema.nullable.indices { schema.nullable[i] = true }
                for (l, r) in shared {
                    schema.types[l] = DataType.unify(schema.types[l], right.schema.types[r]) ?? schema.types[l]
                    schema.nullable[l] = left.schema.nullable[l] || right.schema.nullable[r]
                }
            }
            let suffix = source.suffixName
            for (j, name) in right.schema.names.enumerated() where !dropped.contains(j) {
                let outName = schema.names.contains(name) ? "\(name)_\(suffix)" : name
                schema.names.append(outName)
                schema.types.append(right.schema.types[j])
                schema.nullable.append(kind.keepsUnmatchedLeft || right.schema.nullable[j])
                rightColumns.append(j)
            }
        }
        return LogicalPlan(.join(left, right, kind, keys: bound, rightColumns: rightColumns), schema: schema, range: range)
    }

    /// `union SOURCE`: the same columns (by name) on both sides.
    func union(_ source: PipelineSource, _ left: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        try union(left, try self.source(source), range, rightRange: source.range)
    }

    /// The rows of `left`, then those of `right` under the columns of the same names.
    func union(_ left: LogicalPlan, _ right: LogicalPlan, _ range: SourceRange, rightRange: SourceRange) throws -> LogicalPlan {
        let l = left.schema, r = right.schema
        guard Set(r.names) == Set(l.names), r.names.count == l.names.count else {
            let differing = Set(l.names).symmetricDifference(r.names).sorted()
            throw Diagnostic("`union` needs the same columns on both sides", at: rightRange, hints: ["differing: " + differing.joined(separator: ", ")])
        }
        var schema = l
        var mapping: [Int] = []
        for (i, name) in l.names.enumerated() {
            let j = r.names.firstIndex(of: name)!
            guard let type = DataType.unify(l.types[i], r.types[j]) else {
                throw Diagnostic("column `\(name)` is \(Expect.article(l.types[i])) on the left and \(Expect.article(r.types[j])) on the right",
                                 at: rightRange)
            }
            schema.types[i] = type
            schema.nullable[i] = l.nullable[i] || r.nullable[j]
            mapping.append(j)
        }
        return LogicalPlan(.union(left, right, rightColumns: mapping), schema: schema, range: range)
    }
}
