import Dispatch
import TallyCore
import TallyLang

/// The state a user builds up: tables (demo, loaded, `let`), parameters and the previous result.
public final class Session {
    public var catalog: Catalog
    /// Defaults from `param` statements.
    public private(set) var paramDefaults: [String: Value] = [:]
    /// Values from `--param` and `.run NAME k=v`; they win over defaults.
    public var paramOverrides: [String: Value] = [:]
    /// Where a query's rows go as a database sends them, so that a large result starts showing at once (the shell sets it
    /// for csv, tsv and jsonl output); the result still comes back whole, as `_`. Nil: results are shown when complete.
    public var resultBatches: ((Table) -> Void)?
    /// How large one result may grow (`--memory-limit`, `.set memory_limit`).
    public var budget = MemoryBudget.standard
    /// The database pipelines over its tables run on (`--connect`, `.connect`).
    public private(set) var backend: SQLBackend?
    /// Tables of Tally's own that a connected database's tables of the same name hide until `.disconnect`.
    private var shadowed: [String: StoredTable] = [:]
    /// The last query result (`_`).
    public private(set) var previous: Table?
    /// The plan of the last query, and the `_` it read (nil when it cannot read one): what `.explain` and `.sql` show
    /// without re-planning its text against a `_` that has changed since.
    public private(set) var lastQuery: (plan: LogicalPlan, previous: Table?)?
    /// Whether the user asked to stop (Ctrl-C).
    public var isCancelled: CancellationCheck {
        didSet {
            KernelInterrupt.isRequested = workCancelled
            Interruption.isRequested = isCancelled
        }
    }

    public init(catalog: Catalog, isCancelled: @escaping CancellationCheck = { false }) {
        self.catalog = catalog
        self.isCancelled = isCancelled
        KernelInterrupt.isRequested = workCancelled
        Interruption.isRequested = isCancelled
    }

    /// What running work polls: the user's Ctrl-C, its own abandonment after one, or allocations past the memory limit.
    var workCancelled: CancellationCheck {
        let asked = isCancelled
        return { LargeStack.isAbandoning || asked() || MemoryWatch.isOver() }
    }

    /// Parameter values in force.
    public var params: [String: Value] { paramDefaults.merging(paramOverrides) { _, o in o } }

    /// Runs `body` with the parameters as they are, and puts them back after: a script run by name declares its own
    /// defaults (`param day = 20`) without changing those of the script that ran it.
    public func withParameterScope<T>(_ overrides: [String: Value], _ body: () throws -> T) rethrows -> T {
        let (defaults, previous) = (paramDefaults, paramOverrides)
        defer { (paramDefaults, paramOverrides) = (defaults, previous) }
        paramOverrides.merge(overrides) { _, new in new }
        return try body()
    }

    /// A planner over the session's tables, parameters and previous result.
    public var planner: Planner {
        Planner(catalog: catalog, params: params, previous: previous.map(Schema.init))
    }

    /// The optimized plan of a pipeline; static errors are thrown before anything runs.
    public func plan(_ pipeline: Pipeline) throws -> LogicalPlan {
        try LargeStack.run { Optimizer.optimize(try self.planner.plan(pipeline)) }
    }

    /// Runs one statement. Returns a result for queries and nil for `let` and `param`.
    /// With a `profile`, rows and time per plan node are recorded in it. The work runs on its own thread and changes
    /// nothing; its result is applied here, so a statement abandoned to Ctrl-C leaves the session as it was.
    public func execute(_ statement: Statement, profile: PlanProfile? = nil) throws -> QueryResult? {
        switch statement {
        case .query(let p):
            let batches = resultBatches
            let (r, plan) = try watchingMemory(at: p.range) {
                try cancellingBackend { try LargeStack.run(cancelledWhen: isCancelled) { try self.run(p, profile: profile, batches: batches) } }
            }
            // The `_` the query read is kept for `.explain` only when it may read it: a result held for nothing is
            // memory the next statements cannot use.
            lastQuery = (plan, plan.mayReadPrevious ? previous : nil)
            previous = r.table
            return r
        case .letBinding(let name, let p):
            let (r, _) = try watchingMemory(at: p.range) {
                try cancellingBackend { try LargeStack.run(cancelledWhen: isCancelled) { try self.run(p, profile: profile) } }
            }
            catalog.add(r.table, as: name.text)
            return nil
        case .param(let name, let e):
            let params = self.params
            let bound = try LargeStack.run { try Binder(schema: Schema(names: [], types: []), params: params).bind(e) }
            guard let v = bound.constantValue else { throw Diagnostic("a parameter default must be a constant", at: e.range) }
            paramDefaults[name.text] = v
            if let given = paramOverrides[name.text] { paramOverrides[name.text] = try Session.override(given, of: name, like: v) }
            return nil
        }
    }

