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
///
/// Each key becomes small dense codes (dictionary codes for strings, `value - min` for integers of a
/// small range, a hash map otherwise); keys combine as `group * cardinality + code` through a direct
/// array when that fits, else all the keys' codes are packed into one 64-bit number per row and numbered in one pass
/// through a ``PackedKeyTable`` (when their cardinalities multiply to less than 2^64), else key by key through one.
struct Grouping {
    var ids: [Int32]
    var count: Int
    /// The first row of each group.
    var firstRows: [Int32]

    /// Direct arrays up to this many slots; hash maps beyond.
    static let directLimit = 1 << 23

    init(ids: [Int32], count: Int, firstRows: [Int32]) {
        self.ids = ids
        self.count = count
        self.firstRows = firstRows
    }

    init(keys: [Column], rowCount: Int) {
        guard !keys.isEmpty, rowCount > 0 else {
            ids = [Int32](repeating: 0, count: rowCount)
            count = rowCount > 0 ? 1 : 0
            firstRows = rowCount > 0 ? [0] : []
            return
        }
        let dense = keys.map(Grouping.denseCodes)
        if let packed = Grouping.packedInOnePass(dense, rowCount: rowCount) {
            self = packed
            return
        }
        var current = [Int32](repeating: 0, count: rowCount)
        var groupCount = 1
        var first: [Int32] = [0]
        var interrupted = false
        for (codes, cardinality) in dense where !interrupted {
            first = []
            if groupCount * cardinality <= Grouping.directLimit {
                var slots = [Int32](repeating: -1, count: groupCount * cardinality)
                codes.withUnsafeBufferPointer { c in
                    current.withUnsafeMutableBufferPointer { g in
                        slots.withUnsafeMutableBufferPointer { s in
                            for i in 0..<rowCount {
                                if KernelInterrupt.check(i) { interrupted = true; break }
                                let slot = Int(g[i]) * cardinality + Int(c[i])
                                var id = s[slot]
                                if id < 0 { id = Int32(first.count); s[slot] = id; first.append(Int32(i)) }
                                g[i] = id
                            }
                        }
                    }
                }
            } else {
                var table = PackedKeyTable(capacity: min(rowCount, groupCount * cardinality))
                for i in 0..<rowCount {
                    if KernelInterrupt.check(i) { interrupted = true; break }
                    current[i] = table.id(UInt64(UInt32(bitPattern: current[i])) << 32 | UInt64(UInt32(bitPattern: codes[i])), row: Int32(i))
                }
                first = table.firstRows
            }
            groupCount = first.count
        }
        if interrupted {
            // Asked to stop: every row in one group is a valid (meaningless) grouping; nothing half-built escapes.
            ids = [Int32](repeating: 0, count: rowCount)
            count = 1
            firstRows = [0]
            return
        }
        ids = current
        count = groupCount
        firstRows = first
    }

    /// The groups of several keys in one pass, when their codes do not fit a direct array together but pack into 64 bits
    /// (`code₁ + card₁ × (code₂ + card₂ × …)`); nil otherwise, or when asked to stop (the caller then stops too).
    static func packedInOnePass(_ dense: [([Int32], Int)], rowCount: Int) -> Grouping? {
        guard dense.count > 1 else { return nil }
        var product: UInt64 = 1
        for (_, cardinality) in dense {
            let (next, over) = product.multipliedReportingOverflow(by: UInt64(cardinality))
            guard !over else { return nil }
            product = next
        }
        guard product > UInt64(directLimit) else { return nil }
        var table = PackedKeyTable(capacity: Int(min(UInt64(rowCount), product)))
        var ids = [Int32](repeating: 0, count: rowCount)
        for i in 0..<rowCount {
            if KernelInterrupt.check(i) { return nil }
            var key: UInt64 = 0
            for (codes, cardinality) in dense.reversed() { key = key &* UInt64(cardinality) &+ UInt64(UInt32(bitPattern: codes[i])) }
            ids[i] = table.id(key, row: Int32(i))
        }
        return Grouping(ids: ids, count: table.firstRows.count, firstRows: table.firstRows)
    }

    /// Codes in `0..<cardinality` that are equal exactly when the keys are (nulls get their own code).
    static func denseCodes(_ key: Column) -> ([Int32], Int) {
        let n = key.count
        switch key.type {
        case .string:
            let card = key.dictionary.count
            guard key.validity != nil else { return (key.codes, card) }
            var codes = key.codes
            for i in 0..<n where key.isNull(i) { codes[i] = Int32(card) }
            return (codes, card + 1)
        case .float, .null:
            return hashed(KeyCodes.of(key))
        default:
            let v = key.ints
            var lo = Int64.max, hi = Int64.min
            for x in v { lo = min(lo, x); hi = max(hi, x) }
            let (span, overflow) = hi.subtractingReportingOverflow(lo)
            guard !overflow, span < Int64(max(1 << 20, n * 2)) else { return hashed(KeyCodes.of(key)) }
            let nullCode = Int32(span + 1)
            var codes = [Int32](repeating: 0, count: n)
            v.withUnsafeBufferPointer { src in
                codes.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<n { dst[i] = Int32(truncatingIfNeeded: src[i] &- lo) }
                }
            }
            if key.validity != nil { for i in 0..<n where key.isNull(i) { codes[i] = nullCode } }
            return (codes, Int(span) + 2)
        }
    }

    /// Dense codes through a hash map, for keys of a wide range.
    static func hashed(_ keys: [Int64]) -> ([Int32], Int) {
        var map: [Int64: Int32] = [:]
        var codes = [Int32](repeating: 0, count: keys.count)
        for (i, k) in keys.enumerated() {
            // Asked to stop: one code for every row (a valid, meaningless key).
            if KernelInterrupt.check(i) { return ([Int32](repeating: 0, count: keys.count), 1) }
            if let c = map[k] { codes[i] = c } else {
                let c = Int32(map.count)
                map[k] = c
                codes[i] = c
            }
        }
        return (codes, max(1, map.count))
    }
}

extension Grouping {
    /// The groups of a verb's `by` keys: without keys every row, even when there are none, is in the one group 0.
    init(byKeys keys: [Column], rowCount: Int) {
        self.init(keys: keys, rowCount: rowCount)
        if keys.isEmpty { count = 1 }
    }

    /// The group numbers in ascending order of their key values (the single group without keys).
    func sortedByKeys(_ keys: [Column]) -> [Int32] {
        keys.isEmpty ? [0] : Sorter.permutation(keys: keys.map { ($0.gather(firstRows), false) }, rowCount: count)
    }
}
