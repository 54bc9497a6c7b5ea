extension Table {
    /// The columns whose values name the table's load order, as a database can sort by them: one whole-number or date
    /// column without nulls whose values rise strictly from row to row (`order_id`), else the first such pair of columns
    /// (`opportunity_id, entered`). Nil when no column or pair does. `tally upload` declares it as the table's key, so a
    /// database returns the rows in the order Tally loaded them; text is left out, since engines sort it differently.
    public var loadOrderKey: [String]? {
        let candidates = columns.indices.filter { i in
            let c = columns[i]
            return (c.type == .int || c.type == .date) && !c.hasNulls && c.ints.count == rowCount
        }
        for i in candidates where Table.rises(columns[i].ints, within: nil) { return [names[i]] }
        for i in candidates where Table.neverFalls(columns[i].ints) {
            for j in candidates where j != i && Table.rises(columns[j].ints, within: columns[i].ints) { return [names[i], names[j]] }
        }
        return nil
    }

    /// Whether values rise strictly from row to row (only among rows whose `group` value is the previous row's, if given).
    static func rises(_ values: [Int64], within group: [Int64]?) -> Bool {
        for k in values.indices.dropFirst() where values[k] <= values[k - 1] {
            if let group, group[k] != group[k - 1] { continue }
            return false
        }
        return true
    }

    /// Whether values never fall from row to row.
    static func neverFalls(_ values: [Int64]) -> Bool {
        values.indices.dropFirst().allSatisfy { values[$0] >= values[$0 - 1] }
    }
}
