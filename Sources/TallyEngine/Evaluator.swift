import TallyCore
import TallyLang

/// Evaluates bound expressions over all rows of a table, one column at a time.
struct Evaluator {
    let table: Table
    let isCancelled: CancellationCheck
    /// Computes the value of a sub-query used as a value (its plan and where it is written).
    var subquery: ((LogicalPlan, SourceRange) throws -> Value)?

    init(table: Table, isCancelled: @escaping CancellationCheck, subquery: ((LogicalPlan, SourceRange) throws -> Value)? = nil) {
        self.table = table
        self.isCancelled = isCancelled
        self.subquery = subquery
    }

    var rowCount: Int { table.rowCount }

    func evaluate(_ e: BoundExpr) throws -> Column {
        if isCancelled() { throw Cancelled() }
        do {
            return try evaluateUnchecked(e).coerced(to: e.type)
        } catch let k as KernelError {
            throw Diagnostic(k.message, at: e.range, hints: k.hints)
        }
    }

    private func evaluateUnchecked(_ e: BoundExpr) throws -> Column {
        let n = rowCount
        switch e.kind {
        case .column(let i):
            guard i < table.columns.count else {
                throw Diagnostic("this column does not exist in this result, which has \(table.columns.count) columns", at: e.range)
            }
            return table.columns[i]
        case .subquery(let plan):
            guard let subquery else { throw Diagnostic("a sub-query cannot be used as a value here", at: e.range) }
            return Column(repeating: try subquery(plan, e.range), count: n)
        case .constant(let v):
            return Column(repeating: v, count: n)
        case .unary(let op, let a):
            let c = try evaluate(a)
            return op == .not ? Logic.not(c) : try Arithmetic.negate(c)
        case .binary(let op, let a, let b):
            let x = try evaluate(a), y = try evaluate(b)
            switch op {
            case .and, .or: return Logic.apply(op, x, y)
            case .add, .subtract, .multiply, .divide, .remainder:
                return try Arithmetic.apply(op, x.coerced(to: e.type == .float ? .float : x.type), y.coerced(to: e.type == .float ? .float : y.type),
                    type: e.type)
            default:
                let common = DataType.unify(x.type, y.type) ?? x.type
                return Compare.apply(op, x.coerced(to: common), y.coerced(to: common))
            }
        case .scalar(let f, let args):
            let columns = try args.map(evaluate)
            if !f.takesNullType, columns.contains(where: { $0.type == .null }) { return Column(nulls: n, type: e.type) }
            let result = try f.eval(columns, n)
            return f.givesIdentifiers ? result.identifier() : result
        case .window(let f, let args, let partition):
            let grouping = Grouping(keys: try partition.map(evaluate), rowCount: n)
            return try f.compute(try args.map(evaluate), grouping)
        case .caseWhen(let arms):
            var choice = [Int32](repeating: -1, count: n)
            var values: [Column] = []
            for (k, (cond, value)) in arms.enumerated() {
                let c = try evaluate(cond)
                values.append(try evaluate(value))
                for i in 0..<n where choice[i] < 0 && c.isTrue(i) { choice[i] = Int32(k) }
            }
            return pick(values, choice: choice, type: e.type)
        case .inValues(let a, let values):
            return Compare.inValues(try evaluate(a), values)
        case .between(let a, let lo, let hi):
            let x = try evaluate(a)
            if x.type == .int || x.type == .date || x.type == .period, case .constant(let lv) = lo.kind, case .constant(let hv) = hi.kind,
               let l = Evaluator.integerBound(lv), let h = Evaluator.integerBound(hv) {
                // One pass, no intermediate columns: `lo <= x <= hi` on integers.
                var out = [Int64](repeating: 0, count: n)
                x.ints.withUnsafeBufferPointer { v in
                    out.withUnsafeMutableBufferPointer { o in
                        for i in 0..<n { o[i] = v[i] >= l && v[i] <= h ? 1 : 0 }
                    }
                }
                return Column(ints: out, type: .bool, validity: x.validity)
            }
            let l = try evaluate(lo), h = try evaluate(hi)
            let t = DataType.unify(x.type, DataType.unify(l.type, h.type) ?? l.type) ?? x.type
            let ge = Compare.apply(.greaterOrEqual, x.coerced(to: t), l.coerced(to: t))
            let le = Compare.apply(.lessOrEqual, x.coerced(to: t), h.coerced(to: t))
            return Logic.apply(.and, ge, le)
        case .isNull(let a, let negated):
            let c = try evaluate(a)
            let out = (0..<n).map { c.isNull($0) != negated ? Int64(1) : 0 }
            return Column(ints: out, type: .bool)
        case .bands(let bands):
            return Column(floats: bands.flatMap { [$0.0, $0.1] })
        }
    }

    /// The integer form of a constant bound (ints, dates, periods), if it has one.
    static func integerBound(_ v: Value) -> Int64? {
        switch v {
        case .int(let i), .date(let i): return i
        case .period(let p): return p.encoded
        default: return nil
        }
    }

    /// Evaluates a predicate and returns the rows where it is true.
    func selection(_ predicate: BoundExpr) throws -> [Int32] {
        if let rows = try Selection.direct(predicate, self) { return rows }
        let c = try evaluate(predicate)
        var rows: [Int32] = []
        rows.reserveCapacity(c.count / 4)
        if c.validity == nil {
            let v = c.ints
            for i in 0..<c.count where v[i] != 0 { rows.append(Int32(i)) }
        } else {
            for i in 0..<c.count where c.isTrue(i) { rows.append(Int32(i)) }
        }
        return rows
    }

}
