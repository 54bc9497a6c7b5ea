import Dispatch
import Foundation

/// Row ranges for the cores: a kernel runs over one contiguous range per core side by side, each with its own state,
/// and the states are then folded in range order (partial aggregates merged, first rows taken from the earliest range).
enum Morsels {
    /// Inputs with fewer rows than this per core run as one range: splitting them costs more than it saves.
    static let minimumRowsPerPart = 1 << 16

    /// The cores kernels split their rows over.
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Contiguous ranges covering `0..<rowCount` in order: one per core, or one for a small input.
    static func ranges(_ rowCount: Int) -> [Range<Int>] {
        let parts = max(1, min(cores, rowCount / minimumRowsPerPart))
        let size = (rowCount + parts - 1) / parts
        return (0..<parts).map { p in min(p * size, rowCount)..<min((p + 1) * size, rowCount) }
    }

    /// `body` over each range of ``ranges(_:)``, side by side; the results in range order.
    static func map<T>(_ rowCount: Int, _ body: (Range<Int>) -> T) -> [T] {
        let parts = ranges(rowCount)
        if parts.count == 1 { return [body(parts[0])] }
        var results = [T?](repeating: nil, count: parts.count)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: parts.count) { p in out[p] = body(parts[p]) }
        }
        return results.map { $0! }
    }

    /// `body` over each range, side by side, for work that writes disjoint rows of shared output.
    static func forEach(_ rowCount: Int, _ body: (Range<Int>) -> Void) {
        _ = map(rowCount, body)
    }
}
