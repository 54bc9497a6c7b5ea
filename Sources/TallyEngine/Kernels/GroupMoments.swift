import TallyCore

/// Per-group counts, sums and squared deviations of a numeric column's non-null values, over the cores, each range
/// with its own accumulators merged in range order. Integers are summed exactly as 64-bit integers (compensated doubles
/// on overflow); doubles by Neumaier's compensated sum. The loops read raw buffers and test validity only when the
/// column has nulls (`avg` of three columns by a small key, db-benchmark's q4, spent its time in bounds checks).
enum GroupMoments {
    /// Each group's sum and count of non-null values.
    static func sumsAndCounts(_ x: Column, _ groups: [Int32], _ g: Int) -> (sums: [Double], counts: [Int]) {
        if x.type == .int, let exact = integerSums(x, groups, g) { return (exact.sums.map { Double($0) }, exact.counts) }
        let values = x.doubles
        let parts = Morsels.map(groups.count) { range in
            var sums = CompensatedSums(count: g)
            var counts = [Int](repeating: 0, count: g)
            sums.add(values, groups: groups, range, valid: x.validity, counts: &counts)
            return (sums, counts)
        }
        var (sums, counts) = parts[0]
        for (more, moreCounts) in parts.dropFirst() {
            sums.merge(more)
            for k in 0..<g { counts[k] += moreCounts[k] }
        }
        return (sums.totals, counts)
    }

    /// Each group's sum of squared deviations of its non-null values from `means`.
    static func squaredDeviations(_ x: Column, _ groups: [Int32], means: [Double], _ g: Int) -> [Double] {
        let values = x.doubles
        let parts = Morsels.map(groups.count) { range in
            var squares = [Double](repeating: 0, count: g)
            values.withUnsafeBufferPointer { v in
                groups.withUnsafeBufferPointer { group in
                    means.withUnsafeBufferPointer { mean in
                        squares.withUnsafeMutableBufferPointer { s in
                            for i in range where x.validity?[i] ?? true {
                                let k = Int(group[i]), d = v[i] - mean[k]
                                s[k] += d * d
                            }
                        }
                    }
                }
            }
            return squares
        }
        var squares = parts[0]
        for more in parts.dropFirst() { for k in 0..<g { squares[k] += more[k] } }
        return squares
    }

    /// Each group's exact sum and count of an integer column's non-null values; nil when a sum overflows 64 bits.
    static func integerSums(_ x: Column, _ groups: [Int32], _ g: Int) -> (sums: [Int64], counts: [Int])? {
        let parts = Morsels.map(groups.count) { range -> (sums: [Int64], counts: [Int], overflow: Bool) in
            var sums = [Int64](repeating: 0, count: g)
            var counts = [Int](repeating: 0, count: g)
            var overflow = false
            x.ints.withUnsafeBufferPointer { v in
                groups.withUnsafeBufferPointer { group in
                    sums.withUnsafeMutableBufferPointer { s in
                        counts.withUnsafeMutableBufferPointer { c in
                            @inline(__always) func add(_ i: Int) {
                                let k = Int(group[i])
                                let (total, over) = s[k].addingReportingOverflow(v[i])
                                s[k] = total
                                c[k] += 1
                                if over { overflow = true }
                            }
                            // No nulls: no test per row (two of db-benchmark q4's three columns).
                            if let valid = x.validity {
                                for i in range where valid[i] { add(i) }
                            } else {
                                for i in range { add(i) }
                            }
                        }
                    }
                }
            }
            return (sums, counts, overflow)
        }
        guard !parts.contains(where: \.overflow) else { return nil }
        var (sums, counts, _) = parts[0]
        for part in parts.dropFirst() {
            for k in 0..<g {
                let (total, over) = sums[k].addingReportingOverflow(part.sums[k])
                if over { return nil }
                sums[k] = total
                counts[k] += part.counts[k]
            }
        }
        return (sums, counts)
    }
}
