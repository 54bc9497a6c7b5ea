import TallyCore

/// Stable multi-key sorting producing a row permutation; nulls sort last in either direction.
enum Sorter {
    enum Key {
        case ints([Int64])
        case doubles([Double])
    }

    static func permutation(keys: [(Column, descending: Bool)], rowCount: Int) -> [Int32] {
        let prepared: [(Key, Bool, Column)] = keys.map { c, desc in
            switch c.type {
            case .string:
                let ranks = Dictionaries.ranks(c.dictionary)
                return (.ints(c.codes.map { ranks[Int($0)] }), desc, c)
            case .float: return (.doubles(c.floats), desc, c)
            default: return (.ints(c.ints), desc, c)
            }
        }
        var order = (0..<Int32(rowCount)).map { $0 }
        if prepared.count == 1, case .ints(let k) = prepared[0].0, prepared[0].2.validity == nil {
            let desc = prepared[0].1
            order.sort { a, b in
                let x = k[Int(a)], y = k[Int(b)]
                if x != y { return desc ? x > y : x < y }
                return a < b
            }
            return order
        }
        order.sort { a, b in
            let i = Int(a), j = Int(b)
            for (key, desc, col) in prepared {
                let ni = col.isNull(i), nj = col.isNull(j)
                if ni != nj { return nj }
                if ni { continue }
                switch key {
                case .ints(let k):
                    if k[i] != k[j] { return desc ? k[i] > k[j] : k[i] < k[j] }
                case .doubles(let k):
                    if k[i] != k[j] { return desc ? k[i] > k[j] : k[i] < k[j] }
                }
            }
            return a < b
        }
        return order
    }
}
