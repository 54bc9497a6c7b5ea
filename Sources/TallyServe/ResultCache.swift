import Foundation
import Synchronization
import TallyShell

/// Pages already run, by script and the parameters as requested, so that a bookmarked page or a download of a table
/// just shown does not run the script again. Entries expire after ``lifetime`` (nil: never, for data that cannot
/// change while serving); the least recently used go first past ``capacity``; large results are not kept.
final class ResultCache: Sendable {
    struct Entry {
        let page: HTMLReport
        let made: Date
        var used: UInt64
    }

    let capacity: Int
    let lifetime: TimeInterval?
    /// Results of more cells than this are run again rather than held.
    static let maxCells = 500_000
    private let state = Mutex<(entries: [String: Entry], clock: UInt64)>(([:], 0))

    init(capacity: Int = 128, lifetime: TimeInterval?) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    func page(for key: String) -> HTMLReport? {
        state.withLock { state in
            guard var entry = state.entries[key] else { return nil }
            if let lifetime, Date().timeIntervalSince(entry.made) > lifetime {
                state.entries[key] = nil
                return nil
            }
            state.clock += 1
            entry.used = state.clock
            state.entries[key] = entry
            return entry.page
        }
    }

    func store(_ page: HTMLReport, for key: String) {
        let cells = page.entries.reduce(0) { $0 + $1.result.table.rowCount * max(1, $1.result.table.columns.count) }
        guard cells <= ResultCache.maxCells else { return }
        state.withLock { state in
            state.clock += 1
            state.entries[key] = Entry(page: page, made: Date(), used: state.clock)
            if state.entries.count > capacity, let oldest = state.entries.min(by: { $0.value.used < $1.value.used })?.key {
                state.entries[oldest] = nil
            }
        }
    }
}
