/// Columns a stage computes that nothing after it reads (a carried row order that a later aggregate drops, an input
/// column a later select leaves out) are dropped, so each CTE carries only what the statement uses.
extension SQLStatement {
    /// The statement without the stage columns no later part reads.
    func pruned() -> SQLStatement {
        var out = self
        var needs = SQLColumnNeeds()
        for select in body { needs.add(select) }
        for k in stride(from: stages.count - 1, through: 0, by: -1) {
            var stage = stages[k]
            // What later parts read (nil: every column); a DISTINCT or GROUP BY stage keeps its columns, whose meaning or
            // positions its clauses depend on.
            let wanted: Set<String>? = needs.columns[stage.name] ?? []
            if stage.selects.allSatisfy({ !$0.distinct && $0.groupBy.isEmpty }), let wanted {
                let names = stage.selects[0].items.map(\.outputName)
                var kept = names.indices.filter { names[$0].map(wanted.contains) ?? true }
                if kept.isEmpty { kept = [0] }
                for s in stage.selects.indices { stage.selects[s].items = kept.map { stage.selects[s].items[$0] } }
            }
            for select in stage.selects { needs.add(select) }
            out.stages[k] = stage
        }
        return out
    }
}

/// The columns of each stage that the parts read so far need: nil for all of them (`SELECT *`).
struct SQLColumnNeeds {
    private(set) var columns: [String: Set<String>?] = [:]

    /// Adds what a select reads from the stages it names.
    mutating func add(_ select: SQLSelect, outer: [String: String] = [:]) {
        var sources = outer
        var single: String?
        if let from = select.from {
            let tables = SQLColumnNeeds.tables(from)
            for (name, alias) in tables { sources[alias ?? name] = name }
            if tables.count == 1 { single = tables[0].name }
        }
        if select.items.contains(where: { $0.expr == .star }), let single { columns[single] = .some(nil) }
        var exprs = select.items.map(\.expr) + select.conditions + select.orderBy.map(\.expr)
        exprs += select.groupBy.compactMap { if case .expr(let e) = $0 { e } else { nil } }
        if case .join(_, _, _, let on?)? = select.from { exprs.append(on) }
        for e in exprs { visit(e, sources, single) }
    }

    private mutating func need(_ column: String, of stage: String) {
        if case .some(nil) = columns[stage] { return }
        var set = columns[stage].flatMap { $0 } ?? []
        set.insert(column)
        columns[stage] = .some(set)
    }

    private mutating func visit(_ e: SQLExpr, _ sources: [String: String], _ single: String?) {
        switch e {
        case .column(let name, let table):
            if let stage = table.flatMap({ sources[$0] }) ?? (table == nil ? single : nil) { need(name, of: stage) }
        case .exists(let select, _): add(select, outer: sources)
        case .null, .integer, .float, .decimal, .boolean, .string, .date, .star, .subquery: break
        case .cast(let x, _), .not(let x), .negate(let x), .collate(let x, _), .extract(_, let x), .element(let x, _), .isNull(let x, _):
            visit(x, sources, single)
        case .binary(let a, _, let b): visit(a, sources, single); visit(b, sources, single)
        case .call(_, let args): for a in args { visit(a, sources, single) }
        case .aggregate(let a):
            for x in a.arguments + a.order.map(\.expr) + [a.filter].compactMap({ $0 }) { visit(x, sources, single) }
        case .window(let f, let w):
            for x in [f] + w.partition + w.order.map(\.expr) { visit(x, sources, single) }
        case .caseWhen(let c):
            for x in [c.operand, c.otherwise].compactMap({ $0 }) + c.arms.flatMap({ [$0.condition, $0.result] }) { visit(x, sources, single) }
        case .inList(let x, let values): for v in [x] + values { visit(v, sources, single) }
        case .between(let x, let lo, let hi): for v in [x, lo, hi] { visit(v, sources, single) }
        case .withinGroup(let call, let order): for x in [call] + order.map(\.expr) { visit(x, sources, single) }
        }
    }

    /// The tables (or stages) a FROM reads, with their aliases.
    static func tables(_ from: SQLFrom) -> [(name: String, alias: String?)] {
        switch from {
        case .table(let name, let alias): return [(name, alias)]
        case .join(let l, _, let r, _): return tables(l) + tables(r)
        }
    }
}

extension SQLSelectItem {
    /// The name the item's column has in the select's result.
    var outputName: String? {
        if let alias { return alias }
        if case .column(let name, _) = expr { return name }
        return nil
    }
}
