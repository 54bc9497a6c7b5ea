import TallyCore
import TallyLang

extension RemoteRunner {
    /// `goal` on the database: the search runs in Tally, and each evaluation of the measure (per group, each group with
    /// its own value of the varied name, the setters applied) is one aggregate query.
    func goal(_ input: LogicalPlan, _ spec: GoalSpec) throws -> Table {
        let target = try executor.number(spec.target, what: "the goal target")
        let zero = BoundExpr(.constant(.float(0)), type: .float, range: spec.target.range)
        let baseline = try measure(input, spec, variable: zero, changed: false)
        let keys = Array(baseline.columns.prefix(spec.keys.count))
        let groupCount = baseline.rowCount
        func numbers(_ t: Table) -> [Double] {
            let c = t.columns[spec.keys.count]
            return (0..<t.rowCount).map { c.isNull($0) ? .nan : c.double(at: $0) }
        }
        /// The varied value of each group's rows, as an expression over the input's key expressions.
        func variable(_ values: [Double]) -> BoundExpr {
            let range = spec.target.range
            guard !spec.keys.isEmpty else { return BoundExpr(.constant(.float(values.first ?? 0)), type: .float, range: range) }
            let arms = (0..<groupCount).map { g -> (BoundExpr, BoundExpr) in
                let conditions = spec.keys.enumerated().map { k, key -> BoundExpr in
                    let v = keys[k].value(at: g)
                    if v.isNull { return BoundExpr(.isNull(key, negated: false), type: .bool, range: range) }
                    return BoundExpr(.binary(.equal, key, BoundExpr(.constant(v), type: key.type, range: range)), type: .bool, range: range)
                }
                let all = conditions.dropFirst().reduce(conditions[0]) { BoundExpr(.binary(.and, $0, $1), type: .bool, range: range) }
                return (all, BoundExpr(.constant(.float(values[g])), type: .float, range: range))
            }
            return BoundExpr(.caseWhen(arms), type: .float, range: range)
        }
        let evaluateAt: ([Double]) throws -> [Double] = { values in
            if self.executor.isCancelled() { throw Cancelled() }
            let t = try self.measure(input, spec, variable: variable(values), changed: true)
            guard t.rowCount == groupCount else { throw Diagnostic("the database gave \(t.rowCount) groups, then \(groupCount)", at: spec.target.range) }
            return numbers(t)
        }
        return try executor.seek(spec, target: target, keys: keys, baseline: numbers(baseline), evaluateAt: evaluateAt)
    }

    /// The measure per group (keys first, then the value), by the key, with the varied name set to `variable` and, when
    /// `changed`, the setters applied (otherwise only the changed columns made their setter's type).
    func measure(_ input: LogicalPlan, _ spec: GoalSpec, variable: BoundExpr, changed: Bool) throws -> Table {
        let width = input.schema.names.count
        let range = spec.target.range
        let columns = (0..<width).map { BoundExpr(.column($0), type: input.schema.types[$0], range: range) }
        let withVariable = LogicalPlan(.project(input, columns + [variable]),
                                       schema: input.schema.appending(Schema(names: [spec.variable], types: [.float])), range: range)
        var exprs = columns + [BoundExpr(.column(width), type: .float, range: range)]
        for setter in spec.setters {
            let old = exprs[setter.column]
            guard changed else { exprs[setter.column] = BoundExpr(old.kind, type: setter.type, range: old.range); continue }
            var new = setter.value
            if let op = setter.op.arithmetic { new = BoundExpr(.binary(op, old, setter.value), type: setter.type, range: setter.value.range) }
            if let filter = spec.filter {
                let otherwise = BoundExpr(.constant(.bool(true)), type: .bool, range: range)
                new = BoundExpr(.caseWhen([(filter, new), (otherwise, old)]), type: setter.type, range: setter.value.range)
            }
            exprs[setter.column] = new
        }
        var schema = withVariable.schema
        for setter in spec.setters { schema.types[setter.column] = setter.type }
        let set = LogicalPlan(.project(withVariable, exprs), schema: schema, range: range)
        let keyCount = spec.keys.count
        let outputs = (0..<keyCount).map { BoundExpr(.column($0), type: spec.keys[$0].type, range: range) }
            + [spec.measure.expr.remapped(Dictionary(uniqueKeysWithValues: spec.measure.calls.indices.map { ($0, $0 + keyCount) }))]
        let result = Schema(names: spec.keyNames + ["value"], types: spec.keys.map(\.type) + [spec.measure.expr.type])
        let plan = LogicalPlan(.aggregate(set, keys: spec.keys, calls: spec.measure.calls, outputs: outputs), schema: result, range: range)
        return try sql(plan).table
    }
}
