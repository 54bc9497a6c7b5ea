import TallyCore
import Foundation

/// Interns byte strings to dense codes without making a `String` per value: an open-addressing
/// hash table over an arena of the distinct values' bytes. Each slot holds a value's code and the high half of its
/// hash, so a probe touches one cache line until the hashes agree (with millions of distinct keys, the probes that also
/// read the code's hash and offsets took most of a CSV's load).
struct ByteDictionary {
    /// The high 32 bits of a value's hash, then its code; ``empty`` where no value is.
    private var slots: [UInt64]
    private var hashes: [UInt64] = []
    /// Where each value's bytes start in `arena`, and where the last ends.
    private var offsets: [Int] = [1]
    /// The values' bytes, after one byte of padding: never empty, so its base address exists even when every value is.
    private var arena: [UInt8] = [0]
    private var mask: Int

    private static let empty = UInt64.max

    init() {
        slots = [UInt64](repeating: ByteDictionary.empty, count: 64)
        mask = 63
    }

    /// A slot's content for code `c` of hash `h`.
    @inline(__always)
    private static func slot(_ c: Int, _ h: UInt64) -> UInt64 { h & 0xFFFF_FFFF_0000_0000 | UInt64(c) }

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
        code(p, n, hash: ByteDictionary.hash(p, n))
    }

    /// The code of these bytes whose ``hash(_:_:)`` is `h`, adding them if new.
    @inline(__always)
    private mutating func code(_ p: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64) -> Int32 {
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let content = slots[s]
            if content == ByteDictionary.empty { break }
            if content >> 32 == h >> 32 {
                let c = Int(content & 0xFFFF_FFFF)
                if hashes[c] == h {
                    let o = offsets[c], len = offsets[c + 1] - o
                    if len == n, arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + o, p, n) == 0 }) { return Int32(c) }
                }
            }
            s = (s + 1) & mask
        }
        let code = Int32(hashes.count)
        slots[s] = ByteDictionary.slot(hashes.count, h)
        hashes.append(h)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(arena.count)
        if hashes.count * 2 > slots.count { grow() }
        return code
    }

    private mutating func grow() {
        slots = [UInt64](repeating: ByteDictionary.empty, count: slots.count * 2)
        mask = slots.count - 1
        for (c, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] != ByteDictionary.empty { s = (s + 1) & mask }
            slots[s] = ByteDictionary.slot(c, h)
        }
    }

    /// One dictionary of the distinct strings of several (in order of first appearance), and for each of them a map from
    /// its codes to the merged codes. The first is the start of the merged one; the others' bytes are added with the hashes
    /// they were stored with, so no value is hashed twice or made a `String` before the end (ten million distinct keys
    /// merged through a `[String: Int32]` took a third of a CSV's load).
    static func merge(_ dictionaries: [ByteDictionary]) -> (dictionary: [String], remaps: [[Int32]]) {
        guard var merged = dictionaries.first else { return ([], []) }
        var remaps = [(0..<Int32(merged.count)).map { $0 }]
        for d in dictionaries.dropFirst() {
            remaps.append(d.arena.withUnsafeBufferPointer { a in
                (0..<d.count).map { c in
                    let o = d.offsets[c]
                    return merged.code(a.baseAddress! + o, d.offsets[c + 1] - o, hash: d.hashes[c])
                }
            })
        }
        return (merged.strings(), remaps)
    }

    /// The distinct values as strings, in code order.
    func strings() -> [String] {
        arena.withUnsafeBufferPointer { a in
            (0..<hashes.count).map { String(decoding: UnsafeBufferPointer(rebasing: a[offsets[$0]..<offsets[$0 + 1]]), as: UTF8.self) }
        }
    }
}
