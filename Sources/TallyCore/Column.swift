/// A typed column: one contiguous array for the values plus an optional validity bitmap.
///
/// - `int`, `date` (days since 1970-01-01), `period` (``Period/encoded``) and `bool` (0/1) use ``ints``.
/// - `float` uses ``floats``.
/// - `string` is dictionary-encoded: ``codes`` index into ``dictionary``.
/// A row is null when ``validity`` exists and its bit is clear; the value slot then holds 0.
public struct Column: Sendable {
    public var type: DataType
    public var ints: [Int64] = []
    public var floats: [Double] = []
    public var codes: [Int32] = []
    public var dictionary: [String] = []
    public var validity: Bitmap?
    public private(set) var count: Int
    /// For integer-backed columns of stored tables: the smallest and largest value of each block of
    /// ``ZoneMap/blockSize`` rows, so range filters skip blocks (a sorted date column skips most).
    public var zones: ZoneMap?
    /// For strings: the dictionary is in the values' own order (segment labels `none, 5%, 10%, 15%+`), so sorting
    /// follows it rather than the alphabet. Kept by `gather`; a column built anew is alphabetical again.
    public var isOrdinal = false
    /// For floats: the values are fractions shown as percentages (`pct(x)`: 0.185 shows as 18.5%, exports as 0.185).
    public var isPercent = false
    /// For integers: the values name things rather than count them — ids, years — and show their digits as they are
    /// (2022, not 2,022), under whatever name they travel. Kept by `gather` and `slice`.
    public var isIdentifier = false

    /// Whether a column of this name holds keys or years rather than quantities: `id`, `*_id`, `*_no`, `*_code`,
    /// `year`, `year_*`, `*_year`. A table's columns so named are identifiers from the start.
    public static func isKeyName(_ name: String) -> Bool {
        let n = name.lowercased()
        return n == "id" || n == "year" || n.hasPrefix("year_") || ["_id", "_no", "_code", "_year"].contains { n.hasSuffix($0) }
    }

    /// This column marked as holding identifiers.
    public func identifier() -> Column {
        var c = self
        c.isIdentifier = true
        return c
    }

    /// This column marked as fractions to show as percentages.
    public func percent() -> Column {
        var c = self
        c.isPercent = true
        return c
    }

    public init(ints: [Int64], type: DataType = .int, validity: Bitmap? = nil) {
        self.type = type
        self.ints = ints
        self.count = ints.count
        self.validity = validity
    }

    public init(floats: [Double], validity: Bitmap? = nil) {
        type = .float
        self.floats = floats
        count = floats.count
        self.validity = validity
    }

    public init(codes: [Int32], dictionary: [String], validity: Bitmap? = nil) {
        type = .string
        self.codes = codes
        self.dictionary = dictionary
        count = codes.count
        self.validity = validity
    }

    /// A column of `count` nulls of the given type.
    public init(nulls count: Int, type: DataType) {
        self.type = type
        self.count = count
        switch type {
        case .float: floats = Array(repeating: 0, count: count)
        case .string: codes = Array(repeating: 0, count: count); dictionary = [""]
        default: ints = Array(repeating: 0, count: count)
        }
        validity = Bitmap(count: count, value: false)
    }

    /// A column repeating one value.
    public init(repeating value: Value, count: Int) {
        switch value {
        case .null: self.init(nulls: count, type: .null)
        case .int(let v): self.init(ints: Array(repeating: v, count: count))
        case .bool(let v): self.init(ints: Array(repeating: v ? 1 : 0, count: count), type: .bool)
        case .date(let v): self.init(ints: Array(repeating: v, count: count), type: .date)
        case .period(let p): self.init(ints: Array(repeating: p.encoded, count: count), type: .period)
        case .float(let v): self.init(floats: Array(repeating: v, count: count))
        case .string(let s): self.init(codes: Array(repeating: 0, count: count), dictionary: [s])
        }
    }

    @inline(__always)
    public func isNull(_ i: Int) -> Bool { validity.map { !$0[i] } ?? false }

    public var hasNulls: Bool { validity.map { !$0.allSet } ?? false }

    /// The value at row `i`, boxed; for display and tests, not for kernels.
    public func value(at i: Int) -> Value {
        if isNull(i) { return .null }
        switch type {
        case .null: return .null
        case .int: return .int(ints[i])
        case .bool: return .bool(ints[i] != 0)
        case .date: return .date(ints[i])
        case .period: return .period(Period(encoded: ints[i]))
        case .float: return .float(floats[i])
        case .string: return .string(dictionary[Int(codes[i])])
        }
    }

    /// The numeric value at row `i` as a double (ints and floats).
    @inline(__always)
    public func double(at i: Int) -> Double { type == .float ? floats[i] : Double(ints[i]) }

    /// The rows at the given positions, in that order; a position of -1 yields null.
    public func gather(_ rows: [Int32]) -> Column {
        var out = self
        out.count = rows.count
        out.zones = nil
        var missing = false
        var valid: Bitmap? = nil
        rows.withUnsafeBufferPointer { r in
            for i in 0..<r.count where r[i] < 0 { missing = true; break }
            if validity != nil || missing {
                var bm = Bitmap(count: r.count, value: true)
                for j in 0..<r.count where r[j] < 0 || isNull(Int(r[j])) { bm[j] = false }
                valid = bm
            }
        }
        out.validity = valid
        switch type {
        case .float: out.floats = Column.pick(floats, rows, missing: missing)
        case .string:
            out.codes = Column.pick(codes, rows, missing: missing)
            if dictionary.isEmpty { out.dictionary = [""] }
        default: out.ints = Column.pick(ints, rows, missing: missing)
        }
        return out
    }

    /// The rows of a contiguous range, copied as blocks (what `gather` gives for the ascending rows of the range).
    public func slice(_ range: Range<Int>) -> Column {
        var out = self
        out.count = range.count
        out.zones = nil
        if let validity {
            var bm = Bitmap(count: range.count, value: true)
            for (j, i) in range.enumerated() where !validity[i] { bm[j] = false }
            out.validity = bm
        }
        switch type {
        case .float: out.floats = Column.copy(floats, range)
        case .string:
            out.codes = Column.copy(codes, range)
            if dictionary.isEmpty { out.dictionary = [""] }
        default: out.ints = Column.copy(ints, range)
        }
        return out
    }

    /// `source[range]` as a new array.
    static func copy<T>(_ source: [T], _ range: Range<Int>) -> [T] {
        HugePages.array(count: range.count) { out in
            source.withUnsafeBufferPointer { s in _ = out.initialize(from: s[range]) }
        }
    }

    /// `source[rows[i]]` for each i (zero where a row is -1).
    static func pick<T: Numeric>(_ source: [T], _ rows: [Int32], missing: Bool) -> [T] {
        HugePages.array(count: rows.count) { out in
            source.withUnsafeBufferPointer { s in
                rows.withUnsafeBufferPointer { r in
                    if missing {
                        for i in 0..<r.count { out[i] = r[i] < 0 ? 0 : s[Int(r[i])] }
                    } else {
                        for i in 0..<r.count { out[i] = s[Int(r[i])] }
                    }
                }
            }
        }
    }

    /// Converts an int column to float; other columns are returned unchanged.
    public func asFloat() -> Column {
        guard type == .int || type == .null else { return self }
        if type == .null { var c = Column(nulls: count, type: .float); c.validity = validity; return c }
        return Column(floats: ints.map(Double.init), validity: validity)
    }
}
