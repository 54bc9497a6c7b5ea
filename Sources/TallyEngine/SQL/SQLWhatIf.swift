import TallyCore
import TallyLang

extension SQLGenerator {
    /// `whatif` as one statement: the rest of the pipeline over a baseline stage and over a scenario stage (the setters
    /// applied), then the two results lined up by their keys (the listed keys, or the columns that are not numbers),
    /// each measure as `m_base`, `m_whatif`, `m_delta`, `m_pct`; the baseline's rows first, in its order, then rows only the
    /// scenario has.
    func whatIf(_ r: SQLRelation, setters: [BoundSetter], filter: BoundExpr?, rest: LogicalPlan, keys: Set<String>, _ input: Schema) throws -> SQLRelation {
        let s = scope(r)
        var baseItems = passThrough(r), scenarioItems = passThrough(r)
        let float = dialect.type(.float)
        for setter in setters {
            let column = s.columns[setter.column]
            let old = setter.type == .float && input.types[setter.column] == .int ? "CAST(\(column) AS \(float))" : column
            baseItems[setter.column].sql = old
            let value = try expression(setter.value, s)
            var new: String
            switch setter.op.arithmetic {
            case .add?: new = "(\(old) + \(value))"
            case .subtract?: new = "(\(old) - \(value))"
            case .multiply?: new = "(\(old) * \(value))"
            default: new = value
            }
            if let filter { new = "CASE WHEN \(try expression(filter, s)) THEN \(new) ELSE \(old) END" }
            scenarioItems[setter.column].sql = new
        }
        hole = select(baseItems, looks: r.looks, from: r)
        let base = orderedByColumns(try relation(rest))
        hole = select(scenarioItems, looks: r.looks, from: r)
        let scenario = orderedByColumns(try relation(rest))
        hole = nil
        let types = rest.schema.types
        let keyColumns = rest.schema.names.indices.filter { keys.contains(rest.schema.names[$0]) || !types[$0].isNumeric }
        let measures = rest.schema.names.indices.filter { !keyColumns.contains($0) }
        let basePosition = hiddenName(), scenarioPosition = hiddenName()
        func numbered(_ x: SQLRelation, _ position: String) -> SQLRelation {
            let ordinal = x.order.isEmpty ? "CAST(0 AS BIGINT)" : "row_number() OVER (ORDER BY \(orderList(x.order)))"
            return select(passThrough(x), looks: x.looks, from: x, keepOrder: false, extra: ["\(ordinal) AS \(position)"])
        }
        let b = numbered(base, basePosition), w = numbered(scenario, scenarioPosition)
        let names = rest.schema.names
        var looks = keyColumns.map { base.looks[$0] }
        for _ in measures { looks += [.plain, .plain, .plain, .percent] }
        let same = keyColumns.map { k -> String in
            let name = dialect.identifier(names[k])
            return dialect == .spark ? "b.\(name) <=> w.\(name)" : "b.\(name) IS NOT DISTINCT FROM w.\(name)"
        }.joined(separator: " AND ")
        /// The select list with keys from `keySide`, and each measure's four columns (null where a side has no row).
        func list(keySide: String, hasBase: Bool) -> String {
            var items = keyColumns.map { "\(keySide).\(dialect.identifier(names[$0])) AS \(dialect.identifier(names[$0]))" }
            for m in measures {
                let name = dialect.identifier(names[m])
                let old = hasBase ? "CAST(b.\(name) AS \(float))" : "CAST(NULL AS \(float))", new = "CAST(w.\(name) AS \(float))"
                items += ["\(old) AS \(dialect.identifier(names[m] + "_base"))", "\(new) AS \(dialect.identifier(names[m] + "_whatif"))",
                          "(\(new) - \(old)) AS \(dialect.identifier(names[m] + "_delta"))",
                          "((\(new) - \(old)) / NULLIF(\(old), 0)) AS \(dialect.identifier(names[m] + "_pct"))"]
            }
            items += [hasBase ? "b.\(basePosition)" : "CAST(NULL AS BIGINT) AS \(basePosition)", "w.\(scenarioPosition)"]
            return "SELECT " + items.joined(separator: ", ")
        }
        // The baseline's rows with their scenario rows, then the scenario's rows no baseline row has (a LEFT JOIN and
        // NOT EXISTS rather than a FULL JOIN, which PostgreSQL cannot do on a null-safe equality).
        let matched = same.isEmpty ? "CROSS JOIN \(w.from) AS w" : "LEFT JOIN \(w.from) AS w ON \(same)"
        let onlyScenario = "\nUNION ALL\n" + list(keySide: "w", hasBase: false)
            + "\nFROM \(w.from) AS w\nWHERE NOT EXISTS (SELECT 1 FROM \(b.from) AS b WHERE \(same))"
        let body = list(keySide: "b", hasBase: true) + "\nFROM \(b.from) AS b\n\(matched)" + (same.isEmpty ? "" : onlyScenario)
        let columns = keyColumns.map { names[$0] } + measures.flatMap { m in ["_base", "_whatif", "_delta", "_pct"].map { names[m] + $0 } }
        return stage(body, columns: columns, looks: looks,
                     order: [.ascending(basePosition), .ascending(scenarioPosition)])
    }
}
