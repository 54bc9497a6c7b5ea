import TallyCore

extension Grouping {
    /// Group ids numbered in ascending order of the keys (nulls last in each key, as the sort orders them), computed on
    /// every core; `nil` when a key is not an integer-backed or string column of a small enough range.
    ///
    /// Each key becomes an order-preserving code in `0..<cardinality` (`value - min` for integers, the dictionary rank for
    /// strings), the keys combine into one slot `((code₁ × card₂) + code₂) …`, which orders rows as the keys do; the slots
    /// that occur are numbered in ascending order. So an aggregation's rows come out sorted without sorting them.
    static func inKeyOrder(_ keys: [Column], rowCount: Int) -> Grouping? {
        guard !keys.isEmpty, rowCount > 0 else { return nil }
        let slotLimit = max(1 << 16, min(Grouping.directLimit, 2 * rowCount))
        var encoders: [OrderedKeyCodes] = []
        var slotCount = 1
        for key in keys {
            guard let encoder = OrderedKeyCodes(key, limit: slotLimit) else { return nil }
            let (product, overflow) = slotCount.multipliedReportingOverflow(by: encoder.cardinality)
            guard !overflow, product <= slotLimit else { return nil }
            slotCount = product
            encoders.append(encoder)
        }
        var slots = [Int32](repeating: 0, count: rowCount)
        let stopped = slots.withUnsafeMutableBufferPointer { out in
            Morsels.map(rowCount) { range -> Bool in
                for encoder in encoders {
                    if KernelInterrupt.isRequested() { return true }
                    encoder.combine(into: out, range)
                }
                return false
            }
        }
        // Asked to stop: the caller's grouping notices the request too and returns its valid, meaningless answer.
        if stopped.contains(true) { return nil }
        // Each range's first row of every slot; the earliest range that has one gives the slot's first row.
        let firstInRange: [[Int32]] = slots.withUnsafeBufferPointer { s in
            Morsels.map(rowCount) { range in
                var first = [Int32](repeating: -1, count: slotCount)
                first.withUnsafeMutableBufferPointer { f in
                    for i in range.reversed() { f[Int(s[i])] = Int32(i) }
                }
                return first
            }
        }
        var idOfSlot = [Int32](repeating: -1, count: slotCount)
        var firstRows: [Int32] = []
        for slot in 0..<slotCount {
            for first in firstInRange where first[slot] >= 0 {
                idOfSlot[slot] = Int32(firstRows.count)
                firstRows.append(first[slot])
                break
            }
        }
        idOfSlot.withUnsafeBufferPointer { ids in
            slots.withUnsafeMutableBufferPointer { s in
                Morsels.forEach(rowCount) { range in
                    for i in range { s[i] = ids[Int(s[i])] }
                }
            }
        }
        return Grouping(ids: slots, count: firstRows.count, firstRows: firstRows)
    }
}

/// One key's order-preserving codes in `0..<cardinality`, nulls taking the last code.
struct OrderedKeyCodes {
    let cardinality: Int
    private let column: Column
    /// Integer keys: the smallest value.
    private let lowest: Int64
    /// String keys: each dictionary entry's rank in sorted order.
    private let ranks: [Int32]

    /// `nil` for floats and nulls, and for integer keys whose range exceeds `limit`.
    init?(_ key: Column, limit: Int) {
        column = key
        switch key.type {
        case .string:
            lowest = 0
            ranks = key.isOrdinal ? key.dictionary.indices.map { Int32($0) } : Dictionaries.ranks(key.dictionary).map { Int32($0) }
            guard !ranks.isEmpty else { return nil }
            cardinality = (ranks.max().map { Int($0) + 1 } ?? 0) + 1
        case .int, .date, .period, .bool:
            ranks = []
            let bounds = key.ints.withUnsafeBufferPointer { v in
                Morsels.map(key.count) { range -> (Int64, Int64) in
                    var lo = Int64.max, hi = Int64.min
                    for i in range { lo = min(lo, v[i]); hi = max(hi, v[i]) }
                    return (lo, hi)
                }
            }
            let lo = bounds.map(\.0).min() ?? 0, hi = bounds.map(\.1).max() ?? 0
            let (span, overflow) = hi.subtractingReportingOverflow(lo)
            guard !overflow, span < Int64(limit) else { return nil }
            lowest = lo
            cardinality = Int(span) + 2
        case .float, .null:
            return nil
        }
    }

    /// `slots[i] = slots[i] × cardinality + code(i)` for the rows of `range`.
    func combine<Slot: FixedWidthInteger>(into slots: UnsafeMutableBufferPointer<Slot>, _ range: Range<Int>) {
        let card = Slot(cardinality), nullCode = Slot(cardinality - 1)
        if column.type == .string {
            column.codes.withUnsafeBufferPointer { c in
                ranks.withUnsafeBufferPointer { r in
                    for i in range { slots[i] = slots[i] &* card &+ Slot(truncatingIfNeeded: r[Int(c[i])]) }
                }
            }
        } else {
            let lo = lowest
            column.ints.withUnsafeBufferPointer { v in
                for i in range { slots[i] = slots[i] &* card &+ Slot(truncatingIfNeeded: v[i] &- lo) }
            }
        }
        guard let validity = column.validity else { return }
        for i in range where !validity[i] { slots[i] = slots[i] / card * card + nullCode }
    }
}