    /// Runs a statement's work against the memory limit: a stop because its allocations passed the limit is the
    /// memory-limit error, at the statement.
    func watchingMemory<T>(at range: SourceRange, _ body: () throws -> T) throws -> T {
        MemoryWatch.start(limit: budget.bytes)
        do {
            return try body()
        } catch is Cancelled where MemoryWatch.stoppedStatement {
            throw Diagnostic("out of memory: Tally holds more than the memory limit of \(MemoryBudget.text(budget.bytes)) allows; the statement was stopped",
                             at: range, hints: ["filter or aggregate earlier, or raise the limit: .set memory_limit 16GB"])
        }
    }

    /// Runs work; on Ctrl-C also asks the database to stop its query (the abandoned work then ends at once).
    func cancellingBackend<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let c as Cancelled {
            backend?.cancel()
            throw c
        }
    }

    /// Connects to a database: its tables become sources (hiding Tally's tables of the same names until disconnecting).
    public func connect(_ database: SQLBackend) throws {
        let tables = try database.tables()
        disconnect()
        backend = database
        for (name, table) in tables {
            if let own = catalog[name], !own.isRemote { shadowed[name] = own }
            catalog.add(.remote(name, table), as: name)
        }
    }

    /// Forgets the database: its tables are no longer sources, and Tally's own tables they hid are back.
    public func disconnect() {
        guard backend != nil else { return }
        backend = nil
        for name in catalog.names where catalog[name]?.isRemote ?? false {
            if let own = shadowed[name] { catalog.add(own, as: name) } else { catalog.remove(name) }
        }
        shadowed = [:]
    }

    /// Plans and runs a pipeline; gives its result and the plan that ran.
    func run(_ pipeline: Pipeline, profile: PlanProfile?, batches: ((Table) -> Void)? = nil) throws -> (QueryResult, LogicalPlan) {
        let planner = self.planner
        let plan = Optimizer.optimize(try planner.plan(pipeline))
        let result = try Executor(catalog: catalog, previous: previous, isCancelled: workCancelled, profile: profile, warnings: planner.warnings,
                                  budget: budget, backend: backend, batches: batches).run(plan, streaming: batches != nil)
        return (result, plan)
    }

    /// Runs a plan of this session with `previous` as `_`; the result does not become `_`.
    public func run(_ plan: LogicalPlan, over previous: Table?, profile: PlanProfile? = nil) throws -> QueryResult {
        try watchingMemory(at: plan.range) {
            try LargeStack.run(cancelledWhen: isCancelled) {
                try Executor(catalog: self.catalog, previous: previous, isCancelled: self.workCancelled, profile: profile, budget: self.budget,
                             backend: self.backend).run(plan)
            }
        }
    }

    /// Runs a statement `runs` more times (after a first run) and returns the last result and each run's
    /// wall time in milliseconds: the loop behind `--bench N`.
    public func benchmark(_ statement: Statement, runs: Int) throws -> (QueryResult?, [Double]) {
        var result: QueryResult?
        var times: [Double] = []
        for _ in 0..<runs {
            let started = DispatchTime.now().uptimeNanoseconds
            result = try execute(statement)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        return (result, times)
    }

    /// The columns a pipeline (or the longest prefix of it that binds) produces, from its plan alone: nothing runs.
    public func schema(of pipeline: Pipeline) -> [String]? {
        guard let plan = try? LargeStack.run({ self.planner.planPrefix(pipeline).0 }) ?? nil else { return nil }
        var names = plan.schema.names
        if let tail = plan.schema.tail { names.append(tail.prefix + "0") }
        return names
    }

    /// A `--param`/`.run` value made the type of the parameter's default: an int for a float, any value's text for a
    /// string; otherwise a different type is an error naming the parameter, the type it takes and an example.
    static func override(_ given: Value, of name: Name, like standard: Value) throws -> Value {
        if given.type == standard.type || given == .null { return given }
        switch (standard, given) {
        case (.float, .int(let i)): return .float(Double(i))
        case (.string, _): return .string(given.text)
        default:
            let shown = given.text.isEmpty ? "an empty value" : "`\(given.text)`"
            let article = standard.type == .int ? "an" : "a"
            throw Diagnostic("parameter \(name.text) takes \(article) \(standard.type.rawValue) (like its default \(standard.text)), but was given \(shown)",
                             at: name.range, hints: ["for example \(name.text)=\(standard.text)"])
        }
    }

    /// Parses a `k=v` value: a literal if it reads as one, otherwise the text itself.
    public static func parameterValue(_ text: String) -> Value {
        let (e, diagnostics) = Parser.parseExpression(SourceText(name: "<param>", text: text))
        if diagnostics.isEmpty, let e, let v = try? Binder(schema: Schema(names: [], types: []), params: [:]).bind(e).constantValue {
            return v
        }
        return .string(text)
    }
}
