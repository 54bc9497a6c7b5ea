import TallyCore
import TallyLang

/// Runs a plan over a connected database's tables. What SQL can say runs as one statement; the verbs whose work is
/// Tally's own run in Tally over results the database computes: `chart` and `pivot` over their input, `cohort` over each
/// key's distinct periods, `funnel` over each entity's first day per step, `simulate` over the per-period totals, `goal`
/// over one aggregate query per evaluation. No table is pulled whole.
struct RemoteRunner {
    let backend: SQLBackend
    let catalog: Catalog
    let executor: Executor

    /// Whether a plan reads a table of the connected database (its own nodes, not sub-queries inside expressions).
    static func readsRemote(_ plan: LogicalPlan, _ catalog: Catalog) -> Bool {
        if case .scan(.table(let name), _) = plan.op { return catalog[name]?.isRemote ?? false }
        return plan.children.contains { readsRemote($0, catalog) }
    }

    /// Whether some node of the plan does its work in Tally (an analytic node's own inputs besides the first, such as a
    /// `whatif`'s rest, are part of its SQL).
    static func needsTally(_ plan: LogicalPlan) -> Bool {
        if case .analytic(let node) = plan.op { return node.runsInTally || needsTally(node.inputs[0]) }
        return plan.children.contains(where: needsTally)
    }

    /// The first scan of a table Tally holds (or of `_`) in a plan, not counting sub-queries used as values.
    static func heldInTally(_ plan: LogicalPlan, _ catalog: Catalog) -> LogicalPlan? {
        switch plan.op {
        case .scan(.table(let name), _): return catalog[name]?.isRemote ?? false ? nil : plan
        case .scan(.previous, _): return plan
        default: return plan.children.lazy.compactMap { heldInTally($0, catalog) }.first
        }
    }

    func run(_ plan: LogicalPlan) throws -> QueryResult {
        // Refused before anything runs: the database cannot read what Tally holds, nor Tally the database's tables whole.
        if let scan = RemoteRunner.heldInTally(plan, catalog) {
            let name = if case .scan(.table(let table), _) = scan.op { "`\(table)`" } else { "`_`" }
            throw SQLGenerator.heldInTally(name, at: scan.range)
        }
        guard RemoteRunner.needsTally(plan) else { return try sql(plan) }
        if case .analytic(let node) = plan.op, !RemoteRunner.needsTally(node.inputs[0]), let result = try node.remote(plan, self) {
            return result
        }
        let children = plan.children
        guard children.count == 1 else {
            throw Diagnostic("this verb works in Tally, and what feeds it has two inputs: it cannot run on \(backend.description)", at: plan.range,
                             hints: ["name the inputs' result with `let` first"])
        }
        let input = children[0]
        return try locally(plan.replacingChildren([hole(input)]), over: try run(input).table)
    }

    /// The plan as one SQL statement.
    func sql(_ plan: LogicalPlan) throws -> QueryResult {
        let query = try generator().compile(plan)
        var table = try fetch(query.text, names: plan.schema.names, types: plan.schema.types, plan.range, query: query)
        for (i, look) in query.looks.enumerated() where i < table.columns.count {
            if look.percent { table.columns[i] = table.columns[i].percent() }
            if let labels = look.labels { table.columns[i] = RemoteRunner.ordinal(table.columns[i], labels: labels) }
        }
        return QueryResult(table: table)
    }

    /// Labels read back as text, made the ordinal column `segment` makes (its dictionary in band order).
    static func ordinal(_ text: Column, labels: [String]) -> Column {
        let code = Dictionary(labels.enumerated().map { ($0.element, Int32($0.offset)) }, uniquingKeysWith: { a, _ in a })
        var column = Column(codes: (0..<text.count).map { text.isNull($0) ? 0 : code[text.value(at: $0).text] ?? 0 }, dictionary: labels,
                            validity: text.validity)
        column.isOrdinal = true
        return column
    }

    func generator() -> SQLGenerator {
        let catalog = self.catalog
        return SQLGenerator(dialect: backend.dialect, hasRowOrder: { name in
            if case .remote(_, let t)? = catalog[name] { return !t.isView }
            return false
        }, isRemote: { catalog[$0]?.isRemote ?? false })
    }

