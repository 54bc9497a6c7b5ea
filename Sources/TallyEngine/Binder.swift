import Foundation
import TallyCore
import TallyLang

/// Collects the aggregate calls of an `agg`-like stage; each becomes a column of the aggregate table.
final class AggregateCollector {
    let input: Binder
    /// Number of key columns that precede the aggregate slots in the aggregate table.
    let keyCount: Int
    private(set) var calls: [AggregateCall] = []

    init(input: Binder, keyCount: Int) {
        self.input = input
        self.keyCount = keyCount
    }

    func add(_ call: AggregateCall) -> Int {
        calls.append(call)
        return keyCount + calls.count - 1
    }
}

/// Resolves names and checks types, turning an ``Expr`` into a ``BoundExpr``.
struct Binder {
    let schema: Schema
    let params: [String: Value]
    /// Present while binding `agg` items: aggregates are routed here, bare columns must be keys.
    var aggregates: AggregateCollector?
    /// Plans a `(pipeline)` used as a value.
    var subqueries: ((Pipeline) throws -> LogicalPlan)?

    init(schema: Schema, params: [String: Value], aggregates: AggregateCollector? = nil) {
        self.schema = schema
        self.params = params
        self.aggregates = aggregates
    }

    static var functionNames: [String] {
        Array(ScalarFunctions.all.keys) + Array(AggregateFunctions.all.keys) + Array(WindowFunctions.all.keys) + ["min", "max"]
    }

    func bind(_ e: Expr) throws -> BoundExpr {
        let bound = try bindUnfolded(e)
        switch bound.kind {
        case .unary(_, let a) where a.constantValue != nil:
            return try fold(bound)
        case .binary(_, let a, let b) where a.constantValue != nil && b.constantValue != nil:
            return try fold(bound)
        default:
            return bound
        }
    }

    /// Evaluates an expression of constants once, so `$year - 1` or `start_of($month) + 7` is a constant.
    func fold(_ e: BoundExpr) throws -> BoundExpr {
        let one = Table(names: [], columns: [], rowCount: 1)
        let value = try Evaluator(table: one, isCancelled: { false }).evaluate(e).value(at: 0)
        return BoundExpr(.constant(value), type: e.type, range: e.range)
    }

    func bindUnfolded(_ e: Expr) throws -> BoundExpr {
        switch e.kind {
        case .literal(let v):
            return BoundExpr(.constant(v), type: v.type, range: e.range)
        case .parameter(let p):
            guard let v = params[p] else {
                throw Diagnostic("parameter `$\(p)` is not set", at: e.range,
                                 hints: ["set it with `param \(p) = …`, `--param \(p)=…` or `.run NAME \(p)=…`"])
            }
            return BoundExpr(.constant(v), type: v.type, range: e.range)
        case .column(let name):
            return try column(name, e.range)
        case .unary(let op, let inner):
            let a = try bind(inner)
            if op == .not {
                try require(a, .bool, "`not` needs a bool")
                return BoundExpr(.unary(.not, a), type: .bool, range: e.range)
            }
            guard a.type.isNumeric else { throw typeError("`-` needs a number", a) }
            return BoundExpr(.unary(.negate, a), type: a.type, range: e.range)
        case .binary(let op, let l, let r):
            return try binary(op, l, r, e.range)
        case .call(let name, let args, let over):
            return try call(name, args, over, e.range)
        case .caseWhen(let arms):
            var bound: [(BoundExpr, BoundExpr)] = []
            var type: DataType = .null
            for (c, v) in arms {
                let bc = try bind(c)
                try require(bc, .bool, "a `case` condition must be a bool")
                let bv = try bind(v)
                guard let u = DataType.unify(type, bv.type) else {
                    throw Diagnostic("`case` values must share a type: this is \(Expect.article(bv.type)), earlier ones are \(Expect.article(type))",
                        at: v.range)
                }
                type = u
                bound.append((bc, bv))
            }
            return BoundExpr(.caseWhen(bound), type: type, range: e.range)
        case .isNull(let inner, let negated):
            return BoundExpr(.isNull(try bind(inner), negated: negated), type: .bool, range: e.range)
        case .subquery(let p):
            return try scalarSubquery(p, e.range)
        case .list:
            throw Diagnostic("a list is only allowed after `in` or as bands of `tiered`", at: e.range, hints: ["write `x in (\"a\", \"b\")`"])
        case .range:
            throw Diagnostic("a range `lo..hi` is only allowed after `in`", at: e.range, hints: ["write `x in lo..hi`"])
        case .arrow:
            throw Diagnostic("`=>` is only allowed inside `case [...]` and commission bands", at: e.range)
        }
    }

