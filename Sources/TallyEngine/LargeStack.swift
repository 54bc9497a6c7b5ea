import TallyCore
import Foundation
import Synchronization

/// Runs statement work on a thread with a large stack and waits for it. Binding, planning and evaluation
/// walk expressions recursively; the parser bounds their depth (``Parser/maxDepth``), and this stack is
/// large enough for that bound in debug builds too, so no accepted statement can exhaust it. The stack is
/// address space: only the pages a deep statement touches are ever used.
///
/// Work given a cancellation check is abandoned as soon as the check says so: the caller gets `Cancelled` at once
/// (within ``pollInterval``) while the work, which sees ``isAbandoning``, stops at its kernels' next poll. The work must
/// not change shared state; the caller applies its result. The next piece of work waits for abandoned work to end
/// (``settle()``), so two never run together.
enum LargeStack {
    static let size = 1 << 30
    /// How often a waiting caller looks at its cancellation check.
    static let pollInterval = DispatchTimeInterval.milliseconds(5)

    final class Outcome<T>: @unchecked Sendable {
        var value: Result<T, Error>?
    }

    /// Signalled when the work last abandoned to a cancellation has ended.
    nonisolated(unsafe) private static var abandoned: DispatchSemaphore?
    private static let abandoning = Atomic<Bool>(false)

    /// Whether abandoned work is still running: it should stop (the interrupt that cancelled it may be cleared).
    static var isAbandoning: Bool { abandoning.load(ordering: .relaxed) }

    /// Waits until work abandoned to a cancellation has ended, or until cancelled itself.
    static func settle(cancelledWhen isCancelled: CancellationCheck?) throws {
        guard let work = abandoned else { return }
        try wait(for: work, cancelledWhen: isCancelled)
        abandoned = nil
        abandoning.store(false, ordering: .relaxed)
    }

    static func run<T>(cancelledWhen isCancelled: CancellationCheck? = nil, _ body: @escaping () throws -> T) throws -> T {
        try settle(cancelledWhen: isCancelled)
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.value = Result { try body() }
            done.signal()
        }
        thread.stackSize = size
        thread.start()
        do {
            try wait(for: done, cancelledWhen: isCancelled)
        } catch {
            abandoned = done
            abandoning.store(true, ordering: .relaxed)
            throw error
        }
        return try outcome.value!.get()
    }

    /// Waits for `done`, throwing `Cancelled` as soon as the check says so.
    private static func wait(for done: DispatchSemaphore, cancelledWhen isCancelled: CancellationCheck?) throws {
        guard let isCancelled else { return done.wait() }
        while done.wait(timeout: .now() + pollInterval) == .timedOut {
            if isCancelled() { throw Cancelled() }
        }
    }
}
