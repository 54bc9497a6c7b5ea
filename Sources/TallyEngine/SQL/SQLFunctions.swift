import TallyCore
import TallyLang

extension SQLGenerator {
    /// A row-wise function call; what has no SQL form here is refused by name.
    func scalar(_ f: ScalarFunction, _ args: [BoundExpr], _ e: BoundExpr, _ scope: SQLScope) throws -> String {
        if f.name == "tiered" || f.name == "tiered_flat" { return try tiered(flat: f.name == "tiered_flat", args, e, scope) }
        if let folded = try constantFolded(e) { return folded }
        let a = try args.map { try expression($0, scope) }
        let float = dialect.type(.float)
        func dateArgument() throws -> String {
            guard args.first?.type == .date else { throw refusal("`\(f.name)` of a \(args.first?.type.rawValue ?? "missing") value", at: e.range) }
            return a[0]
        }
        switch f.name {
        case "abs", "floor", "ceil", "exp", "lower", "upper", "trim", "replace", "coalesce", "least", "greatest":
            let call = "\(f.name)(\(a.joined(separator: ", ")))"
            return e.type == .int && (f.name == "floor" || f.name == "ceil") ? "CAST(\(call) AS BIGINT)" : call
        case "sqrt": return "CASE WHEN \(a[0]) >= 0 THEN sqrt(\(a[0])) END"
        case "ln": return "CASE WHEN \(a[0]) > 0 THEN ln(\(a[0])) END"
        case "pow": return "power(CAST(\(a[0]) AS \(float)), \(a[1]))"
        case "round":
            // Half away from zero, as Tally rounds: decimal rounding in PostgreSQL and DuckDB; Spark's round does so already.
            let digits = a.count > 1 ? a[1] : "0"
            let rounded: String
            switch dialect {
            case .postgres: rounded = "round(CAST(\(a[0]) AS NUMERIC), CAST(\(digits) AS INTEGER))"
            case .duckdb: rounded = "round(CAST(\(a[0]) AS DECIMAL(38, 10)), CAST(\(digits) AS INTEGER))"
            case .spark: rounded = "round(\(a[0]), \(digits))"
            }
            return "CAST(\(rounded) AS \(dialect.type(e.type)))"
        case "len": return "CAST(length(\(a[0])) AS BIGINT)"
        case "contains":
            return dialect == .spark ? "(instr(\(a[0]), \(a[1])) > 0)" : "(strpos(\(a[0]), \(a[1])) > 0)"
        case "starts_with": return dialect == .spark ? "startswith(\(a[0]), \(a[1]))" : "starts_with(\(a[0]), \(a[1]))"
        case "ends_with": return "(right(\(a[0]), length(\(a[1]))) = \(a[1]))"
        case "substr":
            return "substr(" + ([a[0]] + a.dropFirst().map(clampedToInt32)).joined(separator: ", ") + ")"
        case "~": if let pattern = f.boundPattern { return dialect.matches(a[0], pattern: pattern) }
        case "if": return "CASE WHEN \(a[0]) THEN \(a[1]) ELSE \(a[2]) END"
        case "pct", "float": return "CAST(\(a[0]) AS \(float))"
        case "int":
            if args[0].type == .float { return dialect == .spark ? "CAST(\(a[0]) AS BIGINT)" : "CAST(trunc(\(a[0])) AS BIGINT)" }
            if args[0].type == .string { break }
            return "CAST(\(a[0]) AS BIGINT)"
        case "year": return dialect.datePart("year", try dateArgument())
        case "day": return dialect.datePart("day", try dateArgument())
        case "weekday": return dialect.datePart("isodow", try dateArgument())
        case "quarter": return dialect.period(.quarter, of: try dateArgument())
        case "month": return dialect.period(.month, of: try dateArgument())
        case "week": return dialect.period(.week, of: try dateArgument())
        case "today": return literal(.date(ScalarFunctions.today), type: .date)
        default: break
        }
        throw refusal("`\(f.name)`", at: e.range)
    }

    /// A call on constants only (`start_of($month)`, `add_months(2025-01-31, 1)`), computed by Tally once and written as
    /// its value: every dialect then gets Tally's calendar and formatting, not its own.
    func constantFolded(_ e: BoundExpr) throws -> String? {
        guard e.isConstantCall else { return nil }
        let one = Table(names: [], columns: [], rowCount: 1)
        let value = try Evaluator(table: one, isCancelled: { false }).evaluate(e).value(at: 0)
        return literal(value, type: e.type)
    }

