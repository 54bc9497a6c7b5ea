/// Per-block minimum and maximum of an integer-backed column (ints, dates, periods).
public struct ZoneMap: Sendable {
    public static let blockSize = 1 << 16
    public let minimums: [Int64]
    public let maximums: [Int64]

    /// The zone map of a column, or nil for types without one and for small columns.
    public init?(_ c: Column) {
        guard c.type == .int || c.type == .date || c.type == .period, c.count >= 2 * ZoneMap.blockSize else { return nil }
        var lo: [Int64] = [], hi: [Int64] = []
        c.ints.withUnsafeBufferPointer { v in
            var start = 0
            while start < v.count {
                let end = min(v.count, start + ZoneMap.blockSize)
                var a = Int64.max, b = Int64.min
                for i in start..<end { a = Swift.min(a, v[i]); b = Swift.max(b, v[i]) }
                lo.append(a)
                hi.append(b)
                start = end
            }
        }
        minimums = lo
        maximums = hi
    }
}

extension Table {
    /// The same table with zone maps on its integer-backed columns.
    public func withZoneMaps() -> Table {
        var t = self
        for i in t.columns.indices where t.columns[i].zones == nil { t.columns[i].zones = ZoneMap(t.columns[i]) }
        return t
    }
}
