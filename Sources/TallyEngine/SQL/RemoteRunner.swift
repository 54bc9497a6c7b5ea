import TallyCore
import TallyLang

/// Runs a plan over a connected database's tables. What SQL can say runs as one statement; the verbs whose work is
/// Tally's own run in Tally over results the database computes: `chart` and `pivot` over their input, `cohort` over each
/// cell's count of keys, `funnel` over each group's counts and medians per step, `simulate` over the per-period totals,
/// `goal` over one aggregate query per evaluation. No table is pulled whole.
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

    /// Runs a plan; with `streaming`, a plan that is one SQL statement hands its rows to the executor's `batches` as they
    /// arrive (not the input of a verb Tally runs over it, which is not the answer).
    func run(_ plan: LogicalPlan, streaming: Bool = false) throws -> QueryResult {
        // Refused before anything runs: the database cannot read what Tally holds, nor Tally the database's tables whole.
        if let scan = RemoteRunner.heldInTally(plan, catalog) {
            let name = if case .scan(.table(let table), _) = scan.op { "`\(table)`" } else { "`_`" }
            throw SQLGenerator.heldInTally(name, at: scan.range)
        }
        guard RemoteRunner.needsTally(plan) else { return try sql(plan, batches: streaming ? executor.batches : nil) }
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

    /// The plan as one SQL statement; its rows also go to `batches` as they arrive, when given.
    func sql(_ plan: LogicalPlan, batches: ((Table) -> Void)? = nil) throws -> QueryResult {
        let query = try generator().compile(plan)
        var streamed = false
        let shown = batches.map { show in { (batch: Table) in
            streamed = true
            show(RemoteRunner.looking(batch, query.looks))
        } }
        let table = try fetch(query.text, names: plan.schema.names, types: plan.schema.types, plan.range, query: query, batches: shown)
        var result = QueryResult(table: RemoteRunner.looking(table, query.looks))
        result.wasStreamed = streamed
        return result
    }

    /// Rows as SQL gives them, shown as Tally shows them: percentages, identifiers, segment labels in band order.
    static func looking(_ rows: Table, _ looks: [ColumnLook]) -> Table {
        var table = rows
        for (i, look) in looks.enumerated() where i < table.columns.count {
            if look.percent { table.columns[i] = table.columns[i].percent() }
            if look.identifier, table.columns[i].type == .int { table.columns[i] = table.columns[i].identifier() }
            if let labels = look.labels { table.columns[i] = RemoteRunner.ordinal(table.columns[i], labels: labels) }
        }
        return table
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
        return SQLGenerator(dialect: backend.dialect, rowOrder: { name in
            if case .remote(_, let t)? = catalog[name] { return t.order }
            return .engine
        }, isRemote: { catalog[$0]?.isRemote ?? false }, warnings: executor.warnings)
    }

    /// A plan node's input replaced by the result it is given.
    func hole(_ input: LogicalPlan) -> LogicalPlan { LogicalPlan(.hole, schema: input.schema, range: input.range) }

    func locally(_ plan: LogicalPlan, over input: Table) throws -> QueryResult {
        try executor.execute(plan, hole: input)
    }

    /// All `cohort` needs, by the database: per cohort (the first day of the first period a key has rows in) and active
    /// period (the first day of a period the key has rows in), how many keys — one row per cell of the matrix.
    func cohortCells(_ input: LogicalPlan, key: Int, date: Int, per: PeriodKind) throws -> Table {
        let sql = generator()
        let r = try sql.relation(input)
        let k = r.column(key), d = r.column(date)
        let pairItems = [SQLSelectItem(expr: k, alias: "k"), SQLSelectItem(expr: sql.dialect.truncate(per, d), alias: "active")]
        let pairs = sql.stage([SQLSelect(items: pairItems, distinct: true, from: r.from, conditions: [.isNull(d, negated: true)])],
                              columns: ["k", "active"], looks: [.plain, .plain], order: [])
        let firstItems = [SQLSelectItem(expr: .column("k")), SQLSelectItem(expr: .aggregate(SQLAggregate(name: "min", arguments: [.column("active")])),
                                                                       alias: "cohort")]
        let firsts = sql.stage([SQLSelect(items: firstItems, from: pairs.from, groupBy: [.position(1)])], columns: ["k", "cohort"],
                               looks: [.plain, .plain], order: [])
        let cohort = SQLExpr.column("cohort", table: firsts.source), active = SQLExpr.column("active", table: pairs.source)
        let on = sql.dialect.nullSafeEqual(.column("k", table: pairs.source), .column("k", table: firsts.source))
        let cells = [SQLSelectItem(expr: cohort, alias: "cohort"), SQLSelectItem(expr: active, alias: "active"),
                     SQLSelectItem(expr: .aggregate(SQLAggregate(name: "count", arguments: [.star])), alias: "keys")]
        sql.statement.body = [SQLSelect(items: cells, from: .join(pairs.from, .inner, firsts.from, on: on), groupBy: [.position(1), .position(2)])]
        return try fetch(SQLPrinter(dialect: sql.dialect).print(sql.statement).text, names: ["cohort", "active", "keys"], types: [.date, .date, .int],
                         input.range)
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
    func fetch(_ sql: String, names: [String], types: [DataType], _ range: SourceRange, query: SQLQuery? = nil,
               batches: ((Table) -> Void)? = nil) throws -> Table {
        // The rows the memory limit allows: the transfer stops there, rather than after the whole result arrived.
        let maxRows = Int(min(Double(executor.budget.bytes) / MemoryBudget.size(rows: 1, types: types), Double(Int32.max)))
        do {
            return try backend.query(sql, names: names, types: types, maxRows: maxRows, batches: batches)
        } catch let d as Diagnostic {
            throw d
        } catch is ResultTooLarge {
            throw Diagnostic("the result from \(backend.description) has more than \(MemoryBudget.rowsText(maxRows)), more than the memory limit of "
                             + MemoryBudget.text(executor.budget.bytes) + " allows", at: range,
                             hints: ["filter or aggregate on the server first (`where`, `agg … by`, `take`), or raise the limit: .set memory_limit 16GB"])
        } catch {
            let position = (error as? SQLServerError)?.position
            let at = position.flatMap { query?.range(atCharacter: $0) } ?? range
            throw Diagnostic("\(error)", at: at, hints: [".sql shows the SQL Tally sent to \(backend.description)"])
        }
    }
}
