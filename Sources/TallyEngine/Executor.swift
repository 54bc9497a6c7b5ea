import Foundation
import TallyCore
import TallyLang

/// What a query produced: a table, and optionally a chart to draw instead and notes to print under it.
public struct QueryResult {
    public var table: Table
    public var chart: ChartSpec?
    public var notes: [String] = []

    public init(table: Table, chart: ChartSpec? = nil, notes: [String] = []) {
        self.table = table
        self.chart = chart
        self.notes = notes
    }
}

/// One line of `.explain`: a stage and what came out of it.
public struct StageReport {
    public let label: String
    public let rows: Int
    public let columns: Int
    public let seconds: Double
}

/// Runs pipelines stage by stage over in-memory tables.
public struct Executor {
    let catalog: Catalog
    let params: [String: Value]
    let previous: Table?
    let isCancelled: CancellationCheck
    /// Called after the source and after each stage (for `.explain`).
    var onStage: ((StageReport) -> Void)?

    public init(catalog: Catalog, params: [String: Value], previous: Table?, isCancelled: @escaping CancellationCheck,
                onStage: ((StageReport) -> Void)? = nil) {
        self.catalog = catalog
        self.params = params
        self.previous = previous
        self.isCancelled = isCancelled
        self.onStage = onStage
    }

    public func run(_ pipeline: Pipeline, source: SourceText? = nil) throws -> QueryResult {
        var clock = Date()
        let input = try resolve(pipeline.source)
        report(source.map { $0.slice(pipeline.source.range) } ?? "source", input, &clock)
        guard let keep = ColumnPruning.needed(pipeline.stages, source: input) else {
            return try run(pipeline.stages[...], on: QueryResult(table: input), source: source, clock: &clock)
        }
        let indices = input.names.indices.filter { keep.contains(input.names[$0]) }
        let pruned = Table(names: indices.map { input.names[$0] }, columns: indices.map { input.columns[$0] }, rowCount: input.rowCount)
        do {
            return try run(pipeline.stages[...], on: QueryResult(table: pruned), source: source, clock: &clock)
        } catch is Diagnostic {
            // Report problems against all the columns, as the user sees them (and their hints).
            return try run(pipeline.stages[...], on: QueryResult(table: input), source: source, clock: &clock)
        } catch is DiagnosticList {
            return try run(pipeline.stages[...], on: QueryResult(table: input), source: source, clock: &clock)
        }
    }

    func run(_ stages: ArraySlice<Stage>, on start: QueryResult, source: SourceText?, clock: inout Date) throws -> QueryResult {
        var result = start
        var index = stages.startIndex
        while index < stages.endIndex {
            let stage = stages[index]
            if isCancelled() { throw Cancelled() }
            if result.chart != nil {
                throw Diagnostic("`chart` must be the last verb", at: stage.range)
            }
            switch stage.kind {
            case .whatif(let setters, let filter):
                let rest = stages[(index + 1)...]
                return try whatif(setters, filter, rest: rest, on: result.table, source: source)
            default:
                result = try apply(stage, to: result, rest: stages[(index + 1)...])
            }
            report(source.map { "| " + $0.slice(stage.range) } ?? stage.verb, result.table, &clock)
            index += 1
        }
        return result
    }

    func report(_ label: String, _ table: Table, _ clock: inout Date) {
        guard let onStage else { return }
        let now = Date()
        onStage(StageReport(label: label, rows: table.rowCount, columns: table.names.count, seconds: now.timeIntervalSince(clock)))
        clock = now
    }

    /// The table a source names.
    func resolve(_ source: PipelineSource) throws -> Table {
        switch source {
        case .table(let name):
            if let t = catalog[name.text] { return t }
            throw Diagnostic("unknown table `\(name.text)`", at: name.range, hints: unknownNameHints(name.text, candidates: catalog.names, kind: "tables"))
        case .previous(let r):
            guard let previous else { throw Diagnostic("`_` is the previous result, and there is none yet", at: r) }
            return previous
        case .subquery(let p):
            return try Executor(catalog: catalog, params: params, previous: previous, isCancelled: isCancelled).run(p).table
        }
    }

