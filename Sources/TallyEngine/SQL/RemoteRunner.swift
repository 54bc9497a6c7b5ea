import TallyCore
import TallyLang

/// Runs a plan over a connected database's tables: the plan as one SQL statement, or, for the verbs whose work is
/// Tally's own (`chart`, `pivot`'s spreading, `cohort`'s grid), their input as SQL and the verb in Tally over that result.
struct RemoteRunner {
    let backend: SQLBackend
    let catalog: Catalog
    let executor: Executor

    /// Whether a plan reads a table of the connected database (its own nodes, not sub-queries inside expressions).
    static func readsRemote(_ plan: LogicalPlan, _ catalog: Catalog) -> Bool {
        if case .scan(.table(let name), _) = plan.op { return catalog[name]?.isRemote ?? false }
        return plan.children.contains { readsRemote($0, catalog) }
    }

    func run(_ plan: LogicalPlan) throws -> QueryResult {
        switch plan.op {
        case .chart(let input, let spec):
            return try locally(plan.with(.chart(hole(input), spec)), over: try run(input).table)
        case .pivot(let input, let spec):
            return try locally(plan.with(.pivot(hole(input), spec)), over: try run(input).table)
        case .cohort(let input, let key, let date, let per):
            let pairs = try distinctPeriods(input, key: key, date: date, per: per)
            let schema = Schema(names: [input.schema.names[key], input.schema.names[date]], types: [input.schema.types[key], .date])
            return try locally(plan.with(.cohort(LogicalPlan(.hole, schema: schema, range: input.range), key: 0, date: 1, per: per)), over: pairs)
        default:
            let query = try generator().compile(plan)
            var table = try fetch(query.text, names: plan.schema.names, types: plan.schema.types, plan.range)
            for (i, look) in query.looks.enumerated() where i < table.columns.count {
                if look.percent { table.columns[i] = table.columns[i].percent() }
                if let labels = look.labels { table.columns[i] = RemoteRunner.ordinal(table.columns[i], labels: labels) }
            }
            return QueryResult(table: table)
        }
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
        let k = sql.dialect.identifier(r.columns[key]), d = sql.dialect.identifier(r.columns[date])
        let names = [input.schema.names[key], input.schema.names[date]]
        let pairs = sql.stage("SELECT DISTINCT \(k), \(sql.dialect.truncate(per, d)) AS \(d)\nFROM \(r.from)\nWHERE \(d) IS NOT NULL",
                              columns: names, looks: [.plain, .plain], order: [])
        sql.query.body = "SELECT * FROM \(pairs.from)"
        return try fetch(sql.query.text, names: names, types: [input.schema.types[key], .date], input.range)
    }

    /// The rows of a query; the database's errors are reported at the pipeline, with the server's message.
    func fetch(_ sql: String, names: [String], types: [DataType], _ range: SourceRange) throws -> Table {
        do {
            return try backend.query(sql, names: names, types: types)
        } catch let d as Diagnostic {
            throw d
        } catch {
            throw Diagnostic("\(error)", at: range, hints: [".sql shows the SQL Tally sent to \(backend.description)"])
        }
    }
}
