import TallyCore

/// Gathers the batches of Arrow streams into one Tally table of the column names and types the query planned.
public struct ArrowTableBuilder {
    public let names: [String]
    public let types: [DataType]
    private var builders: [ColumnBuilder]
    public private(set) var rowCount = 0

    public init(names: [String], types: [DataType]) {
        self.names = names
        self.types = types
        builders = types.map { ColumnBuilder(type: $0) }
    }

    /// Appends every row of a stream's batches.
    public mutating func append(_ stream: ArrowStream) throws {
        guard stream.fields.count == types.count else {
            throw ArrowStreamError("the server returned \(stream.fields.count) columns where \(types.count) were expected")
        }
        for batch in stream.batches {
            for (c, array) in batch.columns.enumerated() {
                for row in 0..<batch.rowCount {
                    let value = array.value(row)
                    guard let converted = ArrowTableBuilder.convert(value, to: types[c]) else {
                        throw ArrowStreamError("cannot read `\(value.text)` from the server as \(types[c].rawValue) (column \(names[c]))")
                    }
                    builders[c].append(converted)
                }
            }
            rowCount += batch.rowCount
        }
    }

    /// A value as the planned type holds it, or nil when it is not one: a period arrives as its text, a whole
    /// float or decimal may stand for an integer.
    static func convert(_ value: Value, to type: DataType) -> Value? {
        switch (type, value) {
        case (_, .null), (.string, _), (.null, _): return value
        case (.int, .int), (.float, .int), (.float, .float), (.bool, .bool), (.date, .date), (.period, .period): return value
        case (.int, .float(let d)): return d.rounded() == d && abs(d) < 9.2e18 ? .int(Int64(d)) : nil
        case (.period, .string(let text)): return Period.parse(Substring(text)).map { .period($0) }
        case (.date, .string(let text)): return CivilDate.parse(Substring(text)).map { .date($0) }
        default: return nil
        }
    }

    public func finish() -> Table {
        Table(names: names, columns: builders.map { $0.finish() }, rowCount: rowCount)
    }
}