    /// One verb.
    func apply(_ stage: Stage, to input: QueryResult, rest: ArraySlice<Stage> = []) throws -> QueryResult {
        let t = input.table
        var out = input
        switch stage.kind {
        case .whereRows(let e): out.table = try whereRows(e, t)
        case .select(let items): out.table = try select(items, t)
        case .derive(let items): out.table = try derive(items, t)
        case .drop(let names): out.table = try drop(names, t)
        case .rename(let pairs): out.table = try rename(pairs, t)
        case .agg(let items, let by): out.table = try aggregate(items, by: by, t, verb: stage)
        case .sort(let keys): out.table = try sort(keys, t)
        case .take(let n): out.table = t.prefix(try count(n, t, what: "`take`"))
        case .top(let n, let key, let per): out.table = try top(n, key, per: per, t)
        case .distinct(let names): out.table = try distinct(names, t)
        case .count: out.table = Table(names: ["n"], columns: [Column(ints: [Int64(t.rowCount)])])
        case .join(let kind, let source, let keys): out.table = try join(kind, source, keys, t, rest: rest)
        case .union(let source): out.table = try union(source, t, at: stage.range)
        case .segmentInto(let e, let n, let name, let labels): out.table = try segmentInto(e, n, name: name, labels: labels, t)
        case .segmentAt(let e, let cuts, let name, let labels): out.table = try segmentAt(e, cuts, name: name, labels: labels, t)
        case .rfm(let key, let date, let amount): out.table = try rfm(key: key, date: date, amount: amount, t, at: stage.range)
        case .abc(let e, let key, let cuts): out.table = try abc(e, key: key, cuts: cuts, t, at: stage.range)
        case .cohort(let key, let date, let per): out.table = try cohort(key: key, date: date, per: per, t, at: stage.range)
        case .goal(let aggregate, let target, let variable, let low, let high, let setters, let filter, let by):
            out = try goal(aggregate, target, variable, low, high, setters, filter, by, t, at: stage.range)
        case .simulate(let aggregate, let period, let next, let runs, let seed, let target):
            out = try simulate(aggregate, period, next, runs, seed, target, t, at: stage.range)
        case .chart(let kind, let args, let bins): out = try chart(kind, args, bins: bins, t)
        case .whatif: break
        }
        return out
    }

    // MARK: Shared helpers for verbs

    func binder(_ t: Table) -> Binder { binder(Schema(t)) }

    /// A binder for a schema that can also run sub-queries used as values.
    func binder(_ schema: Schema) -> Binder {
        var b = Binder(schema: schema, params: params)
        b.subqueries = { p in try Executor(catalog: catalog, params: params, previous: previous, isCancelled: isCancelled).run(p).table }
        return b
    }

    func evaluator(_ t: Table) -> Evaluator { Evaluator(table: t, isCancelled: isCancelled) }

    /// Binds and evaluates an expression over a table.
    func evaluate(_ e: Expr, _ t: Table) throws -> Column {
        try evaluator(t).evaluate(try binder(t).bind(e))
    }

    /// A constant non-negative integer argument such as `take N`.
    func count(_ e: Expr, _ t: Table, what: String) throws -> Int {
        let b = try binder(t).bind(e)
        guard case .int(let v)? = b.constantValue, v >= 0 else {
            throw Diagnostic("\(what) needs a constant whole number ≥ 0", at: e.range)
        }
        return Int(min(v, Int64(Int32.max)))
    }

    /// A constant number argument.
    func constantNumber(_ e: Expr, _ t: Table, what: String) throws -> Double {
        guard let v = try binder(t).bind(e).constantValue?.asDouble else {
            throw Diagnostic("\(what) must be a constant number", at: e.range)
        }
        return v
    }

    /// The position of a named column, or an error with suggestions.
    func columnIndex(_ name: Name, _ t: Table) throws -> Int {
        if let i = t.index(of: name.text) { return i }
        throw Diagnostic("unknown column `\(name.text)`", at: name.range, hints: unknownNameHints(name.text, candidates: t.names, kind: "columns"))
    }

    /// Rejects duplicate output names.
    func checkUnique(_ names: [String], _ ranges: [SourceRange]) throws {
        var seen = Set<String>()
        for (n, r) in zip(names, ranges) where !seen.insert(n).inserted {
            throw Diagnostic("duplicate column name `\(n)`", at: r, hints: ["name it: `other_name = …`"])
        }
    }
}