    /// A plan node's input replaced by the result it is given.
    func hole(_ input: LogicalPlan) -> LogicalPlan { LogicalPlan(.hole, schema: input.schema, range: input.range) }

    func locally(_ plan: LogicalPlan, over input: Table) throws -> QueryResult {
        try executor.execute(plan, hole: input)
    }

    /// Each key with the first day of each period it has rows in: all `cohort` needs, computed by the database.
    func distinctPeriods(_ input: LogicalPlan, key: Int, date: Int, per: PeriodKind) throws -> Table {
        let sql = generator()
        let r = try sql.relation(input)
        let k = r.column(key), d = r.column(date)
        let names = [input.schema.names[key], input.schema.names[date]]
        let items = [SQLSelectItem(expr: k, alias: names[0]), SQLSelectItem(expr: sql.dialect.truncate(per, d), alias: names[1])]
        let pairs = sql.stage([SQLSelect(items: items, distinct: true, from: r.from, conditions: [.isNull(d, negated: true)])],
                              columns: names, looks: [.plain, .plain], order: [])
        sql.statement.body = [SQLSelect(items: [SQLSelectItem(expr: .star)], from: pairs.from)]
        return try fetch(SQLPrinter(dialect: sql.dialect).print(sql.statement.pruned()).text, names: names, types: [input.schema.types[key], .date],
            input.range)
    }

    /// All `funnel` needs, by the database: per group and entity, each step of the list it has a row for and the first
    /// day it entered it. Returns those rows and the funnel over them.
    func firstDaysPerStep(_ input: LogicalPlan, _ spec: FunnelSpec) throws -> (Table, FunnelSpec) {
        let range = input.range
        let column = { (i: Int) in BoundExpr(.column(i), type: input.schema.types[i], range: range) }
        let stage = column(spec.stage)
        let steps = spec.steps.map { Value.string($0) }
        let listed = LogicalPlan(.filter(input, conjuncts: [BoundExpr(.inValues(stage, steps), type: .bool, range: range)]), schema: input.schema,
                                 range: range)
        let keys = spec.groups + [column(spec.key), stage]
        let first = AggregateCall(function: AggregateFunctions.all["min"]!, arguments: [column(spec.date)], range: range)
        let g = spec.groups.count
        let names = spec.groupNames + ["_key", "_stage", "_day"]
        let types = keys.map(\.type) + [input.schema.types[spec.date]]
        let outputs = (0..<(g + 3)).map { BoundExpr(.column($0), type: types[$0], range: range) }
        let plan = LogicalPlan(.aggregate(listed, keys: keys, calls: [first], outputs: outputs), schema: Schema(names: names, types: types), range: range)
        let rows = try sql(plan).table
        let reduced = FunnelSpec(stage: g + 1, steps: spec.steps, key: g, date: g + 2,
                                 groups: (0..<g).map { BoundExpr(.column($0), type: types[$0], range: range) }, groupNames: spec.groupNames)
        return (rows, reduced)
    }

    /// `simulate`'s history: the measure per period, by the database.
    func perPeriodTotals(_ input: LogicalPlan, _ spec: SimulationSpec) throws -> Table {
        let measure = spec.measure
        let total = measure.expr.remapped(Dictionary(uniqueKeysWithValues: measure.calls.indices.map { ($0, $0 + 1) }))
        let period = BoundExpr(.column(0), type: spec.period.type, range: spec.period.range)
        let schema = Schema(names: ["period", "total"], types: [spec.period.type, total.type])
        let plan = LogicalPlan(.aggregate(input, keys: [spec.period], calls: measure.calls, outputs: [period, total]), schema: schema, range: input.range)
        return try sql(plan).table
    }

    /// The rows of a query; the database's errors are reported at the pipeline, with the server's message.
    /// The caret goes under the verb whose part of the statement the server's error points at, when it points.
    func fetch(_ sql: String, names: [String], types: [DataType], _ range: SourceRange, query: SQLQuery? = nil) throws -> Table {
        do {
            return try backend.query(sql, names: names, types: types)
        } catch let d as Diagnostic {
            throw d
        } catch {
            let position = (error as? SQLServerError)?.position
            let at = position.flatMap { query?.range(atCharacter: $0) } ?? range
            throw Diagnostic("\(error)", at: at, hints: [".sql shows the SQL Tally sent to \(backend.description)"])
        }
    }
}
