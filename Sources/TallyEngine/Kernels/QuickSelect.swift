/// The k-th smallest of a buffer's doubles without sorting it: Hoare's quickselect with a median-of-three pivot, in
/// place, linear on average; a range that keeps splitting lopsided is sorted instead, so no input makes it quadratic.
enum QuickSelect {
    /// The value a sort would put at `k`, leaving every value before `k` no larger and every value after no smaller.
    static func select(_ v: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var left = 0, right = v.count - 1
        var rounds = 2 * (Int.bitWidth - v.count.leadingZeroBitCount) + 8
        while right > left {
            if rounds == 0 {
                var rest = UnsafeMutableBufferPointer(rebasing: v[left...right])
                rest.sort()
                return v[k]
            }
            rounds -= 1
            let mid = left + (right - left) / 2
            if v[mid] < v[left] { v.swapAt(mid, left) }
            if v[right] < v[left] { v.swapAt(right, left) }
            if v[right] < v[mid] { v.swapAt(right, mid) }
            let pivot = v[mid]
            var i = left, j = right
            while i <= j {
                while v[i] < pivot { i += 1 }
                while v[j] > pivot { j -= 1 }
                if i <= j {
                    v.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now left...j hold values ≤ pivot, i...right values ≥ pivot, and anything between equals it.
            if k <= j { right = j } else if k >= i { left = i } else { return v[k] }
        }
        return v[k]
    }

    /// The `p`-quantile by linear interpolation between neighbours, as ``Quantile/linear(_:_:)`` gives on the sorted
    /// values (the same rule as DuckDB's `quantile_cont`); the buffer's order is changed.
    static func quantile(_ v: UnsafeMutableBufferPointer<Double>, _ p: Double) -> Double {
        guard !v.isEmpty else { return .nan }
        let position = min(1, max(0, p)) * Double(v.count - 1)
        let low = Int(position.rounded(.down))
        let below = select(v, low)
        guard low + 1 < v.count else { return below }
        let above = UnsafeMutableBufferPointer(rebasing: v[(low + 1)...]).min()!
        return below + (above - below) * (position - Double(low))
    }
}
