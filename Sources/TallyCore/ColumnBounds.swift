/// What a query's filter says about the values of one stored column, so that stored blocks (Parquet row groups)
/// that cannot hold a matching row are never read. Bounds are conservative: every row the filter keeps lies within
/// them, and a null never does (comparisons are false on null).
public struct ColumnBounds: Sendable, Equatable {
    /// The values a row may hold and still pass.
    public enum Allowed: Sendable, Equatable {
        /// Integer-backed values (ints, dates as days since 1970-01-01) in a closed range.
        case integers(ClosedRange<Int64>)
        /// Numbers in a closed range (a float column, or an integer column compared with a fraction).
        case floats(ClosedRange<Double>)
        /// Strings equal to one of these.
        case strings(Set<String>)
    }

    /// The column's position in its table.
    public let column: Int
    public let allowed: Allowed

    public init(column: Int, allowed: Allowed) {
        self.column = column
        self.allowed = allowed
    }
}
