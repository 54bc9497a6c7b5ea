import TallyCore
import TallyLang

/// Selection vectors straight from simple predicates — a column compared with a constant, in a
/// constant range or list — without building a bool column first.
enum Selection {
    /// The selected rows, or nil when the predicate is not of a simple form.
    static func direct(_ p: BoundExpr, _ ev: Evaluator) throws -> [Int32]? {
        switch p.kind {
        case .binary(let op, let a, let b) where [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(op):
            if let v = b.constantValue, a.constantValue == nil {
                return try compare(op, try ev.evaluate(a), v)
            }
            if let v = a.constantValue, b.constantValue == nil {
                return try compare(op.flipped, try ev.evaluate(b), v)
            }
            return nil
        case .between(let a, let lo, let hi):
            guard let l = lo.constantValue.flatMap(Evaluator.integerBound), let h = hi.constantValue.flatMap(Evaluator.integerBound) else { return nil }
            let x = try ev.evaluate(a)
            guard x.type == .int || x.type == .date || x.type == .period else { return nil }
            // An empty range (`in 10..5`) matches nothing.
            guard l <= h else { return [] }
            return scan(x, within: l...h) { v in v >= l && v <= h }
        case .inValues(let a, let values):
            let x = try ev.evaluate(a)
            guard x.type == .string else { return nil }
            let wanted = Set(values.compactMap { v -> String? in if case .string(let s) = v { return s } else { return nil } })
            let hit = x.dictionary.map { wanted.contains($0) }
            return scanCodes(x) { hit[Int($0)] }
        default:
            return nil
        }
    }

    static func compare(_ op: BinaryOperator, _ x: Column, _ v: Value) throws -> [Int32]? {
        switch (x.type, v) {
        case (.string, .string(let s)) where op == .equal || op == .notEqual:
            let code = x.dictionary.firstIndex(of: s).map(Int32.init) ?? -1
            return op == .equal ? scanCodes(x) { $0 == code } : scanCodes(x) { $0 != code }
        case (.int, .int(let k)), (.date, .date(let k)):
            return integers(op, x, k)
        case (.period, .period(let p)):
            return integers(op, x, p.encoded)
        case (.float, _), (.int, .float):
            guard let k = v.asDouble else { return nil }
            let f = x.type == .float ? x : x.asFloat()
            switch op {
            case .equal: return scanDoubles(f) { $0 == k }
            case .notEqual: return scanDoubles(f) { $0 != k }
            case .less: return scanDoubles(f) { $0 < k }
            case .lessOrEqual: return scanDoubles(f) { $0 <= k }
            case .greater: return scanDoubles(f) { $0 > k }
            default: return scanDoubles(f) { $0 >= k }
            }
        default:
            return nil
        }
    }

    /// The rows a range test on a zone-mapped integer column keeps, when they form one run without gaps (a date range
    /// over rows sorted by date); nil when the predicate is of another form or the kept rows are not one run. Only the
    /// blocks at the run's edges are read row by row.
    static func run(_ p: BoundExpr, _ ev: Evaluator) throws -> Range<Int>? {
        let column: BoundExpr, accepted: ClosedRange<Int64>
        switch p.kind {
        case .between(let a, let lo, let hi):
            guard let l = lo.constantValue.flatMap(Evaluator.integerBound), let h = hi.constantValue.flatMap(Evaluator.integerBound) else { return nil }
            guard l <= h else { return 0..<0 }
            (column, accepted) = (a, l...h)
        case .binary(let op, let a, let b):
            guard let v = b.constantValue, a.constantValue == nil, let k = Evaluator.integerBound(v), let range = acceptedRange(op, k) else { return nil }
            (column, accepted) = (a, range)
        default:
            return nil
        }
        guard case .column = column.kind else { return nil }
        let x = try ev.evaluate(column)
        guard x.type == .int || x.type == .date || x.type == .period, let zones = x.zones else { return nil }
        if case .binary(_, _, let b) = p.kind, b.constantValue?.type != x.type { return nil }
        var run: Range<Int>? = nil
        func extend(_ rows: Range<Int>) -> Bool {
            guard let current = run else { run = rows; return true }
            guard current.upperBound == rows.lowerBound else { return false }
            run = current.lowerBound..<rows.upperBound
            return true
        }
        return x.ints.withUnsafeBufferPointer { v -> Range<Int>? in
            for b in zones.minimums.indices {
                let start = b * ZoneMap.blockSize, end = min(v.count, start + ZoneMap.blockSize)
                let lo = zones.minimums[b], hi = zones.maximums[b]
                if hi < accepted.lowerBound || lo > accepted.upperBound { continue }
                if lo >= accepted.lowerBound, hi <= accepted.upperBound, x.validity == nil {
                    guard extend(start..<end) else { return nil }
                    continue
                }
                for i in start..<end where accepted.contains(v[i]) && !x.isNull(i) {
                    guard extend(i..<i + 1) else { return nil }
                }
            }
            return run ?? 0..<0
        }
    }

    /// The values `x op k` accepts, as one range; nil for `!=`.
    static func acceptedRange(_ op: BinaryOperator, _ k: Int64) -> ClosedRange<Int64>? {
        switch op {
        case .equal: return k...k
        case .less: return k == .min ? nil : Int64.min...(k - 1)
        case .lessOrEqual: return Int64.min...k
        case .greater: return k == .max ? nil : (k + 1)...Int64.max
        case .greaterOrEqual: return k...Int64.max
        default: return nil
        }
    }

    static func integers(_ op: BinaryOperator, _ x: Column, _ k: Int64) -> [Int32] {
        switch op {
        case .equal: return scan(x, within: k...k) { $0 == k }
        case .notEqual: return scan(x) { $0 != k }
        case .less: return k == .min ? [] : scan(x, within: Int64.min...(k - 1)) { $0 < k }
        case .lessOrEqual: return scan(x, within: Int64.min...k) { $0 <= k }
        case .greater: return k == .max ? [] : scan(x, within: (k + 1)...Int64.max) { $0 > k }
        default: return scan(x, within: k...Int64.max) { $0 >= k }
        }
    }

    /// Rows whose value passes `keep`; with a zone map and the range `keep` accepts, blocks outside
    /// the range are skipped and blocks wholly inside are taken without looking at each value.
    @inline(__always)
    static func scan(_ x: Column, within accepted: ClosedRange<Int64>? = nil, _ keep: (Int64) -> Bool) -> [Int32] {
        var rows: [Int32] = []
        x.ints.withUnsafeBufferPointer { v in
            guard let zones = x.zones, let accepted else {
                rows = scanValues(x.ints, x, keep)
                return
            }
            for b in zones.minimums.indices {
                let start = b * ZoneMap.blockSize, end = min(v.count, start + ZoneMap.blockSize)
                let lo = zones.minimums[b], hi = zones.maximums[b]
                if hi < accepted.lowerBound || lo > accepted.upperBound { continue }
                if lo >= accepted.lowerBound, hi <= accepted.upperBound, x.validity == nil {
                    for i in start..<end { rows.append(Int32(i)) }
                    continue
                }
                for i in start..<end where keep(v[i]) && !x.isNull(i) { rows.append(Int32(i)) }
            }
        }
        return rows
    }

    @inline(__always)
    static func scanDoubles(_ x: Column, _ keep: (Double) -> Bool) -> [Int32] { scanValues(x.floats, x, keep) }

    @inline(__always)
    static func scanCodes(_ x: Column, _ keep: (Int32) -> Bool) -> [Int32] { scanValues(x.codes, x, keep) }

    /// Rows of `x` whose value (from the array behind it) passes `keep`, nulls excluded.
    @inline(__always)
    static func scanValues<T>(_ values: [T], _ x: Column, _ keep: (T) -> Bool) -> [Int32] {
        var rows: [Int32] = []
        values.withUnsafeBufferPointer { v in
            for i in 0..<v.count where keep(v[i]) && !x.isNull(i) { rows.append(Int32(i)) }
        }
        return rows
    }
}
