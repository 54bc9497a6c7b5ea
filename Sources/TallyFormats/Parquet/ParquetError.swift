import TallyCore
/// A Parquet file Tally cannot read or write, with what is wrong.
public struct ParquetError: FileReadProblem, Sendable, CustomStringConvertible {
    public let file: String
    public let message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): error: \(message)" }
}

/// A problem found while decoding, named with its file by the reader.
package struct ParquetFault: Error {
    package let message: String
    init(_ message: String) { self.message = message }
}
