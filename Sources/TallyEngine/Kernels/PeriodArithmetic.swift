import TallyCore
import TallyLang

/// `period ± n` (n periods later or earlier: `month(date) + 1`, `quarter(today()) - 1`) and `period − period`
/// (how many periods apart, both of one kind).
enum PeriodArithmetic {
    static func apply(_ op: BinaryOperator, _ a: Column, _ b: Column) throws -> Column {
        let n = a.count
        let validity = andValidity(a, b)
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n where validity?[i] ?? true {
            switch (a.type, b.type) {
            case (.period, .period):
                let p = Period(encoded: a.ints[i]), q = Period(encoded: b.ints[i])
                guard p.kind == q.kind else {
                    throw KernelError(message: "cannot subtract \(q.description) from \(p.description): periods of different kinds",
                                      hints: ["compare periods of one kind, e.g. month(a) - month(b)"])
                }
                out[i] = q.distance(to: p)
            case (.period, _), (_, .period):
                let periodFirst = a.type == .period
                let p = Period(encoded: periodFirst ? a.ints[i] : b.ints[i])
                let steps = periodFirst ? b.ints[i] : a.ints[i]
                let (delta, overflow) = op == .subtract ? Int64(0).subtractingReportingOverflow(steps) : (steps, false)
                guard !overflow, let shifted = CalendarShift.shift(p, by: delta) else {
                    throw KernelError(message: "period out of range: \(p.description) \(op.rawValue) \(steps)",
                                      hints: ["dates run from 0001-01-01 to 9999-12-31"])
                }
                out[i] = shifted.encoded
            default:
                throw KernelError(message: "`\(op.rawValue)` needs a period")
            }
        }
        let resultType: DataType = a.type == .period && b.type == .period ? .int : .period
        return Column(ints: out, type: resultType, validity: validity)
    }
}
