import TallyCore
import TallyLang

extension BoundExpr {
    /// The expression as text, with column positions named from the input schema; operands that are
    /// themselves operations are bracketed.
    func text(_ schema: Schema, nested: Bool = false) -> String {
        func t(_ e: BoundExpr) -> String { e.text(schema) }
        func operand(_ e: BoundExpr) -> String { e.text(schema, nested: true) }
        switch kind {
        case .column(let i):
            if i < schema.names.count { return schema.names[i] }
            return schema.tail.map { "\($0.prefix)\(i - $0.start)" } ?? "#\(i)"
        case .constant(let v):
            switch v {
            case .string(let s): return "\"\(s)\""
            case .float(let x) where x == x.rounded() && abs(x) < 1e15: return String(Int64(x))
            case .null: return "null"
            default: return v.text
            }
        case .unary(let op, let a): return op == .not ? "not \(operand(a))" : "-\(operand(a))"
        case .binary(let op, let a, let b):
            let inner = "\(operand(a)) \(op.rawValue) \(operand(b))"
            return nested ? "(\(inner))" : inner
        case .scalar(let f, let args): return "\(f.name)(\(args.map(t).joined(separator: ", ")))"
        case .window(let f, let args, let partition):
            let over = partition.isEmpty ? "" : " over \(partition.map(t).joined(separator: ", "))"
            return "\(f.name)(\(args.map(t).joined(separator: ", ")))\(over)"
        case .caseWhen(let arms): return "case [" + arms.map { "\(t($0.0)) => \(t($0.1))" }.joined(separator: ", ") + "]"
        case .inValues(let a, let values): return "\(operand(a)) in (" + values.map { $0.text }.joined(separator: ", ") + ")"
        case .between(let a, let lo, let hi): return "\(operand(a)) in \(operand(lo))..\(operand(hi))"
        case .isNull(let a, let negated): return "\(operand(a)) is \(negated ? "not " : "")null"
        case .bands(let bands): return "(" + bands.map { "\(formatNumber($0.0)) => \(formatNumber($0.1))" }.joined(separator: ", ") + ")"
        case .subquery: return "(sub-query)"
        }
    }
}

/// One line of `.explain`: a plan node, how deep it sits, its output columns and, after a run, its rows and time.
public struct PlanLine {
    public let depth: Int
    /// The operator and its arguments, e.g. `filter (amount > 100)`.
    public let description: String
    public let columns: [(name: String, type: DataType)]
    public let rows: Int?
    public let seconds: Double?
}

extension BoundMeasure {
    /// The measure as written, its aggregate calls in place.
    func text(_ input: Schema) -> String {
        let slots = calls.map { "\($0.function.name)(\($0.arguments.map { $0.text(input) }.joined(separator: ", ")))" }
        return expr.text(Schema(names: slots, types: calls.map { _ in .float }))
    }
}

/// A number as the language writes it: no trailing `.0` on whole numbers.
func writtenNumber(_ v: Double) -> String { BoundExpr(.constant(.float(v)), type: .float, range: SourceRange(0, 0)).text(Schema(names: [], types: [])) }

extension LogicalPlan {
    /// The plan as lines, root first, each child indented under its parent.
    public func explain(profile: PlanProfile? = nil) -> [PlanLine] {
        var lines: [PlanLine] = []
        func visit(_ node: LogicalPlan, _ depth: Int) {
            let entry = profile?[node]
            var columns = zip(node.schema.names, node.schema.types).map { (name: $0, type: $1) }
            if let tail = node.schema.tail { columns.append((name: tail.prefix + "0…", type: tail.type)) }
            lines.append(PlanLine(depth: depth, description: node.operatorDescription, columns: columns, rows: entry?.rows, seconds: entry?.seconds))
            for child in node.children { visit(child, depth + 1) }
        }
        visit(self, 0)
        return lines
    }

    /// The operator with its arguments, naming columns of its input.
    var operatorDescription: String {
        let input = children.first?.schema ?? schema
        func list(_ es: [BoundExpr]) -> String { es.map { $0.text(input) }.joined(separator: ", ") }
        func keys(_ ks: [BoundSortKey]) -> String { ks.map { ($0.descending ? "-" : "") + $0.expr.text(input) }.joined(separator: ", ") }
        switch op {
        case .scan(.table(let name), _): return "scan \(name)"
        case .scan(.previous, _): return "scan _"
        case .hole: return "scenario input"
        case .filter(_, let c): return "filter " + c.map { $0.text(input, nested: c.count > 1) }.joined(separator: " and ")
        case .project(_, let exprs):
            return "project " + zip(schema.names, exprs).map { name, e in e.text(input) == name ? name : "\(name) = \(e.text(input))" }.joined(separator: ", ")
        case .aggregate(_, let k, let calls, _):
            let aggs = calls.map { "\($0.function.name)(\(list($0.arguments)))" }.joined(separator: ", ")
            return "aggregate \(aggs)" + (k.isEmpty ? "" : " by \(list(k))")
        case .sort(_, let k): return "sort \(keys(k))"
        case .limit(_, let n): return "limit \(n)"
        case .topN(_, let n, let k, let per): return "top \(n) by \(keys(k))" + (per.isEmpty ? "" : " per \(list(per))")
        case .distinct(_, let c): return "distinct " + c.map { input.names[$0] }.joined(separator: ", ")
        case .count: return "count"
        case .join(let l, let r, let kind, let k, _):
            return "\(kind.rawValue) join on " + k.map { "\($0.left.text(l.schema)) == \($0.right.text(r.schema))" }.joined(separator: ", ")
        case .union: return "union"
        case .analytic(let node): return node.description(input)
        }
    }
}
