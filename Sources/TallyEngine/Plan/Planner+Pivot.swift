import TallyCore
import TallyLang

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
        if case .call(let name, _, .none) = e.kind { return ["count", "countif", "count_distinct"].contains(name) }
        return false
    }
}
