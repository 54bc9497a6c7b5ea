/// The first `n` rows of every group by one order-preserving code per row, in one pass with a bounded max-heap per
/// group (as DuckDB's and Polars' top-k per group), instead of sorting every row: ten million rows into a million groups
/// keep at most `n` candidates each.
enum GroupTopN {
    /// The rows kept, ascending by row number: per group, the `n` rows with the smallest codes, ties to the earlier
    /// row (what a stable sort followed by taking each group's first `n` keeps). Nil when the heaps would hold more
    /// slots than there are rows, where sorting costs no more.
    static func rows(_ n: Int, codes: [UInt64], groups: Grouping) -> [Int32]? {
        let rowCount = codes.count
        guard n > 0, groups.count > 0 else { return [] }
        let (slots, overflow) = groups.count.multipliedReportingOverflow(by: n)
        guard !overflow, slots <= rowCount else { return nil }
        var heapCodes = [UInt64](repeating: 0, count: slots)
        var heapRows = [Int32](repeating: 0, count: slots)
        var sizes = [Int32](repeating: 0, count: groups.count)
        codes.withUnsafeBufferPointer { code in
            groups.ids.withUnsafeBufferPointer { ids in
                heapCodes.withUnsafeMutableBufferPointer { hc in
                    heapRows.withUnsafeMutableBufferPointer { hr in
                        for row in 0..<rowCount {
                            let g = Int(ids[row])
                            let base = g * n
                            let c = code[row]
                            let size = Int(sizes[g])
                            if size < n {
                                siftUp(c, Int32(row), at: size, base: base, hc, hr)
                                sizes[g] += 1
                            } else if c < hc[base] {
                                // Rows come in order, so a later row with the root's code is worse and stays out.
                                siftDown(c, Int32(row), count: n, base: base, hc, hr)
                            }
                        }
                    }
                }
            }
        }
        var kept: [Int32] = []
        kept.reserveCapacity(slots)
        for g in 0..<groups.count { kept.append(contentsOf: heapRows[g * n..<g * n + Int(sizes[g])]) }
        kept.sort()
        return kept
    }

    /// Whether (c1, r1) comes after (c2, r2): a larger code, or the same code on a later row.
    @inline(__always)
    private static func after(_ c1: UInt64, _ r1: Int32, _ c2: UInt64, _ r2: Int32) -> Bool {
        c1 != c2 ? c1 > c2 : r1 > r2
    }

    /// Adds an entry at the end of a heap of `at` entries, keeping the last row in order at the root.
    @inline(__always)
    private static func siftUp(_ c: UInt64, _ r: Int32, at position: Int, base: Int,
                               _ hc: UnsafeMutableBufferPointer<UInt64>, _ hr: UnsafeMutableBufferPointer<Int32>) {
        var i = position
        while i > 0 {
            let parent = (i - 1) / 2
            guard after(c, r, hc[base + parent], hr[base + parent]) else { break }
            hc[base + i] = hc[base + parent]
            hr[base + i] = hr[base + parent]
            i = parent
        }
        hc[base + i] = c
        hr[base + i] = r
    }

    /// Replaces a full heap's root with an entry that comes before it.
    @inline(__always)
    private static func siftDown(_ c: UInt64, _ r: Int32, count: Int, base: Int,
                                 _ hc: UnsafeMutableBufferPointer<UInt64>, _ hr: UnsafeMutableBufferPointer<Int32>) {
        var i = 0
        while true {
            var child = 2 * i + 1
            guard child < count else { break }
            if child + 1 < count, after(hc[base + child + 1], hr[base + child + 1], hc[base + child], hr[base + child]) {
                child += 1
            }
            guard after(hc[base + child], hr[base + child], c, r) else { break }
            hc[base + i] = hc[base + child]
            hr[base + i] = hr[base + child]
            i = child
        }
        hc[base + i] = c
        hr[base + i] = r
    }
}