    /// The single value of a sub-query: one column, at most one row (checked when it runs; none gives null).
    func scalarSubquery(_ p: Pipeline, _ range: SourceRange) throws -> BoundExpr {
        guard let plan = subqueries ?? aggregates?.input.subqueries else {
            throw Diagnostic("a sub-query cannot be used as a value here", at: range)
        }
        let sub = try plan(p)
        guard sub.schema.names.count == 1, sub.schema.tail == nil else {
            let n = sub.schema.names.count
            throw Diagnostic("a sub-query used as a value must give one column; this gives \(n) column\(n == 1 ? "" : "s")", at: range,
                             hints: ["end it with an `agg` without `by`, e.g. (targets | where month == 2025-11 | agg sum(target))"])
        }
        return BoundExpr(.subquery(sub), type: sub.schema.types[0], range: range)
    }

    func column(_ name: String, _ range: SourceRange) throws -> BoundExpr {
        if let i = schema.names.firstIndex(of: name) {
            return BoundExpr(.column(i), type: schema.types[i], range: range)
        }
        if let tail = schema.tail, let k = tail.number(of: name) {
            if let limit = tail.limit?(), k >= limit.count {
                throw Diagnostic("`\(name)` is beyond the data: \(limit.because), so the columns go up to \(tail.prefix)\(limit.count - 1)", at: range)
            }
            return BoundExpr(.column(tail.start + k), type: tail.type, range: range)
        }
        if let agg = aggregates, agg.input.schema.names.contains(name) {
            throw Diagnostic("column `\(name)` must be inside an aggregate or listed after `by`", at: range,
                             hints: ["e.g. sum(\(name)), first(\(name)), or add it to `by`"])
        }
        var hints = unknownNameHints(name, candidates: schema.names, kind: "columns")
        if ScalarFunctions.all[name] != nil || AggregateFunctions.all[name] != nil { hints.insert("`\(name)` is a function: write \(name)(…)", at: 0) }
        throw Diagnostic("unknown column `\(name)`", at: range, hints: hints)
    }

    func require(_ e: BoundExpr, _ type: DataType, _ message: String) throws {
        guard e.type == type || e.type == .null else { throw typeError(message, e) }
    }

    func typeError(_ message: String, _ e: BoundExpr) -> Diagnostic {
        Diagnostic("\(message), \(describe(e)) is \(Expect.article(e.type))", at: e.range)
    }

    func describe(_ e: BoundExpr) -> String {
        if case .column(let i) = e.kind, i < schema.names.count { return "`\(schema.names[i])`" }
        return "this"
    }

    func binary(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ range: SourceRange) throws -> BoundExpr {
        if op == .in { return try membership(l, r, range) }
        let a = try bind(l)
        if op == .matches { return try regex(a, r, range) }
        let b = try bind(r)
        // `x == null` is null for every row, so a filter on it keeps nothing: always a slip for `is null`.
        if op == .equal || op == .notEqual, [a, b].contains(where: { if case .constant(.null) = $0.kind { true } else { false } }) {
            let negation = op == .notEqual ? "not " : ""
            throw Diagnostic("`\(op.rawValue) null` is never true: a comparison with null is null", at: range,
                             hints: ["write `is \(negation)null`"])
        }
        if op == .and || op == .or {
            try require(a, .bool, "`\(op.rawValue)` needs bools")
            try require(b, .bool, "`\(op.rawValue)` needs bools")
            return BoundExpr(.binary(op, a, b), type: .bool, range: range)
        }
        if op.isArithmetic {
            let type = try arithmeticType(op, a, b)
            return BoundExpr(.binary(op, a, b), type: type, range: range)
        }
        guard DataType.unify(a.type, b.type) != nil, a.type != .bool || op == .equal || op == .notEqual else {
            var hints: [String] = []
            if a.type == .date || b.type == .date, a.type == .string || b.type == .string { hints = ["write dates without quotes: 2025-01-01"] }
            if a.type == .date || b.type == .date, a.type == .period || b.type == .period {
                hints = ["to test a date against a period use `in`: date in 2025-11"]
            }
            throw Diagnostic("cannot compare \(Expect.article(a.type)) with \(Expect.article(b.type)) using `\(op.rawValue)`", at: range, hints: hints)
        }
        return BoundExpr(.binary(op, a, b), type: .bool, range: range)
    }

