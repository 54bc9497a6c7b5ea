import TallyCore
import TallyLang

/// Renders an SQL tree as text in a dialect: one clause a line, stages as CTEs indented under `WITH`, every operation
/// bracketed (so no precedence rule of any engine matters).
public struct SQLPrinter {
    public let dialect: any SQLDialect

    public init(dialect: any SQLDialect) { self.dialect = dialect }

    /// The statement's text, and where each part of it (stage or final select) starts, in characters, with the pipeline
    /// text it comes from.
    public func print(_ statement: SQLStatement) -> (text: String, starts: [(Int, SourceRange?)]) {
        let body = union(statement.body)
        if statement.stages.isEmpty { return (body, [(0, statement.bodyRange)]) }
        var text = "WITH ", starts: [(Int, SourceRange?)] = []
        for (k, stage) in statement.stages.enumerated() {
            starts.append((text.count, stage.range))
            let comment = stage.verb.map { "-- \($0.rawValue)\n" } ?? ""
            text += "\(stage.name) AS (\n  " + indented(comment + union(stage.selects)) + "\n)" + (k + 1 < statement.stages.count ? ",\n" : "\n")
        }
        starts.append((text.count, statement.bodyRange))
        return (text + body, starts)
    }

    func indented(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\n  ") }

    func union(_ selects: [SQLSelect]) -> String { selects.map(select).joined(separator: "\nUNION ALL\n") }

    func select(_ s: SQLSelect) -> String {
        let items = s.items.map { item -> String in
            let value = expr(item.expr)
            guard let alias = item.alias, item.expr != .column(alias) else { return value }
            return "\(value) AS \(dialect.identifier(alias))"
        }
        var text = "SELECT " + (s.distinct ? "DISTINCT " : "") + items.joined(separator: ", ")
        if let from = s.from { text += "\nFROM " + self.from(from) }
        if !s.conditions.isEmpty { text += "\nWHERE " + s.conditions.map(expr).joined(separator: "\n  AND ") }
        if !s.groupBy.isEmpty {
            text += "\nGROUP BY " + s.groupBy.map { key in
                switch key {
                case .position(let n): return String(n)
                case .expr(let e): return expr(e)
                }
            }.joined(separator: ", ")
        }
        if !s.orderBy.isEmpty { text += "\nORDER BY " + orderList(s.orderBy) }
        if let limit = s.limit { text += "\nLIMIT \(limit)" }
        return text
    }

    func from(_ f: SQLFrom) -> String {
        switch f {
        case .table(let name, let alias): return dialect.identifier(name) + (alias.map { " AS \($0)" } ?? "")
        case .join(let left, let kind, let right, let on):
            return from(left) + "\n\(kind.rawValue) " + from(right) + (on.map { " ON " + expr($0) } ?? "")
        }
    }

    /// `ORDER BY` items: text by bytes, `NULLS LAST` (as Tally sorts) where the dialect would put nulls first.
    func orderList(_ keys: [SQLOrderKey]) -> String {
        keys.map { k in
            expr(k.isText ? dialect.byteOrdered(k.expr) : k.expr) + (k.descending ? " DESC" : "")
                + (dialect.nullsLastByDefault(descending: k.descending) ? "" : " NULLS LAST")
        }.joined(separator: ", ")
    }

    func expr(_ e: SQLExpr) -> String {
        switch e {
        case .column(let name, let table): return (table.map { $0 + "." } ?? "") + dialect.identifier(name)
        case .null: return "NULL"
        case .integer(let i): return String(i)
        case .float(let d):
            let float = dialect.typeName(.tally(.float))
            if d.isNaN { return "CAST('NaN' AS \(float))" }
            if d.isInfinite { return "CAST('\(d < 0 ? "-" : "")Infinity' AS \(float))" }
            return "CAST(\(d) AS \(float))"
        case .decimal(let text): return text
        case .boolean(let b): return b ? "TRUE" : "FALSE"
        case .string(let s): return dialect.string(s)
        case .date(let days): return "DATE '\(CivilDate.format(days))'"
        case .cast(let x, let type): return "CAST(\(expr(x)) AS \(dialect.typeName(type)))"
        case .not(let x): return "(NOT \(expr(x)))"
        case .negate(let x): return "(-\(expr(x)))"
        case .binary(let a, let op, let b): return "(\(expr(a)) \(op.rawValue) \(expr(b)))"
        case .call(let name, let args): return "\(name)(\(args.map(expr).joined(separator: ", ")))"
        case .aggregate(let a):
            let order = a.order.isEmpty ? "" : " ORDER BY " + orderList(a.order)
            let filter = a.filter.map { " FILTER (WHERE \(expr($0)))" } ?? ""
            return "\(a.name)(\(a.distinct ? "DISTINCT " : "")\(a.arguments.map(expr).joined(separator: ", "))\(order))\(filter)"
        case .window(let f, let w): return "\(expr(f)) OVER (\(window(w)))"
        case .caseWhen(let c):
            let operand = c.operand.map { " " + expr($0) } ?? ""
            let arms = c.arms.map { " WHEN \(expr($0.condition)) THEN \(expr($0.result))" }.joined()
            return "CASE\(operand)\(arms)" + (c.otherwise.map { " ELSE \(expr($0))" } ?? "") + " END"
        case .inList(let x, let values): return "(\(expr(x)) IN (\(values.map(expr).joined(separator: ", "))))"
        case .between(let x, let lo, let hi): return "(\(expr(x)) BETWEEN \(expr(lo)) AND \(expr(hi)))"
        case .isNull(let x, let negated): return "(\(expr(x)) IS \(negated ? "NOT " : "")NULL)"
        case .exists(let s, let negated): return "\(negated ? "NOT " : "")EXISTS (\(indented(select(s))))"
        case .subquery(let statement): return "(" + indented(print(statement).text) + ")"
        case .star: return "*"
        case .collate(let x, let collation): return "\(expr(x)) COLLATE \"\(collation)\""
        case .extract(let field, let x): return "extract(\(field) FROM \(expr(x)))"
        case .withinGroup(let call, let order): return "\(expr(call)) WITHIN GROUP (ORDER BY \(orderList(order)))"
        case .element(let x, let index): return "(\(expr(x)))[\(index)]"
        }
    }

    func window(_ w: SQLWindow) -> String {
        var parts: [String] = []
        if !w.partition.isEmpty { parts.append("PARTITION BY " + w.partition.map(expr).joined(separator: ", ")) }
        if !w.order.isEmpty { parts.append("ORDER BY " + orderList(w.order)) }
        switch w.frame {
        case .fromStart?: parts.append("ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW")
        case .preceding(let n)?: parts.append("ROWS BETWEEN \(n) PRECEDING AND CURRENT ROW")
        case .rangeAt(let n)?:
            let bound = n == 0 ? "CURRENT ROW" : "\(abs(n)) \(n < 0 ? "PRECEDING" : "FOLLOWING")"
            parts.append("RANGE BETWEEN \(bound) AND \(bound)")
        case nil: break
        }
        return parts.joined(separator: " ")
    }
}
