import TallyCore
/// An Excel workbook Tally cannot read or write, with what is wrong.
public struct ExcelError: Error, Sendable, CustomStringConvertible, FileProblem {
    public let file: String
    public let message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): error: \(message)" }
}