    func arithmeticType(_ op: BinaryOperator, _ a: BoundExpr, _ b: BoundExpr) throws -> DataType {
        switch (a.type, b.type) {
        case (.date, .int) where op == .add || op == .subtract, (.int, .date) where op == .add: return .date
        case (.date, .date) where op == .subtract: return .int
        case (.date, .null), (.null, .date): return .date
        case (.period, .int) where op == .add || op == .subtract, (.int, .period) where op == .add,
             (.period, .null) where op == .add || op == .subtract, (.null, .period) where op == .add: return .period
        case (.period, .period) where op == .subtract: return .int
        default: break
        }
        for x in [a, b] where !x.type.isNumeric {
            var d = typeError("`\(op.rawValue)` needs numbers", x)
            if x.type == .date { d.hints = ["dates support date + days, date - days and date - date; add_months(date, n) for months"] }
            if x.type == .period { d.hints = ["periods support period + n, period - n and period - period: month(date) + 1"] }
            throw d
        }
        if op == .divide { return .float }
        if a.type == .float || b.type == .float { return .float }
        if a.type == .null && b.type == .null { return .null }
        return .int
    }

    func membership(_ l: Expr, _ r: Expr, _ range: SourceRange) throws -> BoundExpr {
        let a = try bind(l)
        switch r.kind {
        case .list(let items):
            var values: [Value] = []
            for item in items {
                let v = try bind(item)
                guard let c = v.constantValue else { throw Diagnostic("list items after `in` must be constants", at: item.range) }
                guard DataType.unify(a.type, c.type) != nil else {
                    throw Diagnostic("`\(c.text)` is \(Expect.article(c.type)), \(describe(a)) is \(Expect.article(a.type))", at: item.range)
                }
                values.append(c)
            }
            return BoundExpr(.inValues(a, values), type: .bool, range: range)
        case .range(let lo, let hi):
            let bl = try bind(lo), bh = try bind(hi)
            for bound in [bl, bh] where DataType.unify(a.type, bound.type) == nil {
                throw Diagnostic("range bound is \(Expect.article(bound.type)), \(describe(a)) is \(Expect.article(a.type))", at: bound.range)
            }
            return BoundExpr(.between(a, bl, bh), type: .bool, range: range)
        default:
            let b = try bind(r)
            if a.type == .date || a.type == .period, let c = b.constantValue {
                let period: Period
                switch c {
                case .period(let p): period = p
                case .int(let y):
                    // A year is a period only within the calendar Tally computes (0001..9999); its first day would overflow.
                    guard (1...9999).contains(y) else {
                        throw Diagnostic("`in` after a date needs a year from 1 to 9999, a period, a range or a list; this is \(y)", at: r.range)
                    }
                    period = .year(y)
                case .date: return BoundExpr(.inValues(a, [c]), type: .bool, range: range)
                default: throw Diagnostic("`in` after a date needs a period (2025-11, 2025-Q3, 2025), a range or a list", at: r.range)
                }
                // A period is in another when its first day is: the periods of every kind that start inside it, as a
                // list a database can test (it holds periods as text).
                if a.type == .period { return BoundExpr(.inValues(a, Binder.periodsStarting(in: period).map(Value.period)), type: .bool, range: range) }
                let target = a
                let lo = BoundExpr(.constant(.date(period.startDay)), type: .date, range: b.range)
                let hi = BoundExpr(.constant(.date(period.endDay)), type: .date, range: b.range)
                return BoundExpr(.between(target, lo, hi), type: .bool, range: range)
            }
            if let c = b.constantValue, DataType.unify(a.type, c.type) != nil {
                return BoundExpr(.inValues(a, [c]), type: .bool, range: range)
            }
            throw Diagnostic("`in` needs a list, a range or a period on its right", at: r.range,
                             hints: ["x in (\"a\", \"b\"), x in 10..20, date in 2025-Q3"])
        }
    }

