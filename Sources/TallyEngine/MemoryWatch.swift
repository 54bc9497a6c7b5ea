import CAllocator
import Synchronization

/// What the process really holds in memory, against the memory limit. Work polls it wherever it polls for Ctrl-C (each
/// plan node, every 65,536 rows of a kernel, every million pairs a join makes), and before a large allocation whose
/// size is known, so a statement whose memory passes the limit stops with the memory-limit error rather than growing
/// until the kernel kills the process. Everything counts: tables loaded, results kept by `let` and `_`, decoded
/// Parquet columns, the statement's work, and freed blocks malloc has not given back (given back when over the limit).
/// The pages of memory-mapped CSV files do not: the kernel can drop and re-read them.
enum MemoryWatch {
    /// Anonymous memory in RAM: what the kernel's out-of-memory killer counts.
    static var resident: Int { Int(clamping: tly_resident_anonymous_bytes()) }
    /// The limit for the running statement.
    private static let limit = Atomic<Int>(.max)
    /// Whether a poll found the allocations past the limit since the statement began.
    private static let tripped = Atomic<Bool>(false)

    /// Starts watching a statement against a limit of `bytes`.
    static func start(limit bytes: Int) {
        limit.store(bytes, ordering: .relaxed)
        tripped.store(false, ordering: .relaxed)
    }

    /// What the process holds, after giving freed memory back when that and `bytes` more would pass `limit`.
    static func held(beside bytes: Int, limit: Int) -> Int {
        let now = resident
        guard now.addingReportingOverflow(bytes).partialValue > limit else { return now }
        tly_release_free_memory()
        return resident
    }

    /// Whether what the process holds, with `bytes` more, is past the limit; freed memory is given back first.
    /// Remembered, so that the statement's stop is reported as the memory limit.
    static func isOver(adding bytes: Int = 0) -> Bool {
        let limit = limit.load(ordering: .relaxed)
        guard held(beside: bytes, limit: limit).addingReportingOverflow(bytes).partialValue > limit else { return false }
        tripped.store(true, ordering: .relaxed)
        return true
    }

    /// Whether the running statement was stopped for memory.
    static var stoppedStatement: Bool { tripped.load(ordering: .relaxed) }
}