    /// A whole number as SQL's 32-bit INTEGER (positions and offsets), values beyond its range taken as its ends.
    func clampedToInt32(_ x: String) -> String {
        "CAST(LEAST(GREATEST(\(x), -2147483647), 2147483647) AS INTEGER)"
    }

    /// `tiered(x, bands)` (each band's rate on the part of x inside it) or `tiered_flat` (the highest band reached on all of x).
    func tiered(flat: Bool, _ args: [BoundExpr], _ e: BoundExpr, _ scope: SQLScope) throws -> String {
        guard args.count == 2, case .bands(let bands) = args[1].kind, !bands.isEmpty else { throw refusal("`tiered` without constant bands", at: e.range) }
        let x = "CAST(\(try expression(args[0], scope)) AS \(dialect.type(.float)))"
        let number = { (v: Double) in self.literal(.float(v), type: .float) }
        if flat {
            let arms = bands.reversed().map { "WHEN \(x) >= \(number($0.0)) THEN \(x) * \(number($0.1))" }
            return "CASE " + arms.joined(separator: " ") + " ELSE CAST(0 AS \(dialect.type(.float))) END"
        }
        let parts = bands.enumerated().map { k, band -> String in
            let above = "GREATEST(\(x) - \(number(band.0)), 0)"
            let inside = k + 1 < bands.count ? "LEAST(\(above), \(number(bands[k + 1].0 - band.0)))" : above
            return "\(inside) * \(number(band.1))"
        }
        return "CASE WHEN \(x) IS NULL THEN NULL ELSE " + parts.joined(separator: " + ") + " END"
    }

    /// An aggregate call over the input's rows (nulls skipped, as Tally's aggregates skip them).
    func aggregateCall(_ call: AggregateCall, _ scope: SQLScope, type: DataType) throws -> String {
        let a = try call.arguments.map { try expression($0, scope) }
        let float = dialect.type(.float)
        func percentile(_ p: String) -> String {
            switch dialect {
            case .postgres: return "percentile_cont(\(p)) WITHIN GROUP (ORDER BY \(a[0]))"
            case .duckdb: return "quantile_cont(\(a[0]), \(p))"
            case .spark: return "percentile(\(a[0]), \(p))"
            }
        }
        func share(_ condition: String) -> String {
            "(100.0 * count(CASE WHEN \(condition) THEN 1 END) / NULLIF(count(\(a[0])), 0))"
        }
        switch call.function.name {
        case "count": return a.isEmpty ? "count(*)" : "count(\(a[0]))"
        case "count_distinct": return "count(DISTINCT \(a[0]))"
        case "first", "last":
            // The first (last) non-null value in the rows' order.
            guard !scope.order.isEmpty else { throw refusal("`\(call.function.name)`", at: call.range, because: "its rows have no order here; sort first") }
            let order = scope.order.map { SQLOrderKey(sql: $0.sql, descending: $0.descending != (call.function.name == "last"), isText: $0.isText) }
            switch dialect {
            case .postgres: return "(array_agg(\(a[0]) ORDER BY \(orderList(order))) FILTER (WHERE \(a[0]) IS NOT NULL))[1]"
            case .duckdb: return "first(\(a[0]) ORDER BY \(orderList(order))) FILTER (WHERE \(a[0]) IS NOT NULL)"
            case .spark: throw refusal("`\(call.function.name)`", at: call.range, because: "Spark's first() ignores the rows' order")
            }
        case "sum":
            return type == .int ? "CAST(sum(\(a[0])) AS BIGINT)" : "sum(CAST(\(a[0]) AS \(float)))"
        case "avg": return "avg(CAST(\(a[0]) AS \(float)))"
        case "min", "max": return "\(call.function.name)(\(a[0]))"
        case "stddev": return "stddev_samp(CAST(\(a[0]) AS \(float)))"
        case "median": return percentile("0.5")
        case "quantile": return percentile(a[1])
        case "countif": return "count(CASE WHEN \(a[0]) THEN 1 END)"
        case "sumif":
            let sum = "sum(CASE WHEN \(a[1]) THEN \(a[0]) END)"
            return type == .int ? "CAST(coalesce(\(sum), 0) AS BIGINT)" : "coalesce(CAST(\(sum) AS \(float)), 0)"
        case "csat": return share("\(a[0]) >= 4")
        case "nps":
            let five = call.arguments.count > 1 && call.arguments[1].constantValue?.asDouble == 5
            let (promoter, detractor) = five ? ("\(a[0]) >= 5", "\(a[0]) <= 3") : ("\(a[0]) >= 9", "\(a[0]) <= 6")
            return "(\(share(promoter)) - \(share(detractor)))"
        default:
            throw refusal("`\(call.function.name)`", at: call.range)
        }
    }
}
