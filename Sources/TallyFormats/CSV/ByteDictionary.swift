import TallyCore
import Foundation

/// Interns byte strings to dense codes without making a `String` per value: an open-addressing
/// hash table over an arena of the distinct values' bytes.
struct ByteDictionary {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var offsets: [Int] = [0]
    private var arena: [UInt8] = []
    private var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 64)
        mask = 63
    }

    var count: Int { hashes.count }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return h ^ (h >> 32)
    }

    /// The code of these bytes, adding them if new.
    @inline(__always)
    mutating func code(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let h = ByteDictionary.hash(p, n)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let c = slots[s]
            if c < 0 { break }
            if hashes[Int(c)] == h {
                let o = offsets[Int(c)], len = offsets[Int(c) + 1] - o
                if len == n, arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + o, p, n) == 0 }) { return c }
            }
            s = (s + 1) & mask
        }
        let code = Int32(hashes.count)
        slots[s] = code
        hashes.append(h)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(arena.count)
        if hashes.count * 2 > slots.count { grow() }
        return code
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (c, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(c)
        }
    }

    /// One dictionary of the distinct strings of several (in order of first appearance), and for each of them a map from
    /// its codes to the merged codes.
    static func merge(_ dictionaries: [ByteDictionary]) -> (dictionary: [String], remaps: [[Int32]]) {
        var dictionary: [String] = []
        var lookup: [String: Int32] = [:]
        let remaps = dictionaries.map { d in
            d.strings().map { s -> Int32 in
                if let c = lookup[s] { return c }
                let c = Int32(dictionary.count)
                dictionary.append(s)
                lookup[s] = c
                return c
            }
        }
        return (dictionary, remaps)
    }

    /// The distinct values as strings, in code order.
    func strings() -> [String] {
        arena.withUnsafeBufferPointer { a in
            (0..<hashes.count).map { String(decoding: UnsafeBufferPointer(rebasing: a[offsets[$0]..<offsets[$0 + 1]]), as: UTF8.self) }
        }
    }
}
