import TallyCore
import TallyLang

/// What an expression's column references mean: the SQL of each input column, and the order rows are in (for windows
/// and order-dependent aggregates).
struct SQLScope {
    let columns: [SQLExpr]
    let order: [SQLOrderKey]
    /// Whether the order places every row (see ``SQLRelation/isTotal``).
    var isTotal = true
}

extension SQLGenerator {
    /// The SQL of a bound expression.
    func expression(_ e: BoundExpr, _ scope: SQLScope) throws -> SQLExpr {
        switch e.kind {
        case .column(let i):
            guard i < scope.columns.count else { throw Diagnostic("internal: column \(i) beyond the input", at: e.range) }
            return scope.columns[i]
        case .constant(let v): return literal(v, type: e.type)
        case .unary(.not, let a): return .not(try expression(a, scope))
        case .unary(.negate, let a): return .negate(try expression(a, scope))
        case .binary(let op, let a, let b): return try binary(op, a, b, e, scope)
        case .scalar(let f, let args):
            if let folded = try constantFolded(e) { return folded }
            return try spelled(f.name, f.sqlSpelling, args, e, scope, order: scope.order, partition: [])
        case .window(let f, let args, let partition):
            let parts = try partition.map { try expression($0, scope) }
            return try spelled(f.name, f.sqlSpelling, args, e, scope, order: scope.order, partition: parts)
        case .caseWhen(let arms):
            return .when(try arms.map { (try expression($0.0, scope), try expression($0.1, scope)) })
        case .inValues(let a, let values):
            guard !values.isEmpty else { return .boolean(false) }
            return .inList(try expression(a, scope), values.map { literal($0, type: $0.type) })
        case .between(let a, let lo, let hi):
            return .between(try expression(a, scope), try expression(lo, scope), try expression(hi, scope))
        case .isNull(let a, let negated):
            return .isNull(try expression(a, scope), negated: negated)
        case .bands:
            throw refusal("commission bands outside `tiered`", at: e.range)
        case .subquery(let plan):
            let inner = SQLGenerator(dialect: dialect, rowOrder: rowOrder, isRemote: isRemote, warnings: warnings)
            inner.lets = lets
            inner.source = source
            return .subquery(try inner.compile(plan).statement)
        }
    }

    /// A function call in its registry entry's SQL spelling; refused where the entry has none for this dialect.
    func spelled(_ name: String, _ spelling: SQLSpelling?, _ args: [BoundExpr], _ e: BoundExpr, _ scope: SQLScope, order: [SQLOrderKey],
                 partition: [SQLExpr]) throws -> SQLExpr {
        guard let spelling else { throw refusal("`\(name)`", at: e.range) }
        var bands: [(Double, Double)]?
        let arguments = try args.map { a -> SQLExpr in
            if case .bands(let b) = a.kind { bands = b; return .null }
            return try expression(a, scope)
        }
        let call = SQLCall(dialect: dialect, arguments: arguments, argumentTypes: args.map(\.type), constants: args.map(\.constantValue),
                           bands: bands, type: e.type, order: order, partition: partition)
        do {
            guard let sql = try spelling(call) else { throw refusal("`\(name)`", at: e.range) }
            if call.orderReading.happened { warnIfUnordered(scope.order, isTotal: scope.isTotal, "what `\(name)` gives", at: e.range) }
            return sql
        } catch let r as SQLRefusal {
            throw refusal("`\(name)`", at: e.range, because: r.reason)
        }
    }

    /// An aggregate call over the input's rows (nulls skipped, as Tally's aggregates skip them).
    func aggregateCall(_ call: AggregateCall, _ scope: SQLScope, type: DataType) throws -> SQLExpr {
        let e = BoundExpr(.constant(.null), type: type, range: call.range)
        return try spelled(call.function.name, call.function.sqlSpelling, call.arguments, e, scope, order: scope.order, partition: [])
    }

    /// A constant as an SQL literal of its type.
    func literal(_ v: Value, type: DataType) -> SQLExpr {
        switch v {
        case .null: return type == .null ? .null : .cast(.null, .tally(type))
        case .int(let i): return type == .float ? .cast(.integer(i), .tally(.float)) : .integer(i)
        case .float(let d): return .float(d)
        case .bool(let b): return .boolean(b)
        case .string(let s): return .string(s)
        case .date(let d): return .date(d)
        case .period(let p): return .string(p.description)
        }
    }

    /// A call on constants only (`start_of($month)`, `add_months(2025-01-31, 1)`), computed by Tally once and written as
    /// its value: every dialect then gets Tally's calendar and formatting, not its own.
    func constantFolded(_ e: BoundExpr) throws -> SQLExpr? {
        guard e.isConstantCall else { return nil }
        let one = Table(names: [], columns: [], rowCount: 1)
        let value = try Evaluator(table: one, isCancelled: { false }).evaluate(e).value(at: 0)
        return literal(value, type: e.type)
    }

    func binary(_ op: BinaryOperator, _ a: BoundExpr, _ b: BoundExpr, _ e: BoundExpr, _ scope: SQLScope) throws -> SQLExpr {
        let x = try expression(a, scope), y = try expression(b, scope)
        let float = SQLType.tally(.float)
        switch op {
        case .and: return .binary(x, .and, y)
        case .or: return .binary(x, .or, y)
        case .equal: return .binary(x, .equal, y)
        case .notEqual: return .binary(x, .notEqual, y)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let comparison: [BinaryOperator: SQLOperator] = [.less: .less, .lessOrEqual: .lessOrEqual, .greater: .greater, .greaterOrEqual: .greaterOrEqual]
            let text = a.type == .string || b.type == .string
            return .binary(text ? dialect.byteOrdered(x) : x, comparison[op]!, y)
        case .matches: return dialect.matches(x, y)
        case .in: throw refusal("`in` of this form", at: e.range)
        case .add, .subtract, .multiply, .divide, .remainder:
            if a.type == .period || b.type == .period { throw refusal("period arithmetic", at: e.range) }
            if a.type == .date, b.type == .date, op == .subtract { return dialect.daysBetween(x, y) }
            if a.type == .date, op == .add || op == .subtract { return dialect.addDays(x, op == .add ? y : .negate(y)) }
            if b.type == .date, op == .add { return dialect.addDays(y, x) }
            switch op {
            case .divide: return .cast(x, float) / .nonZero(y)
            case .remainder: return .binary(x, .remainder, .nonZero(y))
            default:
                let arithmetic: [BinaryOperator: SQLOperator] = [.add: .add, .subtract: .subtract, .multiply: .multiply]
                // An int on the left of float arithmetic is made a float first, as Tally computes it.
                return .binary(e.type == .float && a.type == .int ? .cast(x, float) : x, arithmetic[op]!, y)
            }
        }
    }

    /// The error for what this dialect cannot run: names the verb or function and the dialect.
    func refusal(_ what: String, at range: SourceRange, because reason: String? = nil) -> Diagnostic {
        Diagnostic("\(what) cannot be compiled to SQL for \(dialect.name)" + (reason.map { ": \($0)" } ?? ""), at: range,
                   hints: ["docs/scale-out.md lists what runs where; without a connection the pipeline runs in Tally"])
    }
}
