import TallyCore
import TallyLang

extension SQLGenerator {
    /// `whatif` as one statement: the rest of the pipeline over a baseline stage and over a scenario stage (the setters
    /// applied), then the two results lined up by their keys (the listed keys, or the columns that are not numbers),
    /// each measure as `m_base`, `m_whatif`, `m_delta`, `m_pct`; the baseline's rows first, in its order, then rows only the
    /// scenario has.
    func whatIf(_ r: SQLRelation, setters: [BoundSetter], filter: BoundExpr?, rest: LogicalPlan, keyColumns: [Int],
                _ input: Schema) throws -> SQLRelation {
        let s = scope(r)
        var baseItems = passThrough(r), scenarioItems = passThrough(r)
        let float = SQLType.tally(.float)
        for setter in setters {
            let column = s.columns[setter.column]
            let old = setter.type == .float && input.types[setter.column] == .int ? .cast(column, float) : column
            baseItems[setter.column].expr = old
            let value = try expression(setter.value, s)
            var new: SQLExpr
            switch setter.op.arithmetic {
            case .add?: new = old + value
            case .subtract?: new = old - value
            case .multiply?: new = old * value
            default: new = value
            }
            if let filter { new = .when([(try expression(filter, s), new)], otherwise: old) }
            scenarioItems[setter.column].expr = new
        }
        hole = select(baseItems, looks: r.looks, from: r)
        let base = orderedByColumns(try relation(rest))
        hole = select(scenarioItems, looks: r.looks, from: r)
        let scenario = orderedByColumns(try relation(rest))
        hole = nil
        let names = rest.schema.names
        let measures = names.indices.filter { !keyColumns.contains($0) }
        let basePosition = hiddenName(), scenarioPosition = hiddenName()
        func numbered(_ x: SQLRelation, _ position: String) -> SQLRelation {
            let ordinal: SQLExpr = x.order.isEmpty ? .cast(.integer(0), .tally(.int)) : .window(.call("row_number", []), SQLWindow(order: x.order))
            return select(passThrough(x), looks: x.looks, from: x, keepOrder: false, extra: [(ordinal, position)])
        }
        let b = numbered(base, basePosition), w = numbered(scenario, scenarioPosition)
        var looks = keyColumns.map { base.looks[$0] }
        for _ in measures { looks += [.plain, .plain, .plain, .percent] }
        let equalities = keyColumns.map { dialect.nullSafeEqual(.column(names[$0], table: "b"), .column(names[$0], table: "w")) }
        let same = equalities.first.map { first in equalities.dropFirst().reduce(first) { .binary($0, .and, $1) } }
        /// The select list with keys from `keySide`, and each measure's four columns (null where a side has no row).
        func list(keySide: String, hasBase: Bool) -> [SQLSelectItem] {
            var items = keyColumns.map { SQLSelectItem(expr: .column(names[$0], table: keySide), alias: names[$0]) }
            for m in measures {
                let old: SQLExpr = hasBase ? .cast(.column(names[m], table: "b"), float) : .cast(.null, float)
                let new = SQLExpr.cast(.column(names[m], table: "w"), float)
                items += [SQLSelectItem(expr: old, alias: names[m] + "_base"), SQLSelectItem(expr: new, alias: names[m] + "_whatif"),
                          SQLSelectItem(expr: new - old, alias: names[m] + "_delta"), SQLSelectItem(expr: (new - old) / .nonZero(old),
                              alias: names[m] + "_pct")]
            }
            let baseOrdinal: SQLExpr = hasBase ? .column(basePosition, table: "b") : .cast(.null, .tally(.int))
            return items + [SQLSelectItem(expr: baseOrdinal, alias: basePosition),
                SQLSelectItem(expr: .column(scenarioPosition, table: "w"), alias: scenarioPosition)]
        }
        // The baseline's rows with their scenario rows, then the scenario's rows no baseline row has (a LEFT JOIN and
        // NOT EXISTS rather than a FULL JOIN, which PostgreSQL cannot do on a null-safe equality).
        let baseFrom = SQLFrom.table(b.source, alias: "b"), scenarioFrom = SQLFrom.table(w.source, alias: "w")
        var selects = [SQLSelect(items: list(keySide: "b", hasBase: true),
                                 from: .join(baseFrom, same == nil ? .cross : .left, scenarioFrom, on: same))]
        if let same {
            let baseHasIt = SQLSelect(items: [SQLSelectItem(expr: .integer(1))], from: baseFrom, conditions: [same])
            selects.append(SQLSelect(items: list(keySide: "w", hasBase: false), from: scenarioFrom, conditions: [.exists(baseHasIt, negated: true)]))
        }
        let columns = keyColumns.map { names[$0] } + measures.flatMap { m in ["_base", "_whatif", "_delta", "_pct"].map { names[m] + $0 } }
        return stage(selects, columns: columns, looks: looks, order: [.ascending(basePosition), .ascending(scenarioPosition)],
                     isTotal: base.isTotal && scenario.isTotal, hidden: [basePosition, scenarioPosition])
    }
}