    /// The years, quarters, months and ISO weeks whose first day falls within `outer`.
    static func periodsStarting(in outer: Period) -> [Period] {
        PeriodKind.allCases.flatMap { kind -> [Period] in
            var p = CivilDate.period(ofDay: outer.startDay, kind: kind), inside: [Period] = []
            while p.startDay <= outer.endDay {
                if p.startDay >= outer.startDay { inside.append(p) }
                p = p.next
            }
            return inside
        }
    }

    func regex(_ a: BoundExpr, _ r: Expr, _ range: SourceRange) throws -> BoundExpr {
        guard a.type == .string || a.type == .null else { throw typeError("`~` searches text", a) }
        let p = try bind(r)
        guard case .string(let pattern)? = p.constantValue else {
            throw Diagnostic("`~` needs a constant pattern string on its right", at: r.range, hints: ["text ~ \"late|refund\""])
        }
        let compiled: NSRegularExpression
        do {
            compiled = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        } catch {
            throw Diagnostic("invalid regular expression \"\(pattern)\"", at: r.range, hints: ["escape special characters such as ( [ * with a backslash"])
        }
        let f = ScalarFunction(name: "~", signature: "s ~ pattern", doc: "case-insensitive regular-expression search", arity: 1...1,
                               resultType: { _ in .success(.bool) }, eval: { args, n in
            let c = args[0]
            let hits = c.dictionary.map { s in compiled.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n { out[i] = hits[Int(c.codes[i])] ? 1 : 0 }
            return Column(ints: out, type: .bool, validity: c.validity)
        }).sql { c in .search(c.arguments[0], for: pattern, in: c.dialect) }
        return BoundExpr(.scalar(f, [a]), type: .bool, range: range)
    }

    func call(_ name: String, _ args: [Expr], _ over: [Expr]?, _ range: SourceRange) throws -> BoundExpr {
        if let w = WindowFunctions.all[name] {
            let bound = try args.map(bind)
            try checkArity(name, w.arity, bound.count, range)
            let type = try resolve(w.resultType(bound.map(\.type)), bound, range)
            let partition = try (over ?? []).map(bind)
            return BoundExpr(.window(w, bound, partition: partition), type: type, range: range)
        }
        if let over, let first = over.first {
            throw Diagnostic("`over` applies to window functions only, `\(name)` is not one", at: first.range,
                             hints: ["window functions: " + WindowFunctions.all.keys.sorted().joined(separator: ", ")])
        }
        if let f = AggregateFunctions.all[name] {
            if let twin = f.rowWiseTwin, args.count > 1 {
                throw Diagnostic("`\(name)` of several values is `\(twin)`", at: range, hints: ["write \(twin)(a, b, …)"])
            }
            guard let collector = aggregates else {
                let hints = ["aggregates belong in `agg …`, e.g. `agg total = \(name)(…) by key`"] + [f.outsideAggregateHint].compactMap { $0 }
                throw Diagnostic("`\(name)` is an aggregate and cannot be used here", at: range, hints: hints)
            }
            let bound = try args.map { try collector.input.bind($0) }
            try checkArity(name, f.arity, bound.count, range)
            let type = try collector.input.resolve(f.resultType(bound.map(\.type)), bound, range)
            if let k = f.constantArgument, k < bound.count, bound[k].constantValue == nil {
                throw Diagnostic("the \(k == 1 ? "second" : "argument \(k + 1)") argument of `\(name)` must be a constant", at: bound[k].range)
            }
            let slot = collector.add(AggregateCall(function: f, arguments: bound, range: range))
            return BoundExpr(.column(slot), type: type, range: range)
        }
        guard let f = ScalarFunctions.all[name] else {
            throw Diagnostic("unknown function `\(name)`", at: range,
                hints: unknownNameHints(name, candidates: Binder.functionNames.sorted(), kind: "functions"))
        }
        var bound: [BoundExpr] = []
        for (i, a) in args.enumerated() {
            if i == f.bandsArgument { bound.append(try bands(a)); continue }
            bound.append(try bind(a))
        }
        try checkArity(name, f.arity, bound.count, range)
        let type = try resolve(f.resultType(bound.map(\.type)), bound, range)
        if !f.takesNullType, bound.contains(where: { $0.type == .null }), !bound.contains(where: \.containsWindow) {
            return BoundExpr(.constant(.null), type: type, range: range)
        }
        if bound.allSatisfy({ $0.constantValue != nil }) {
            let column: Column
            do {
                column = try f.eval(bound.map { Column(repeating: $0.constantValue!, count: 1).coerced(to: $0.type) }, 1).coerced(to: type)
            } catch let k as KernelError {
                throw Diagnostic(k.message, at: range, hints: k.hints)
            }
            return BoundExpr(.constant(column.value(at: 0)), type: type, range: range)
        }
        return BoundExpr(.scalar(f, bound), type: type, range: range)
    }

    func bands(_ e: Expr) throws -> BoundExpr {
        guard case .list(let items) = e.kind else {
            throw Diagnostic("commission bands are a list `(threshold => rate, …)`", at: e.range, hints: ["(0 => 5%, 100k => 6%, 125k => 7%)"])
        }
        var out: [(Double, Double)] = []
        for item in items {
            guard case .arrow(let t, let r) = item.kind, let tv = try bind(t).constantValue?.asDouble, let rv = try bind(r).constantValue?.asDouble else {
                throw Diagnostic("each band is `threshold => rate` with constant numbers", at: item.range)
            }
            if let last = out.last, tv <= last.0 {
                throw Diagnostic("band thresholds must increase", at: item.range)
            }
            out.append((tv, rv))
        }
        if out.isEmpty { throw Diagnostic("at least one band is needed", at: e.range) }
        return BoundExpr(.bands(out), type: .float, range: e.range)
    }

    func checkArity(_ name: String, _ arity: ClosedRange<Int>, _ count: Int, _ range: SourceRange) throws {
        guard arity.contains(count) else {
            let expected = arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)"
                : arity.upperBound > 10 ? "at least \(arity.lowerBound)" : "\(arity.lowerBound) to \(arity.upperBound)"
            throw Diagnostic("`\(name)` takes \(expected) argument\(arity.upperBound == 1 ? "" : "s"), got \(count)", at: range,
                hints: [signature(name)].compactMap { $0 })
        }
    }

