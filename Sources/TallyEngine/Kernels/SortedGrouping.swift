import TallyCore

extension Grouping {
    /// Group ids numbered in ascending order of the keys, by sorting: for several keys into millions of groups whose
    /// order-preserving codes (as ``inKeyOrder(_:rowCount:)`` makes them) pack into 64 bits but are too many for its
    /// direct slots. Each row's packed code, a radix sort of (code, row) pairs, a group for each run of equal codes: no
    /// hash table of millions of entries, and no sort of the groups afterwards (six keys into ten million groups,
    /// db-benchmark's q10). Nil under `inKeyOrder`'s conditions, when the codes need more than 64 bits, when a sample of
    /// rows shows few groups (a hash table of them stays in cache and beats a sort), or when asked to stop.
    static func bySorting(_ keys: [Column], rowCount: Int) -> Grouping? {
        guard keys.count > 1, rowCount >= 1 << 20 else { return nil }
        var encoders: [OrderedKeyCodes] = []
        var product: UInt64 = 1
        for key in keys {
            guard let encoder = OrderedKeyCodes(key, limit: Int(Int32.max)) else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: UInt64(encoder.cardinality))
            guard !overflow else { return nil }
            product = next
            encoders.append(encoder)
        }
        var codes = [UInt64](repeating: 0, count: rowCount)
        codes.withUnsafeMutableBufferPointer { out in
            Morsels.forEach(rowCount) { range in
                for encoder in encoders { encoder.combine(into: out, range) }
            }
        }
        guard manyGroups(codes), let (sorted, rows) = RadixSort.pairs(codes, largest: product - 1) else { return nil }
        var ids = [Int32](repeating: 0, count: rowCount)
        var firstRows: [Int32] = []
        sorted.withUnsafeBufferPointer { code in
            rows.withUnsafeBufferPointer { row in
                ids.withUnsafeMutableBufferPointer { id in
                    // The sort is stable, so each run's first row is the group's first row.
                    for j in 0..<rowCount {
                        if j == 0 || code[j] != code[j - 1] { firstRows.append(row[j]) }
                        id[Int(row[j])] = Int32(firstRows.count - 1)
                    }
                }
            }
        }
        return Grouping(ids: ids, count: firstRows.count, firstRows: firstRows)
    }

    /// Whether evenly spread rows suggest more than about a million groups: under 5% repeats among 65,536 of them.
    private static func manyGroups(_ codes: [UInt64]) -> Bool {
        let sample = 1 << 16, step = max(1, codes.count / sample)
        var seen = Set<UInt64>(minimumCapacity: sample)
        var repeats = 0
        for i in stride(from: 0, to: codes.count, by: step) where !seen.insert(codes[i]).inserted { repeats += 1 }
        return repeats * 20 < seen.count
    }
}
