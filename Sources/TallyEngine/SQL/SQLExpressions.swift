import TallyCore
import TallyLang

/// What an expression's column references mean: the SQL of each input column, and the order rows are in (for windows).
struct SQLScope {
    let columns: [String]
    let order: [SQLOrderKey]
}

extension SQLGenerator {
    /// The SQL of a bound expression.
    func expression(_ e: BoundExpr, _ scope: SQLScope) throws -> String {
        switch e.kind {
        case .column(let i):
            guard i < scope.columns.count else { throw Diagnostic("internal: column \(i) beyond the input", at: e.range) }
            return scope.columns[i]
        case .constant(let v): return literal(v, type: e.type)
        case .unary(.not, let a): return "(NOT \(try expression(a, scope)))"
        case .unary(.negate, let a): return "(-\(try expression(a, scope)))"
        case .binary(let op, let a, let b): return try binary(op, a, b, e, scope)
        case .scalar(let f, let args): return try scalar(f, args, e, scope)
        case .window(let f, let args, let partition): return try window(f, args, partition, e, scope)
        case .caseWhen(let arms):
            let whens = try arms.map { "WHEN \(try expression($0.0, scope)) THEN \(try expression($0.1, scope))" }
            return "CASE " + whens.joined(separator: " ") + " END"
        case .inValues(let a, let values):
            guard !values.isEmpty else { return "FALSE" }
            return "(\(try expression(a, scope)) IN (\(values.map { literal($0, type: $0.type) }.joined(separator: ", "))))"
        case .between(let a, let lo, let hi):
            return "(\(try expression(a, scope)) BETWEEN \(try expression(lo, scope)) AND \(try expression(hi, scope)))"
        case .isNull(let a, let negated):
            return "(\(try expression(a, scope)) IS \(negated ? "NOT " : "")NULL)"
        case .bands:
            throw refusal("commission bands outside `tiered`", at: e.range)
        case .subquery(let plan):
            let inner = SQLGenerator(dialect: dialect, hasRowOrder: hasRowOrder, isRemote: isRemote)
            let q = try inner.compile(plan)
            return "(" + q.text.replacingOccurrences(of: "\n", with: "\n  ") + ")"
        }
    }

    /// A constant as an SQL literal of its type.
    func literal(_ v: Value, type: DataType) -> String {
        switch v {
        case .null: return type == .null ? "NULL" : "CAST(NULL AS \(dialect.type(type)))"
        case .int(let i): return type == .float ? "CAST(\(i) AS \(dialect.type(.float)))" : String(i)
        case .float(let d):
            if d.isNaN { return "CAST('NaN' AS \(dialect.type(.float)))" }
            if d.isInfinite { return "CAST('\(d < 0 ? "-" : "")Infinity' AS \(dialect.type(.float)))" }
            return "CAST(\(d) AS \(dialect.type(.float)))"
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .string(let s): return dialect.string(s)
        case .date: return "DATE '\(v.text)'"
        case .period(let p): return dialect.string(p.description)
        }
    }

    func binary(_ op: BinaryOperator, _ a: BoundExpr, _ b: BoundExpr, _ e: BoundExpr, _ scope: SQLScope) throws -> String {
        let x = try expression(a, scope), y = try expression(b, scope)
        switch op {
        case .and: return "(\(x) AND \(y))"
        case .or: return "(\(x) OR \(y))"
        case .equal: return "(\(x) = \(y))"
        case .notEqual: return "(\(x) <> \(y))"
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let text = a.type == .string || b.type == .string
            return "(\(text ? dialect.byteOrdered(x) : x) \(op.rawValue) \(y))"
        case .matches: return dialect.matches(x, y)
        case .in: throw refusal("`in` of this form", at: e.range)
        case .add, .subtract, .multiply, .divide, .remainder:
            if a.type == .period || b.type == .period { throw refusal("period arithmetic", at: e.range) }
            if a.type == .date, b.type == .date, op == .subtract { return dialect.daysBetween(x, y) }
            if a.type == .date, op == .add || op == .subtract {
                return dialect.addDays(x, op == .add ? y : "(-\(y))")
            }
            if b.type == .date, op == .add { return dialect.addDays(y, x) }
            switch op {
            case .divide: return "(CAST(\(x) AS \(dialect.type(.float))) / NULLIF(\(y), 0))"
            case .remainder: return "(\(x) % NULLIF(\(y), 0))"
            default:
                let floatMix = e.type == .float && (a.type == .int || b.type == .int)
                return floatMix && a.type == .int ? "(CAST(\(x) AS \(dialect.type(.float))) \(op.rawValue) \(y))" : "(\(x) \(op.rawValue) \(y))"
            }
        }
    }