    func signature(_ name: String) -> String? {
        ScalarFunctions.all[name]?.signature ?? AggregateFunctions.all[name]?.signature ?? WindowFunctions.all[name]?.signature
    }

    func resolve(_ r: Result<DataType, ArgumentProblem>, _ args: [BoundExpr], _ range: SourceRange) throws -> DataType {
        switch r {
        case .success(let t): return t
        case .failure(let p):
            let at = p.index.flatMap { $0 < args.count ? args[$0].range : nil } ?? range
            var message = p.message
            if let i = p.index, i < args.count, case .column(let c) = args[i].kind, c < schema.names.count {
                message = message.replacingOccurrences(of: "argument \(i + 1) is", with: "`\(schema.names[c])` is")
            }
            throw Diagnostic(message, at: at)
        }
    }
}

/// Binds each item, collecting the problems of all of them before failing.
func bindEach(_ items: [Item], with binder: Binder) throws -> [BoundExpr] {
    var bound: [BoundExpr] = []
    var problems: [Diagnostic] = []
    for item in items {
        do {
            bound.append(try binder.bind(item.expr))
        } catch let d as Diagnostic {
            problems.append(d)
        } catch let list as DiagnosticList {
            problems += list.diagnostics
        }
    }
    try DiagnosticList.check(problems)
    return bound
}
