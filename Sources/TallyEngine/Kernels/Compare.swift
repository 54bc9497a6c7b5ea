import TallyCore
import TallyLang

enum Compare {
    /// Orders both columns on a common integer or double scale.
    enum Keys {
        case ints([Int64], [Int64])
        case doubles([Double], [Double])
    }

    static func keys(_ a: Column, _ b: Column) -> Keys {
        if a.type == .string || b.type == .string {
            let (merged, remaps) = Dictionaries.merge([a.dictionary, b.dictionary])
            let ranks = Dictionaries.ranks(merged)
            let ka = a.codes.map { ranks[Int(remaps[0][Int($0)])] }
            let kb = b.codes.map { ranks[Int(remaps[1][Int($0)])] }
            return .ints(ka, kb)
        }
        if a.type == .float || b.type == .float { return .doubles(a.doubles, b.doubles) }
        return .ints(a.ints, b.ints)
    }

    /// `a op b` for `== != < <= > >=`; null if either side is null.
    static func apply(_ op: BinaryOperator, _ a: Column, _ b: Column) -> Column {
        let n = a.count
        var out = [Int64](repeating: 0, count: n)
        if a.type == .string, b.type == .string, op == .equal || op == .notEqual, b.dictionary.count == 1, !b.hasNulls {
            // Constant string: one dictionary lookup, then integer compares.
            let target = a.dictionary.firstIndex(of: b.dictionary[0]).map(Int32.init) ?? -1
            let eq: Int64 = op == .equal ? 1 : 0
            let codes = a.codes
            for i in 0..<n { out[i] = codes[i] == target ? eq : 1 - eq }
            return Column(ints: out, type: .bool, validity: andValidity(a, b))
        }
        switch keys(a, b) {
        case .ints(let x, let y): fill(&out, op, x, y)
        case .doubles(let x, let y): fill(&out, op, x, y)
        }
        return Column(ints: out, type: .bool, validity: andValidity(a, b))
    }

    @inline(__always)
    static func fill<T: Comparable>(_ out: inout [Int64], _ op: BinaryOperator, _ x: [T], _ y: [T]) {
        let n = out.count
        switch op {
        case .equal: for i in 0..<n { out[i] = x[i] == y[i] ? 1 : 0 }
        case .notEqual: for i in 0..<n { out[i] = x[i] != y[i] ? 1 : 0 }
        case .less: for i in 0..<n { out[i] = x[i] < y[i] ? 1 : 0 }
        case .lessOrEqual: for i in 0..<n { out[i] = x[i] <= y[i] ? 1 : 0 }
        case .greater: for i in 0..<n { out[i] = x[i] > y[i] ? 1 : 0 }
        default: for i in 0..<n { out[i] = x[i] >= y[i] ? 1 : 0 }
        }
    }

    /// Membership in a list of constants.
    static func inValues(_ a: Column, _ values: [Value]) -> Column {
        let n = a.count
        var out = [Int64](repeating: 0, count: n)
        switch a.type {
        case .string:
            let wanted = Set(values.compactMap { v -> String? in if case .string(let s) = v { return s } else { return nil } })
            let hit = a.dictionary.map { wanted.contains($0) }
            for i in 0..<n { out[i] = hit[Int(a.codes[i])] ? 1 : 0 }
        case .float, .int:
            let wanted = Set(values.compactMap(\.asDouble))
            let x = a.doubles
            for i in 0..<n { out[i] = wanted.contains(x[i]) ? 1 : 0 }
        default:
            let wanted = Set(values.compactMap { v -> Int64? in
                switch v {
                case .date(let d): return d
                case .period(let p): return p.encoded
                case .bool(let b): return b ? 1 : 0
                default: return nil
                }
            })
            for i in 0..<n { out[i] = wanted.contains(a.ints[i]) ? 1 : 0 }
        }
        return Column(ints: out, type: .bool, validity: a.validity)
    }
}

enum Logic {
    /// Three-valued `and`/`or`: `false and null` is false, `true or null` is true.
    static func apply(_ op: BinaryOperator, _ a: Column, _ b: Column) -> Column {
        let n = a.count
        var out = [Int64](repeating: 0, count: n)
        guard a.validity != nil || b.validity != nil else {
            if op == .and { for i in 0..<n { out[i] = a.ints[i] & b.ints[i] } } else { for i in 0..<n { out[i] = a.ints[i] | b.ints[i] } }
            return Column(ints: out, type: .bool)
        }
        var valid = Bitmap(count: n, value: true)
        for i in 0..<n {
            let an = a.isNull(i), bn = b.isNull(i)
            let av = a.ints[i] != 0, bv = b.ints[i] != 0
            if op == .and {
                if (!an && !av) || (!bn && !bv) { out[i] = 0 } else if an || bn { valid[i] = false } else { out[i] = 1 }
            } else {
                if (!an && av) || (!bn && bv) { out[i] = 1 } else if an || bn { valid[i] = false } else { out[i] = 0 }
            }
        }
        return Column(ints: out, type: .bool, validity: valid)
    }

    static func not(_ a: Column) -> Column {
        Column(ints: a.ints.map { $0 == 0 ? 1 : 0 }, type: .bool, validity: a.validity)
    }
}