    /// A window function over the rows in their current order, per partition.
    func window(_ f: WindowFunction, _ args: [BoundExpr], _ partition: [BoundExpr], _ e: BoundExpr, _ scope: SQLScope) throws -> String {
        let a = try args.map { try expression($0, scope) }
        let parts = try partition.map { try expression($0, scope) }
        let partitionBy = parts.isEmpty ? "" : "PARTITION BY " + parts.joined(separator: ", ")
        func over(_ frame: String = "") throws -> String {
            guard !scope.order.isEmpty else {
                throw refusal("`\(f.name)`", at: e.range, because: "its rows have no order here; sort first")
            }
            let orderBy = "ORDER BY " + orderList(scope.order)
            return "OVER (" + [partitionBy, orderBy, frame].filter { !$0.isEmpty }.joined(separator: " ") + ")"
        }
        switch f.name {
        case "running_sum": return "sum(\(a[0])) \(try over("ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"))"
        case "lag", "lead":
            // An offset beyond any partition reaches no row, as in Tally; SQL takes a 32-bit offset.
            let offset = a.count > 1 ? ", " + clampedToInt32(a[1]) : ""
            return "\(f.name)(\(a[0])\(offset)) \(try over())"
        case "pct_change": return "(CAST(\(a[0]) AS \(dialect.type(.float))) / NULLIF(lag(\(a[0])) \(try over()), 0) - 1)"
        case "row_number": return "row_number() \(try over())"
        case "rank":
            return "rank() OVER (" + [partitionBy, "ORDER BY \(a[0]) DESC NULLS LAST"].filter { !$0.isEmpty }.joined(separator: " ") + ")"
        case "share": return "(CAST(\(a[0]) AS \(dialect.type(.float))) / NULLIF(sum(\(a[0])) OVER (\(partitionBy)), 0))"
        case "moving_avg", "moving_sum":
            guard args.count == 2, case .int(let n)? = args[1].constantValue, n >= 1, n <= Int64(Int32.max) else {
                throw refusal("`\(f.name)` without a constant window size", at: e.range)
            }
            let fn = f.name == "moving_avg" ? "avg" : "sum"
            return "\(fn)(\(a[0])) \(try over("ROWS BETWEEN \(n - 1) PRECEDING AND CURRENT ROW"))"
        default:
            throw refusal("`\(f.name)`", at: e.range)
        }
    }

    /// `ORDER BY` items for an order: descending keys and nulls last, as Tally sorts.
    func orderList(_ order: [SQLOrderKey]) -> String {
        order.map { k in
            (k.isText ? dialect.byteOrdered(k.sql) : k.sql) + (k.descending ? " DESC" : "") + " NULLS LAST"
        }.joined(separator: ", ")
    }

    /// The error for what this dialect cannot run: names the verb or function and the dialect.
    func refusal(_ what: String, at range: SourceRange, because reason: String? = nil) -> Diagnostic {
        Diagnostic("\(what) cannot be compiled to SQL for \(dialect.rawValue)" + (reason.map { ": \($0)" } ?? ""), at: range,
                   hints: ["docs/scale-out.md lists what runs where; without a connection the pipeline runs in Tally"])
    }
}
