import TallyCore
import TallyLang

/// A failure inside a kernel; the evaluator attaches the expression's source range.
struct KernelError: Error {
    let message: String
    var hints: [String] = []
}

enum Arithmetic {
    /// `a op b` for `+ - * / %` over ints, floats and dates; `type` is the bound result type.
    static func apply(_ op: BinaryOperator, _ a: Column, _ b: Column, type: DataType) throws -> Column {
        if a.type == .period || b.type == .period { return try PeriodArithmetic.apply(op, a, b) }
        let n = a.count
        var validity = andValidity(a, b)
        if type == .float {
            let x = a.doubles, y = b.doubles
            var out = [Double](repeating: 0, count: n)
            switch op {
            case .add: for i in 0..<n { out[i] = x[i] + y[i] }
            case .subtract: for i in 0..<n { out[i] = x[i] - y[i] }
            case .multiply: for i in 0..<n { out[i] = x[i] * y[i] }
            case .divide, .remainder:
                var zero: [Int] = []
                for i in 0..<n {
                    if y[i] == 0 { zero.append(i); continue }
                    out[i] = op == .divide ? x[i] / y[i] : x[i].truncatingRemainder(dividingBy: y[i])
                }
                if !zero.isEmpty {
                    var v = validity ?? Bitmap(count: n, value: true)
                    for i in zero { v[i] = false }
                    validity = v
                }
            default: throw KernelError(message: "unknown operator `\(op.rawValue)`")
            }
            return Column(floats: out, validity: validity)
        }
        // Integer-valued: int, date ± int, date − date.
        let x = a.ints, y = b.ints
        var out = [Int64](repeating: 0, count: n)
        var overflow = false
        switch op {
        case .add: for i in 0..<n { let (r, o) = x[i].addingReportingOverflow(y[i]); out[i] = r; overflow = overflow || o }
        case .subtract: for i in 0..<n { let (r, o) = x[i].subtractingReportingOverflow(y[i]); out[i] = r; overflow = overflow || o }
        case .multiply: for i in 0..<n { let (r, o) = x[i].multipliedReportingOverflow(by: y[i]); out[i] = r; overflow = overflow || o }
        case .remainder:
            var v = validity ?? Bitmap(count: n, value: true)
            var sawZero = false
            for i in 0..<n {
                if y[i] == 0 { v[i] = false; sawZero = true; continue }
                let (r, o) = x[i].remainderReportingOverflow(dividingBy: y[i])
                out[i] = r
                overflow = overflow || o
            }
            if sawZero { validity = v }
        default: throw KernelError(message: "unknown operator `\(op.rawValue)`")
        }
        if overflow {
            // Only rows that are not null count.
            throw KernelError(message: "integer overflow in `\(op.rawValue)`", hints: ["convert to float first with float(x)"])
        }
        if type == .date, let bad = (0..<n).first(where: { i in !CivilDate.supported.contains(out[i]) && (validity?[i] ?? true) }) {
            throw KernelError(message: "date out of range: day \(out[bad]) from 1970-01-01", hints: ["dates run from 0001-01-01 to 9999-12-31"])
        }
        return Column(ints: out, type: type, validity: validity)
    }

    /// Unary minus.
    static func negate(_ a: Column) throws -> Column {
        if a.type == .float { return Column(floats: a.floats.map { -$0 }, validity: a.validity) }
        if (0..<a.count).contains(where: { a.ints[$0] == .min && !a.isNull($0) }) {
            throw KernelError(message: "integer overflow in `-`", hints: ["convert to float first with float(x)"])
        }
        return Column(ints: a.ints.map { 0 &- $0 }, type: a.type, validity: a.validity)
    }
}
