import Dispatch
import TallyCore
import TallyLang

/// What a query produced: a table, and optionally a chart to draw instead and a simulation's assumptions.
public struct QueryResult {
    public var table: Table
    public var chart: ChartSpec?
    public var assumptions: SimulationAssumptions?
    /// Warnings about the statement (set by the session once it ran).
    public var warnings: [Diagnostic] = []
    /// Whether its rows were shown already, batch by batch as a database sent them (``Session/resultBatches``).
    public var wasStreamed = false

    public init(table: Table, chart: ChartSpec? = nil, assumptions: SimulationAssumptions? = nil) {
        self.table = table
        self.chart = chart
        self.assumptions = assumptions
    }
}

/// Rows and time per plan node, filled while a plan runs (for `.explain analyze`).
public final class PlanProfile {
    public struct Entry {
        public var rows = 0
        public var seconds = 0.0
    }

    private var entries: [ObjectIdentifier: Entry] = [:]

    public init() {}

    /// What was recorded for a node, if it ran.
    public subscript(node: LogicalPlan) -> Entry? { entries[ObjectIdentifier(node)] }

    func record(_ node: LogicalPlan, rows: Int, seconds: Double) {
        var e = entries[ObjectIdentifier(node)] ?? Entry()
        e.rows += rows
        e.seconds += seconds
        entries[ObjectIdentifier(node)] = e
    }
}

/// The values of scalar sub-queries, computed once per run.
final class SubqueryValues {
    var values: [ObjectIdentifier: Value] = [:]
}

/// Runs a ``LogicalPlan`` over in-memory tables, node by node, bottom up.
public struct Executor {
    let catalog: Catalog
    /// The connected database, which runs the plans (and sub-queries) that read its tables.
    let backend: SQLBackend?
    let previous: Table?
    let isCancelled: CancellationCheck
    /// Per-node rows and time, when asked for.
    let profile: PlanProfile?
    let subqueryValues = SubqueryValues()
    /// What running noticed that is not an error.
    let warnings: Warnings
    /// How large one result may grow.
    let budget: MemoryBudget
    /// Where a statement's rows go as a database sends them, when its whole answer is one SQL statement.
    let batches: ((Table) -> Void)?

    public init(catalog: Catalog, previous: Table?, isCancelled: @escaping CancellationCheck, profile: PlanProfile? = nil,
                warnings: Warnings = Warnings(), budget: MemoryBudget = .standard, backend: SQLBackend? = nil, batches: ((Table) -> Void)? = nil) {
        self.batches = batches
        self.backend = backend
        self.catalog = catalog
        self.previous = previous
        self.isCancelled = isCancelled
        self.profile = profile
        self.warnings = warnings
        self.budget = budget
    }

    /// Runs a plan: in Tally, or as SQL on the connected database when it reads the database's tables. With `streaming`
    /// (a statement's own answer, not a sub-query's), rows a database sends go to `batches` as they arrive.
    public func run(_ plan: LogicalPlan, streaming: Bool = false) throws -> QueryResult {
        // Before anything runs or a database's rows stream out: a statement over the memory limit stops here.
        if isCancelled() { throw Cancelled() }
        var result: QueryResult
        if let backend, RemoteRunner.readsRemote(plan, catalog) {
            result = try RemoteRunner(backend: backend, catalog: catalog, executor: self).run(plan, streaming: streaming)
        } else {
            result = try execute(plan, hole: nil)
        }
        // A kernel that noticed Ctrl-C returned a valid but meaningless result: it must never be shown.
        if isCancelled() { throw Cancelled() }
        result.warnings = warnings.list
        return result
    }

    /// Runs a node; `bounds` (from a filter right above a scan) let a stored table skip blocks no row of which passes.
    func execute(_ plan: LogicalPlan, hole: Table?, bounds: [ColumnBounds] = []) throws -> QueryResult {
        if isCancelled() { throw Cancelled() }
        let started = DispatchTime.now().uptimeNanoseconds
        let result = try node(plan, hole: hole, bounds: bounds)
        if let profile {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            profile.record(plan, rows: result.table.rowCount, seconds: seconds)
        }
        return result
    }

    func table(_ plan: LogicalPlan, _ hole: Table?) throws -> Table { try execute(plan, hole: hole).table }

