import TallyCore
import TallyLang

extension Executor {
    /// What a filter's conjuncts say about the columns of the scan right below it, as bounds the stored table can
    /// test its blocks against: a column compared with a constant, in a constant range, or in a constant list.
    /// Anything else says nothing (no bounds), which is always safe.
    static func bounds(_ conjuncts: [BoundExpr], over input: LogicalPlan) -> [ColumnBounds] {
        guard case .scan(.table, let columns) = input.op else { return [] }
        return conjuncts.compactMap { c in
            guard let (position, allowed) = allowed(by: c, input.schema) else { return nil }
            return ColumnBounds(column: columns[position], allowed: allowed)
        }
    }

    /// The scan column a predicate tests and the values it lets through.
    static func allowed(by p: BoundExpr, _ schema: Schema) -> (Int, ColumnBounds.Allowed)? {
        func column(_ e: BoundExpr) -> Int? {
            if case .column(let i) = e.kind, i < schema.types.count { return i }
            return nil
        }
        switch p.kind {
        case .binary(let op, let a, let b):
            if let i = column(a), let v = b.constantValue { return compared(op, v, schema.types[i]).map { (i, $0) } }
            if let i = column(b), let v = a.constantValue { return compared(op.flipped, v, schema.types[i]).map { (i, $0) } }
            return nil
        case .between(let a, let lo, let hi):
            guard let i = column(a), let l = lo.constantValue, let h = hi.constantValue else { return nil }
            if [.int, .date].contains(schema.types[i]), let x = Evaluator.integerBound(l), let y = Evaluator.integerBound(h), x <= y {
                return (i, .integers(x...y))
            }
            if [.int, .float].contains(schema.types[i]), let x = l.asDouble, let y = h.asDouble, x <= y { return (i, .floats(x...y)) }
            return nil
        case .inValues(let a, let values):
            guard let i = column(a), !values.isEmpty else { return nil }
            switch schema.types[i] {
            case .string:
                let texts = values.compactMap { v -> String? in if case .string(let s) = v { return s } else { return nil } }
                return texts.count == values.count ? (i, .strings(Set(texts))) : nil
            case .int, .date:
                let numbers = values.compactMap { v -> Int64? in
                    switch v {
                    case .int(let k), .date(let k): return k
                    default: return nil
                    }
                }
                guard numbers.count == values.count, let lo = numbers.min(), let hi = numbers.max() else { return nil }
                return (i, .integers(lo...hi))
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The values `column op v` lets through, for a column of the given type.
    static func compared(_ op: BinaryOperator, _ v: Value, _ type: DataType) -> ColumnBounds.Allowed? {
        switch (type, v) {
        case (.string, .string(let s)) where op == .equal:
            return .strings([s])
        case (.int, .int(let k)), (.date, .date(let k)):
            switch op {
            case .equal: return .integers(k...k)
            case .less: return k == .min ? nil : .integers(.min...(k - 1))
            case .lessOrEqual: return .integers(.min...k)
            case .greater: return k == .max ? nil : .integers((k + 1)...(.max))
            case .greaterOrEqual: return .integers(k...(.max))
            default: return nil
            }
        case (.float, _), (.int, .float):
            guard let k = v.asDouble, !k.isNaN else { return nil }
            switch op {
            case .equal: return .floats(k...k)
            case .less, .lessOrEqual: return .floats(-.infinity...k)
            case .greater, .greaterOrEqual: return .floats(k...(.infinity))
            default: return nil
            }
        default:
            return nil
        }
    }
}
