import TallyCore

/// Stable multi-key sorting producing a row permutation; nulls sort last in either direction.
///
/// Every key becomes an order-preserving `UInt64` per row (integers with the sign bit flipped,
/// doubles by their IEEE bits, strings by dictionary rank, inverted for descending keys), so the
/// sort compares plain integers.
enum Sorter {
    static func permutation(keys: [(Column, descending: Bool)], rowCount: Int) -> [Int32] {
        guard !keys.isEmpty, rowCount > 1 else { return (0..<Int32(rowCount)).map { $0 } }
        var nullRows: [Int32] = []
        var rows: [Int32] = []
        if keys.contains(where: { $0.0.validity != nil }) {
            // Rows with a null in the first key go last; nulls in later keys sort by code below.
            let first = keys[0].0
            rows.reserveCapacity(rowCount)
            for i in 0..<rowCount { if first.isNull(i) { nullRows.append(Int32(i)) } else { rows.append(Int32(i)) } }
        } else {
            rows = (0..<Int32(rowCount)).map { $0 }
        }
        let codes = keys.map { sortCodes($0.0, descending: $0.descending) }
        if codes.count == 1 {
            let c = codes[0]
            var pairs = rows.map { (c[Int($0)], $0) }
            pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            return pairs.map(\.1) + nullRows
        }
        codes.withUnsafeBufferPointers { k in
            rows.sort { a, b in
                for key in k {
                    let x = key[Int(a)], y = key[Int(b)]
                    if x != y { return x < y }
                }
                return a < b
            }
        }
        return rows + nullRows
    }

    /// Order-preserving codes; nulls get the largest code so they come last among equal earlier keys.
    static func sortCodes(_ c: Column, descending: Bool) -> [UInt64] {
        var out: [UInt64]
        switch c.type {
        case .string:
            let ranks = Dictionaries.ranks(c.dictionary)
            out = c.codes.map { UInt64(ranks[Int($0)]) }
        case .float:
            out = c.floats.map { d in
                let bits = (d == 0 ? 0.0 : d).bitPattern
                return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
            }
        case .null:
            out = [UInt64](repeating: 0, count: c.count)
        default:
            out = c.ints.map { UInt64(bitPattern: $0) ^ (1 << 63) }
        }
        if descending { for i in out.indices { out[i] = ~out[i] } }
        if c.validity != nil { for i in 0..<c.count where c.isNull(i) { out[i] = .max } }
        return out
    }
}

extension Array where Element == [UInt64] {
    /// Unsafe views of every inner array, for tight comparison loops without reference counting.
    func withUnsafeBufferPointers<R>(_ body: ([UnsafeBufferPointer<UInt64>]) -> R) -> R {
        func nest(_ k: Int, _ acc: [UnsafeBufferPointer<UInt64>]) -> R {
            if k == count { return body(acc) }
            return self[k].withUnsafeBufferPointer { nest(k + 1, acc + [$0]) }
        }
        return nest(0, [])
    }
}