    /// One node: its inputs first, then its own work.
    func node(_ plan: LogicalPlan, hole: Table?, bounds: [ColumnBounds]) throws -> QueryResult {
        let names = plan.schema.names
        switch plan.op {
        case .scan(let source, let columns):
            let t = try scan(source, columns: columns, bounds: bounds, plan.range)
            return QueryResult(table: Table(names: names, columns: t.columns, rowCount: t.rowCount))
        case .hole:
            guard let hole else { throw Diagnostic("internal: a plan hole without input", at: plan.range) }
            return QueryResult(table: hole)
        case .filter(let input, let conjuncts):
            let bounds = Executor.bounds(conjuncts, over: input)
            return QueryResult(table: try filter(conjuncts, try execute(input, hole: hole, bounds: bounds).table))
        case .project(let input, let exprs):
            let t = try table(input, hole)
            let ev = evaluator(t)
            return QueryResult(table: Table(names: names, columns: try exprs.map { try ev.evaluate($0) }, rowCount: t.rowCount))
        case .aggregate(let input, let keys, let calls, let outputs):
            return QueryResult(table: try aggregate(keys: keys, calls: calls, outputs: outputs, names: names, try table(input, hole)))
        case .sort(let input, let keys):
            return QueryResult(table: try top(Int.max, keys, per: [], try table(input, hole)))
        case .limit(let input, let n):
            return QueryResult(table: try table(input, hole).prefix(n))
        case .topN(let input, let n, let keys, let per):
            return QueryResult(table: try top(n, keys, per: per, try table(input, hole)))
        case .distinct(let input, let columns):
            let t = try table(input, hole)
            let projected = Table(names: names, columns: columns.map { t.columns[$0] }, rowCount: t.rowCount)
            return QueryResult(table: projected.gather(Grouping(keys: projected.columns, rowCount: t.rowCount).firstRows))
        case .count(let input):
            if case .join(let left, let right, let kind, let keys, _) = input.op {
                let count = try joinCount(kind, try table(left, hole), try table(right, hole), keys: keys)
                return QueryResult(table: Table(names: names, columns: [Column(ints: [Int64(count)])]))
            }
            return QueryResult(table: Table(names: names, columns: [Column(ints: [Int64(try table(input, hole).rowCount)])]))
        case .join(let left, let right, let kind, let keys, let rightColumns):
            let l = try table(left, hole), r = try table(right, hole)
            return QueryResult(table: try join(kind, l, r, keys: keys, rightColumns: rightColumns, names: names, plan))
        case .union(let left, let right, let mapping):
            let l = try table(left, hole), r = try table(right, hole)
            try budget.check(rows: l.rowCount + r.rowCount, types: plan.schema.types, what: "`union`", at: plan.range, advice: "filter or aggregate first")
            return QueryResult(table: union(l, r, mapping: mapping, names: names))
        case .analytic(let node):
            return try node.execute(plan, self, hole: hole)
        }
    }

    /// The table a scan reads.
    /// The given columns of a catalog table or of the previous result; a stored table reads only these columns, and
    /// only its blocks that may hold rows within `bounds`.
    func scan(_ source: ScanSource, columns: [Int], bounds: [ColumnBounds], _ range: SourceRange) throws -> Table {
        switch source {
        case .table(let name):
            guard let t = catalog[name] else { throw Diagnostic("unknown table `\(name)`", at: range) }
            do {
                return try t.read(columns, bounds: bounds)
            } catch let problem as FileReadProblem {
                throw Diagnostic("cannot read table `\(name)` from \(problem.file): \(problem.message)", at: range)
            } catch is RemoteTableRead {
                throw Diagnostic("`\(name)` is in the database, and this statement also reads what Tally holds: one statement cannot mix the two",
                                 at: range, hints: ["run the database part first and name its result with `let`, then query that"])
            }
        case .previous:
            guard let previous else { throw Diagnostic("`_` is the previous result, and there is none yet", at: range) }
            return Table(names: columns.map { previous.names[$0] }, columns: columns.map { previous.columns[$0] }, rowCount: previous.rowCount)
        }
    }

    // MARK: Shared helpers for operators

    func evaluator(_ t: Table) -> Evaluator {
        Evaluator(table: t, isCancelled: isCancelled, subquery: { try self.scalar($0, at: $1) })
    }

    /// The single cell of a sub-query used as a value (null when it gives no row).
    func scalar(_ plan: LogicalPlan, at range: SourceRange) throws -> Value {
        if let v = subqueryValues.values[ObjectIdentifier(plan)] { return v }
        let t = try run(plan).table
        guard t.names.count == 1, t.rowCount <= 1 else {
            let columns = "\(t.names.count) column\(t.names.count == 1 ? "" : "s")", rows = "\(t.rowCount) row\(t.rowCount == 1 ? "" : "s")"
            throw Diagnostic("a sub-query used as a value must give one column and at most one row; this gives \(columns) and \(rows)",
                             at: range, hints: ["end it with an `agg` without `by`, e.g. (targets | where month == 2025-11 | agg sum(target))"])
        }
        let v = t.rowCount == 0 ? Value.null : t.columns[0].value(at: 0)
        subqueryValues.values[ObjectIdentifier(plan)] = v
        return v
    }

    /// A number computed once (a constant or a sub-query), such as a goal's target.
    func number(_ e: BoundExpr, what: String) throws -> Double {
        let one = Table(names: [], columns: [], rowCount: 1)
        guard let v = try evaluator(one).evaluate(e).value(at: 0).asDouble else {
            throw Diagnostic("\(what) must be a number; this is empty (null)", at: e.range)
        }
        return v
    }
}
