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

extension Planner {
    /// At most this many columns from one `pivot` (a key such as an id would make a column per row).
    static let pivotColumnLimit = 1_000

    /// At most this many cells (rows × columns) from one `pivot`, checked before they are allocated.
    static let pivotCellLimit = 10_000_000

    /// `pivot KEY [in (v1, …)] AGG [by G, …]`: the aggregate by (G…, KEY), spread into one column per KEY value.
    func pivot(_ key: Expr, values: [Expr]?, measure: Expr, by: [Item], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let keyItem = Item(name: key.autoName, nameRange: key.range, expr: key)
        let valueItem = Item(name: "cell", nameRange: measure.range, expr: measure)
        let aggregate = try self.aggregate([valueItem], by: by + [keyItem], input, range)
        guard case .aggregate(_, _, let calls, _) = aggregate.op, !calls.isEmpty else {
            throw Diagnostic("`pivot` needs an aggregate for its cells, e.g. count() or sum(amount)", at: measure.range,
                             hints: ["pivot region sum(amount) by category"])
        }
        let keyType = aggregate.schema.types[by.count], valueType = aggregate.schema.types[by.count + 1]
        let fillsZero = Planner.isCount(measure)
        let groupNames = Array(aggregate.schema.names.prefix(by.count))
        var schema = Schema(names: groupNames, types: Array(aggregate.schema.types.prefix(by.count)),
                            nullable: Array(aggregate.schema.nullable.prefix(by.count)))
        var constants: [Value]?
        if let values {
            let b = binder(input.schema)
            var seen = Set(groupNames)
            constants = []
            for v in values {
                guard let c = try b.bind(v).constantValue else { throw Diagnostic("the values after `pivot … in` must be constants", at: v.range) }
                guard DataType.unify(keyType, c.type) != nil else {
                    throw Diagnostic("`\(c.text)` is \(Expect.article(c.type)), the pivot key is \(Expect.article(keyType))", at: v.range)
                }
                let name = Planner.pivotColumnName(c)
                guard seen.insert(name).inserted else { throw Diagnostic("`pivot` would make two columns named `\(name)`", at: v.range) }
                constants?.append(c)
                schema = schema.setting(name, valueType, nullable: !fillsZero)
            }
            guard !values.isEmpty, values.count <= Planner.pivotColumnLimit else {
                throw Diagnostic("`pivot … in` needs between 1 and \(Planner.pivotColumnLimit) values", at: range)
            }
        } else {
            schema.spreadBy = key.autoName
        }
        let node = PivotNode(input: aggregate, spec: PivotSpec(groupCount: by.count, values: constants, fillsZero: fillsZero))
        return LogicalPlan(.analytic(node), schema: schema, range: range)
    }

    /// A pivot column's name: the key value as written (`NULL` for null, `(empty)` for an empty text).
    static func pivotColumnName(_ v: Value) -> String {
        if v == .null { return "NULL" }
        return v.text.isEmpty ? "(empty)" : v.text
    }

    /// Whether the cells count rows (`count()`, `countif(…)`, `count_distinct(…)`): then a missing cell is 0, not null.
    static func isCount(_ e: Expr) -> Bool {
        if case .call(let name, _, .none) = e.kind { return AggregateFunctions.all[name]?.countsRows ?? false }
        return false
    }
}

/// `pivot KEY [in (…)] AGG [by G, …]`: an aggregate's (groups…, key, value) rows spread into one row per group and one
/// column per key value.
struct PivotNode: AnalyticNode {
    /// The aggregate by the groups and the key, with one value column.
    let input: LogicalPlan
    let spec: PivotSpec

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { PivotNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        "pivot \(input.names[spec.groupCount])" + (spec.values.map { " in (" + $0.map(\.text).joined(separator: ", ") + ")" } ?? " (a column per value)")
            + (spec.groupCount > 0 ? " by " + input.names.prefix(spec.groupCount).joined(separator: ", ") : "")
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, _) = pruner.prune(input, Set(input.schema.names.indices))
        return (plan.with(.analytic(PivotNode(input: child, spec: spec))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: try executor.pivot(spec, names: plan.schema.names, try executor.table(input, hole), plan.range))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`pivot`", at: plan.range, because: "its columns come from the data")
    }

    var runsInTally: Bool { true }
}
