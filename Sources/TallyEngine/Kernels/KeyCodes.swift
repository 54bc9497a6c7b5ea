import TallyCore

/// Integer codes that are equal exactly when the values are equal, for hashing and grouping.
enum KeyCodes {
    /// Code used for null keys (nulls group together).
    static let nullCode = Int64.min

    /// One code per row; strings use their (unique) dictionary codes.
    static func of(_ c: Column) -> [Int64] {
        var out: [Int64]
        switch c.type {
        case .string: out = c.codes.map { Int64($0) }
        case .float: out = c.floats.map { $0 == 0 ? 0 : Int64(bitPattern: $0.bitPattern) }
        case .null: out = [Int64](repeating: nullCode, count: c.count)
        default: out = c.ints
        }
        if c.validity != nil { for i in 0..<c.count where c.isNull(i) { out[i] = nullCode } }
        return out
    }
}

/// Dense group ids for the rows of one or more key columns, numbered in order of first appearance.
struct Grouping {
    var ids: [Int32]
    var count: Int
    /// The first row of each group.
    var firstRows: [Int32]

    init(keys: [Column], rowCount: Int) {
        guard !keys.isEmpty else {
            ids = [Int32](repeating: 0, count: rowCount)
            count = rowCount > 0 ? 1 : 0
            firstRows = rowCount > 0 ? [0] : []
            return
        }
        var current = [Int32](repeating: 0, count: rowCount)
        var groupCount = rowCount > 0 ? 1 : 0
        var first: [Int32] = rowCount > 0 ? [0] : []
        for (k, key) in keys.enumerated() {
            if key.type == .string, k == 0, !key.hasNulls {
                // Perfect hash: the dictionary code is the key; renumber by first appearance.
                var map = [Int32](repeating: -1, count: key.dictionary.count)
                first = []
                for i in 0..<rowCount {
                    let c = Int(key.codes[i])
                    if map[c] < 0 { map[c] = Int32(first.count); first.append(Int32(i)) }
                    current[i] = map[c]
                }
                groupCount = first.count
                continue
            }
            let codes = KeyCodes.of(key)
            var table: [GroupedKey: Int32] = [:]
            table.reserveCapacity(min(rowCount, 1 << 16))
            first = []
            for i in 0..<rowCount {
                let gk = GroupedKey(group: current[i], key: codes[i])
                if let g = table[gk] {
                    current[i] = g
                } else {
                    let g = Int32(first.count)
                    table[gk] = g
                    first.append(Int32(i))
                    current[i] = g
                }
            }
            groupCount = first.count
        }
        ids = current
        count = groupCount
        firstRows = first
    }
}
