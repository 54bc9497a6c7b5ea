import TallyCore
/// A problem in a CSV file, with the 1-based line and column where it starts.
public struct CSVError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): error: \(message)" : "\(file): error: \(message)"
    }
}

/// A problem found at a byte offset, turned into a ``CSVError`` with line and column by the reader.
struct CSVFault: Error {
    let offset: Int
    let message: String
}
