import TallyCore

extension BoundExpr {
    /// The input positions this expression reads (sub-queries read their own inputs, not this one).
    var columns: Set<Int> {
        var out = Set<Int>()
        visitColumns { out.insert($0) }
        return out
    }

    func visitColumns(_ visit: (Int) -> Void) {
        switch kind {
        case .column(let i): visit(i)
        case .constant, .bands, .subquery: break
        case .unary(_, let a), .isNull(let a, _), .inValues(let a, _): a.visitColumns(visit)
        case .binary(_, let a, let b): a.visitColumns(visit); b.visitColumns(visit)
        case .between(let a, let b, let c): [a, b, c].forEach { $0.visitColumns(visit) }
        case .scalar(_, let args): args.forEach { $0.visitColumns(visit) }
        case .window(_, let args, let partition): (args + partition).forEach { $0.visitColumns(visit) }
        case .caseWhen(let arms): arms.forEach { $0.0.visitColumns(visit); $0.1.visitColumns(visit) }
        }
    }

    /// The same expression with every column reference (the node and its position) replaced by `replace`.
    func replacingColumns(_ replace: (BoundExpr, Int) -> BoundExpr) -> BoundExpr {
        func r(_ e: BoundExpr) -> BoundExpr { e.replacingColumns(replace) }
        let k: Kind
        switch kind {
        case .column(let i): return replace(self, i)
        case .constant, .bands, .subquery: return self
        case .unary(let op, let a): k = .unary(op, r(a))
        case .binary(let op, let a, let b): k = .binary(op, r(a), r(b))
        case .scalar(let f, let args): k = .scalar(f, args.map(r))
        case .window(let f, let args, let partition): k = .window(f, args.map(r), partition: partition.map(r))
        case .caseWhen(let arms): k = .caseWhen(arms.map { (r($0.0), r($0.1)) })
        case .inValues(let a, let values): k = .inValues(r(a), values)
        case .between(let a, let b, let c): k = .between(r(a), r(b), r(c))
        case .isNull(let a, let negated): k = .isNull(r(a), negated: negated)
        }
        return BoundExpr(k, type: type, range: range)
    }

    /// The same expression reading column `mapping[i]` where it read column `i`.
    func remapped(_ mapping: [Int: Int]) -> BoundExpr {
        replacingColumns { node, i in BoundExpr(.column(mapping[i] ?? i), type: node.type, range: node.range) }
    }
}
