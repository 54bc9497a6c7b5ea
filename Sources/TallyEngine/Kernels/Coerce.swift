import TallyCore

extension Column {
    /// This column converted to `type` where the conversion is lossless (int → float, null → anything).
    func coerced(to type: DataType) -> Column {
        if self.type == type { return self }
        if self.type == .null {
            var c = Column(nulls: count, type: type)
            c.validity = Bitmap(count: count, value: false)
            return c
        }
        if self.type == .int, type == .float { return asFloat() }
        return self
    }
}

/// Picks, per row, the value of one of several same-typed columns (`choice[i]` = column index, -1 = null).
func pick(_ columns: [Column], choice: [Int32], type: DataType) -> Column {
    let cols = columns.map { $0.coerced(to: type) }
    let n = choice.count
    var valid = Bitmap(count: n, value: true)
    var anyNull = false
    for i in 0..<n {
        let k = Int(choice[i])
        if k < 0 || cols[k].isNull(i) { valid[i] = false; anyNull = true }
    }
    let validity = anyNull ? valid : nil
    switch type {
    case .float:
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n where choice[i] >= 0 { out[i] = cols[Int(choice[i])].floats[i] }
        return Column(floats: out, validity: validity)
    case .string:
        let (merged, remaps) = Dictionaries.merge(cols.map(\.dictionary))
        var out = [Int32](repeating: 0, count: n)
        for i in 0..<n where choice[i] >= 0 {
            let k = Int(choice[i])
            out[i] = remaps[k][Int(cols[k].codes[i])]
        }
        return Column(codes: out, dictionary: merged.isEmpty ? [""] : merged, validity: validity)
    case .null:
        return Column(nulls: n, type: .null)
    default:
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n where choice[i] >= 0 { out[i] = cols[Int(choice[i])].ints[i] }
        return Column(ints: out, type: type, validity: validity)
    }
}
