import TallyCore
import TallyEngine

/// A failure talking to Spark: Spark's own message (its error class and text) or what went wrong on the way.
public struct SparkError: SQLServerError, CustomStringConvertible {
    public let description: String
    /// 1-based character position in the statement, when Spark's message says `line L pos P`.
    public let position: Int?

    init(_ description: String, position: Int? = nil) {
        self.description = Secrets.masked(description)
        self.position = position
    }
}
