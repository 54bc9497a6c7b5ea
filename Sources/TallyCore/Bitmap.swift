/// A packed bit per row; in columns a set bit means the value is present (not null).
public struct Bitmap: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public private(set) var count: Int

    /// A bitmap of `count` bits, all set to `value`.
    public init(count: Int, value: Bool) {
        self.count = count
        words = Array(repeating: value ? ~0 : 0, count: (count + 63) / 64)
    }

    @inline(__always)
    public subscript(i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
    }

    /// Adds one bit at the end.
    public mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        count += 1
        self[count - 1] = bit
    }

    /// Whether every bit is set.
    public var allSet: Bool {
        let full = count >> 6
        for w in 0..<full where words[w] != ~0 { return false }
        for i in (full << 6)..<count where !self[i] { return false }
        return true
    }

    /// Bitwise and of two equally long bitmaps.
    public static func & (a: Bitmap, b: Bitmap) -> Bitmap {
        var r = a
        for i in 0..<r.words.count { r.words[i] &= b.words[i] }
        return r
    }
}
