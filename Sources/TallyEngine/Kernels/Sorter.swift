import TallyCore

/// Stable multi-key sorting producing a row permutation; nulls sort last in either direction, and rows with a null in
/// one key are ordered by the keys after it (SQL's `ORDER BY a NULLS LAST, b`).
///
/// Every key becomes an order-preserving `UInt64` per row (integers with the sign bit flipped,
/// doubles by their IEEE bits, strings by dictionary rank, inverted for descending keys), sorted by
/// a stable radix sort, last key first.
enum Sorter {
    static func permutation(keys: [(Column, descending: Bool)], rowCount: Int) -> [Int32] {
        guard !keys.isEmpty, rowCount > 1 else { return (0..<Int32(rowCount)).map { $0 } }
        var nullRows: [Int32] = []
        var rows: [Int32] = []
        if keys.contains(where: { $0.0.validity != nil }) {
            // Rows with a null in the first key go last, ordered by the later keys; nulls in later keys sort by code.
            let first = keys[0].0
            rows.reserveCapacity(rowCount)
            for i in 0..<rowCount { if first.isNull(i) { nullRows.append(Int32(i)) } else { rows.append(Int32(i)) } }
        } else {
            rows = (0..<Int32(rowCount)).map { $0 }
        }
        let codes = keys.map { sortCodes($0.0, descending: $0.descending) }
        for key in codes.dropFirst().reversed() { nullRows = RadixSort.stable(nullRows, by: key) }
        if let packed = packed(codes) { return RadixSort.stable(rows, by: packed) + nullRows }
        // A stable LSD radix sort, last key first: equal keys keep row order, so the sort is stable.
        for key in codes.reversed() { rows = RadixSort.stable(rows, by: key) }
        return rows + nullRows
    }

    /// Several keys' codes as one, when their spans fit 64 bits together: each key's code less its smallest, the first
    /// key in the highest bits. One radix sort then takes a pass per 16 bits of the whole, not per key (six keys of
    /// db-benchmark's q10, 62 bits in all, take 4 passes where they took 8, over one array of codes instead of six).
    static func packed(_ codes: [[UInt64]]) -> [UInt64]? {
        guard codes.count > 1, let n = codes.first?.count else { return nil }
        var spans: [(low: UInt64, width: Int)] = []
        var total = 0
        for key in codes {
            guard let low = key.min(), let high = key.max() else { return nil }
            let width = 64 - (high - low).leadingZeroBitCount
            total += width
            guard total <= 64 else { return nil }
            spans.append((low, width))
        }
        var out = [UInt64](repeating: 0, count: n)
        for (key, span) in zip(codes, spans) where span.width > 0 {
            key.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<n { o[i] = o[i] << UInt64(span.width) | (c[i] - span.low) }
                }
            }
        }
        return out
    }

    /// Order-preserving codes; nulls get the largest code so they come last among equal earlier keys.
    static func sortCodes(_ c: Column, descending: Bool) -> [UInt64] {
        var out: [UInt64]
        switch c.type {
        case .string:
            if c.isOrdinal {
                out = c.codes.map { UInt64($0) }
            } else {
                let ranks = Dictionaries.ranks(c.dictionary)
                out = c.codes.map { UInt64(ranks[Int($0)]) }
            }
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

/// Least-significant-digit radix sort of row numbers by 64-bit codes, 16 bits a pass, skipping
/// passes where every code has the same digit.
enum RadixSort {
    /// The codes sorted, each with its row, stable (equal codes keep row order); the pairs move together, so a pass
    /// reads them in order instead of looking each row's code up. Passes stop at the highest digit of `largest`. Nil
    /// when asked to stop.
    static func pairs(_ codes: [UInt64], largest: UInt64) -> (codes: [UInt64], rows: [Int32])? {
        let n = codes.count
        var keys = codes, rows = (0..<Int32(n)).map { $0 }
        var keysOut = [UInt64](repeating: 0, count: n), rowsOut = [Int32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 1 << 16)
        let bits = 64 - largest.leadingZeroBitCount
        for shift in stride(from: 0, to: bits, by: 16) {
            if KernelInterrupt.isRequested() { return nil }
            for d in counts.indices { counts[d] = 0 }
            keys.withUnsafeBufferPointer { k in
                for i in 0..<n { counts[Int((k[i] >> UInt64(shift)) & 0xFFFF)] += 1 }
            }
            if counts.contains(n) { continue }
            var total = 0
            for d in counts.indices { (counts[d], total) = (total, total + counts[d]) }
            keys.withUnsafeBufferPointer { k in
                rows.withUnsafeBufferPointer { r in
                    keysOut.withUnsafeMutableBufferPointer { ko in
                        rowsOut.withUnsafeMutableBufferPointer { ro in
                            counts.withUnsafeMutableBufferPointer { c in
                                for i in 0..<n {
                                    let d = Int((k[i] >> UInt64(shift)) & 0xFFFF)
                                    ko[c[d]] = k[i]
                                    ro[c[d]] = r[i]
                                    c[d] += 1
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keysOut)
            swap(&rows, &rowsOut)
        }
        return (keys, rows)
    }

    static func stable(_ rows: [Int32], by codes: [UInt64]) -> [Int32] {
        guard rows.count > 1 else { return rows }
        if rows.count < 4096 {
            // Small inputs: a comparison sort, ties broken by the current position.
            var keyed = rows.enumerated().map { (codes[Int($0.element)], $0.offset, $0.element) }
            keyed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            return keyed.map(\.2)
        }
        var current = rows
        var scratch = [Int32](repeating: 0, count: rows.count)
        var counts = [Int](repeating: 0, count: 1 << 16)
        let morsel = 1 << 16
        var interrupted = false
        codes.withUnsafeBufferPointer { code in
            for shift in stride(from: 0, to: 64, by: 16) {
                for k in counts.indices { counts[k] = 0 }
                current.withUnsafeBufferPointer { r in
                    for start in stride(from: 0, to: r.count, by: morsel) {
                        if KernelInterrupt.isRequested() { interrupted = true; return }
                        for row in r[start..<min(start + morsel, r.count)] { counts[Int((code[Int(row)] >> UInt64(shift)) & 0xFFFF)] += 1 }
                    }
                }
                if interrupted { break }
                if counts.contains(rows.count) { continue }
                var total = 0
                for k in counts.indices { let c = counts[k]; counts[k] = total; total += c }
                current.withUnsafeBufferPointer { r in
                    scratch.withUnsafeMutableBufferPointer { out in
                        for start in stride(from: 0, to: r.count, by: morsel) {
                            if KernelInterrupt.isRequested() { interrupted = true; return }
                            for row in r[start..<min(start + morsel, r.count)] {
                                let digit = Int((code[Int(row)] >> UInt64(shift)) & 0xFFFF)
                                out[counts[digit]] = row
                                counts[digit] += 1
                            }
                        }
                    }
                }
                if interrupted { break }
                swap(&current, &scratch)
            }
        }
        // Asked to stop: the rows as they came are a valid (unsorted) permutation.
        if interrupted { return rows }
        return current
    }
}
