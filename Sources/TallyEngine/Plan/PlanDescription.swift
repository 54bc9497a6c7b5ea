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
private func number(_ v: Double) -> String { BoundExpr(.constant(.float(v)), type: .float, range: SourceRange(0, 0)).text(Schema(names: [], types: [])) }

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
        case .segment(_, let v, let binning, _, _):
            switch binning {
            case .equalCount(let n): return "segment \(v.text(input)) into \(n)"
            case .cutPoints(let cuts): return "segment \(v.text(input)) at (" + cuts.map { formatNumber($0) }.joined(separator: ", ") + ")"
            }
        case .rfm(_, let k, let d, let a): return "rfm by \(input.names[k]) date \(input.names[d]) amount \(input.names[a])"
        case .abc(_, let v, let k, let a, let b):
            return "abc \(v.text(input))" + (k.map { " by \(input.names[$0])" } ?? "") + " at (\(formatNumber(a)), \(formatNumber(b)))"
        case .cohort(_, let k, let d, let per): return "cohort by \(input.names[k]) date \(input.names[d]) per \(per.name)"
        case .terms(_, let t):
            let stop = t.stop.isEmpty ? "" : " stop (" + t.stop.sorted().joined(separator: ", ") + ")"
            return "terms \(t.text.text(input))" + (t.top.map { " top \($0)" } ?? "") + stop + (t.groups.isEmpty ? "" : " by \(list(t.groups))")
        case .pivot(_, let p):
            return "pivot \(input.names[p.groupCount])" + (p.values.map { " in (" + $0.map(\.text).joined(separator: ", ") + ")" } ?? " (a column per value)")
                + (p.groupCount > 0 ? " by " + input.names.prefix(p.groupCount).joined(separator: ", ") : "")
        case .funnel(_, let f):
            return "funnel \(input.names[f.stage]) steps (" + f.steps.map { "\"\($0)\"" }.joined(separator: ", ")
                + ") key \(input.names[f.key]) date \(input.names[f.date])" + (f.groups.isEmpty ? "" : " by \(list(f.groups))")
        case .whatIf(_, let setters, let filter, _, _):
            return "whatif " + setters.map { "\(input.names[$0.column]) \($0.op.rawValue) \($0.value.text(input))" }.joined(separator: ", ")
                + (filter.map { " where \($0.text(input))" } ?? "")
        case .goal(_, let g):
            let scenario = input.setting(g.variable, .float, nullable: false)
            let setters = g.setters.map { "\(scenario.names[$0.column]) \($0.op.rawValue) \($0.value.text(scenario))" }.joined(separator: ", ")
            return "goal \(g.measure.text(scenario)) = \(g.target.text(input)) vary \(g.variable) in \(number(g.low))..\(number(g.high)) with \(setters)"
                + (g.filter.map { " where \($0.text(scenario))" } ?? "") + (g.keys.isEmpty ? "" : " by \(list(g.keys))")
        case .simulate(_, let s):
            return "simulate \(s.measure.text(input)) per \(s.period.text(input)) next \(s.next) runs \(s.runs) seed \(s.seed)"
                + (s.target.map { " target \($0.text(input))" } ?? "")
        case .chart(_, let c):
            return "chart \(c.kind.rawValue) \(c.x.text(input))" + (c.ys.isEmpty ? "" : " " + c.ys.map { $0.text(input) }.joined(separator: ", "))
                + (c.series.map { " by \($0.text(input))" } ?? "") + (c.stacked ? " stacked" : "") + (c.kind == .hist ? " bins \(c.bins)" : "")
        }
    }
}
