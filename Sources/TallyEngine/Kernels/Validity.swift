import TallyCore

/// The rows valid in both columns (nil when neither has nulls).
@inline(__always)
func andValidity(_ a: Column, _ b: Column) -> Bitmap? {
    switch (a.validity, b.validity) {
    case (nil, nil): return nil
    case (let x?, nil): return x
    case (nil, let y?): return y
    case (let x?, let y?): return x & y
    }
}

/// The validity shared by several columns.
func andValidity(_ columns: [Column]) -> Bitmap? {
    var v: Bitmap? = nil
    for c in columns {
        guard let cv = c.validity else { continue }
        v = v.map { $0 & cv } ?? cv
    }
    return v
}

extension Column {
    /// A copy where `rows` flagged true become null.
    func nulling(where flags: [Bool]) -> Column {
        guard flags.contains(true) else { return self }
        var c = self
        var v = validity ?? Bitmap(count: count, value: true)
        for (i, f) in flags.enumerated() where f { v[i] = false }
        c.validity = v
        return c
    }

    /// Bool column from flags and validity.
    static func bools(_ flags: [Bool], validity: Bitmap?) -> Column {
        Column(ints: flags.map { $0 ? 1 : 0 }, type: .bool, validity: validity)
    }

    /// Whether row `i` holds `true` (null counts as false).
    @inline(__always)
    func isTrue(_ i: Int) -> Bool { ints[i] != 0 && !isNull(i) }

    /// The values as doubles (ints converted), for numeric kernels.
    var doubles: [Double] { type == .float ? floats : ints.map(Double.init) }
}
