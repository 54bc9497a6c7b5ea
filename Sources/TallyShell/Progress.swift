import Foundation

/// A progress line on standard error for work that takes longer than a second in the interactive shell
/// (loading CSV, opening a snapshot, a long query): `running sales | … (3.2 s)`, erased when the work ends.
/// Never shown in scripts, nor when standard error is not a terminal.
public final class Progress: @unchecked Sendable {
    private let label: String
    private let started = Date()
    private let lock = NSLock()
    private var finished = false
    private var shown = false

    /// Starts a ticker for `label` (cut to fit one line) that first draws after `delay` seconds.
    public init(_ label: String, delay: Double = 1) {
        let oneLine = label.replacingOccurrences(of: "\n", with: " ")
        self.label = oneLine.count > 50 ? String(oneLine.prefix(49)) + "…" : oneLine
        Thread.detachNewThread { [self] in
            var wait = delay
            while true {
                Thread.sleep(forTimeInterval: wait)
                wait = 0.2
                lock.lock()
                defer { lock.unlock() }
                if finished { break }
                shown = true
                let line = String(format: "\r%@ (%.1f s)\u{1B}[K", self.label, Date().timeIntervalSince(started))
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }

    /// Stops the ticker and erases its line (if it drew one).
    public func finish() {
        lock.lock()
        finished = true
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        lock.unlock()
    }

    /// Runs `work` with a progress line when `enabled`.
    public static func around<T>(_ label: String, enabled: Bool, _ work: () throws -> T) rethrows -> T {
        guard enabled else { return try work() }
        let progress = Progress(label)
        defer { progress.finish() }
        return try work()
    }
}
