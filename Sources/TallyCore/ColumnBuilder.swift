/// Builds a column row by row: used by the CSV reader, the generator and small results.
public struct ColumnBuilder {
    public let type: DataType
    private var ints: [Int64] = []
    private var floats: [Double] = []
    private var codes: [Int32] = []
    private var dictionary: [String] = []
    private var lookup: [String: Int32] = [:]
    private var validity: Bitmap?
    private var count = 0

    public init(type: DataType, capacity: Int = 0) {
        self.type = type
        switch type {
        case .float: floats.reserveCapacity(capacity)
        case .string: codes.reserveCapacity(capacity)
        default: ints.reserveCapacity(capacity)
        }
    }

    public mutating func appendNull() {
        if validity == nil { validity = Bitmap(count: count, value: true) }
        validity!.append(false)
        switch type {
        case .float: floats.append(0)
        case .string: codes.append(0)
        default: ints.append(0)
        }
        count += 1
    }

    public mutating func append(int v: Int64) { ints.append(v); markPresent() }
    public mutating func append(float v: Double) { floats.append(v); markPresent() }

    public mutating func append(string s: String) {
        if let c = lookup[s] {
            codes.append(c)
        } else {
            let c = Int32(dictionary.count)
            dictionary.append(s)
            lookup[s] = c
            codes.append(c)
        }
        markPresent()
    }

    @inline(__always)
    private mutating func markPresent() {
        count += 1
        validity?.append(true)
    }

    /// Appends a boxed value converted to this builder's type.
    public mutating func append(_ value: Value) {
        switch (type, value) {
        case (_, .null): appendNull()
        case (.float, .int(let v)): append(float: Double(v))
        case (.float, .float(let v)): append(float: v)
        case (.int, .int(let v)), (.date, .date(let v)): append(int: v)
        case (.bool, .bool(let v)): append(int: v ? 1 : 0)
        case (.period, .period(let p)): append(int: p.encoded)
        case (.string, let v): append(string: v.text)
        default: appendNull()
        }
    }

    public func finish() -> Column {
        switch type {
        case .float: return Column(floats: floats, validity: validity)
        case .string: return Column(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary, validity: validity)
        case .null: return Column(nulls: count, type: .null)
        default: return Column(ints: ints, type: type, validity: validity)
        }
    }
}
