/// Dense ids for 64-bit packed keys, numbered in order of first appearance: an open-addressing table with linear
/// probing, sized once for the most keys it can be given (no rehashing), its keys and ids in flat arrays. Grouping by
/// several keys packs their dense codes into one such key: ten million rows into ten million groups take one pass at a
/// few tens of nanoseconds a row, where a Swift dictionary per key took seconds each.
struct PackedKeyTable {
    private var keys: [UInt64]
    private var ids: [Int32]
    private let mask: Int
    private let shift: UInt64
    /// The row each id was first seen at.
    private(set) var firstRows: [Int32] = []

    /// A table for at most `capacity` distinct keys (kept under 5/8 full).
    init(capacity: Int) {
        var size = 16
        while size < capacity + capacity / 2 + 1 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        ids = [Int32](repeating: -1, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// The id of `key`, given a new one (seen first at `row`) when it is new.
    @inline(__always)
    mutating func id(_ key: UInt64, row: Int32) -> Int32 {
        // Fibonacci hashing: the top bits of key × 2^64/φ spread neighbouring keys across the table.
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let id = ids[slot]
            if id < 0 {
                let fresh = Int32(firstRows.count)
                ids[slot] = fresh
                keys[slot] = key
                firstRows.append(row)
                return fresh
            }
            if keys[slot] == key { return id }
            slot = (slot + 1) & mask
        }
    }
}
