import Foundation

/// Large fresh arrays backed by 2 MB pages: filling one then takes hundreds of page faults instead of hundreds of
/// thousands (a 60 MB slice of a column took 14,000 faults, most of its time).
public enum HugePages {
    /// Asks for 2 MB pages under the whole 2 MB-aligned part of a fresh buffer, before anything is written to it.
    public static func advise(_ raw: UnsafeMutableRawBufferPointer) {
        let huge = 1 << 21
        guard raw.count >= 2 * huge, let base = raw.baseAddress else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + raw.count) & ~(huge - 1)
        if end > start { madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
    }

    /// An array of `count` elements, all written by `fill`, on 2 MB pages when it is large.
    public static func array<T>(count: Int, _ fill: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            fill(buffer)
            initialized = count
        }
    }
}
