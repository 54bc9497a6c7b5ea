import TallyCore
import TallyLang

extension Executor {
    /// Spreads (groups…, key, value) rows, one per group and key, into one row per group with a column per key value.
    func pivot(_ spec: PivotSpec, names: [String], _ t: Table, _ range: SourceRange) throws -> Table {
        let g = spec.groupCount
        let key = t.columns[g], value = t.columns[g + 1]
        let keys = (0..<t.rowCount).map { key.value(at: $0) }
        var columnValues = spec.values ?? []
        if spec.values == nil {
            var seen = Set<Value>()
            let order = Sorter.permutation(keys: [(key, false)], rowCount: t.rowCount)
            for r in order where seen.insert(keys[Int(r)]).inserted { columnValues.append(keys[Int(r)]) }
            guard columnValues.count <= Planner.pivotColumnLimit else {
                throw Diagnostic("`pivot` would make \(columnValues.count) columns, more than \(Planner.pivotColumnLimit)", at: range,
                                 hints: ["pivot a key with fewer values, or name the columns: pivot KEY in (…)"])
            }
        }
        let grouping = Grouping(keys: Array(t.columns.prefix(g)), rowCount: t.rowCount)
        let groupCount = g == 0 ? min(1, t.rowCount) : grouping.count
        let (cellCount, overflow) = groupCount.multipliedReportingOverflow(by: columnValues.count)
        guard !overflow, cellCount <= Planner.pivotCellLimit else {
            throw Diagnostic("`pivot` would make \(groupCount) rows × \(columnValues.count) columns, more than \(Planner.pivotCellLimit) cells", at: range,
                             hints: ["group by fewer keys, or filter first"])
        }
        var outNames = Array(names.prefix(g))
        var outColumns = t.columns.prefix(g).map { $0.gather(grouping.firstRows) }
        let index = Dictionary(columnValues.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var cells = [[Int32]](repeating: [Int32](repeating: -1, count: groupCount), count: columnValues.count)
        for r in 0..<t.rowCount {
            if let c = index[keys[r]] { cells[c][g == 0 ? 0 : Int(grouping.ids[r])] = Int32(r) }
        }
        var taken = Set(outNames)
        for (c, v) in columnValues.enumerated() {
            let name = Planner.pivotColumnName(v)
            guard taken.insert(name).inserted else {
                throw Diagnostic("`pivot` would make two columns named `\(name)`", at: range, hints: ["rename the `by` column that clashes"])
            }
            var column = value.gather(cells[c])
            if spec.fillsZero { column = column.filling(missing: cells[c]) }
            outNames.append(name)
            outColumns.append(column)
        }
        return Table(names: outNames, columns: outColumns, rowCount: groupCount)
    }
}

extension Column {
    /// Zero where `rows` is -1 (no row for that cell): counts of nothing are 0.
    func filling(missing rows: [Int32]) -> Column {
        guard type == .int, let validity else { return self }
        var out = self
        var v = validity
        for (i, r) in rows.enumerated() where r < 0 { v[i] = true; out.ints[i] = 0 }
        out.validity = v.allSet ? nil : v
        return out
    }
}
