import TallyCore

/// How long kernels notice Ctrl-C. A kernel asked to stop returns a result that is valid but meaningless (rows in
/// their original order, every row in one group), never a half-built one, so whatever runs next cannot trap; the
/// executor then throws `Cancelled` at the next plan node and the result is never shown.
enum KernelInterrupt {
    /// The session's cancellation check (set by `Session`); polled every 64K rows or per pass.
    nonisolated(unsafe) static var isRequested: CancellationCheck = { false }

    /// Whether to stop, polled cheaply inside row loops: only every 65,536th row asks.
    @inline(__always)
    static func check(_ row: Int) -> Bool { row & 0xFFFF == 0 && isRequested() }
}
