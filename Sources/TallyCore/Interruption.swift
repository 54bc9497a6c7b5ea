/// Answers whether the user asked to stop (Ctrl-C); checked between batches of work.
public typealias CancellationCheck = () -> Bool

/// The work was cancelled by the user; the shell says `cancelled` and keeps everything it had.
public struct Cancelled: Error {
    public init() {}
}

/// The user's request to stop, for long loops that no query plan drives: file readers poll it every few tens of
/// megabytes or thousands of records. The session sets it with its own cancellation check.
public enum Interruption {
    nonisolated(unsafe) public static var isRequested: CancellationCheck = { false }

    /// Throws ``Cancelled`` when the user asked to stop.
    public static func check() throws {
        if isRequested() { throw Cancelled() }
    }
}
