import Foundation

/// Runs statement work on a thread with a large stack and waits for it. Binding, planning and evaluation
/// walk expressions recursively; the parser bounds their depth (``Parser/maxDepth``), and this stack is
/// large enough for that bound in debug builds too, so no accepted statement can exhaust it. The stack is
/// address space: only the pages a deep statement touches are ever used.
enum LargeStack {
    static let size = 1 << 30

    final class Outcome<T> {
        var value: Result<T, Error>?
    }

    static func run<T>(_ body: @escaping () throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.value = Result { try body() }
            done.signal()
        }
        thread.stackSize = size
        thread.start()
        done.wait()
        return try outcome.value!.get()
    }
}
