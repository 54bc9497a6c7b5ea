import TallyCore
import TallyLang

/// Binds a whole pipeline against the catalog's schemas and turns it into a ``LogicalPlan``. It reads
/// no rows: every unknown name and type error of every stage is found here, before anything runs.
public struct Planner {
    let catalog: Catalog
    let params: [String: Value]
    /// The schema of `_`, when there is a previous result.
    let previous: Schema?
    /// What planning noticed that is not an error.
    public let warnings: Warnings

    public init(catalog: Catalog, params: [String: Value], previous: Schema?, warnings: Warnings = Warnings()) {
        self.catalog = catalog
        self.params = params
        self.previous = previous
        self.warnings = warnings
    }

    /// The plan of a pipeline, or every static problem it has (a ``Diagnostic`` or a ``DiagnosticList``).
    public func plan(_ pipeline: Pipeline) throws -> LogicalPlan {
        let (plan, problems) = planPrefix(pipeline)
        try DiagnosticList.check(problems)
        guard let plan else { throw Diagnostic("nothing to plan", at: pipeline.range) }
        return plan
    }

    /// The plan of as many stages as bind, and the problems of the others. A stage that fails but keeps its
    /// input's columns (`where`, `sort`, `take`, `top`) is skipped so that later stages are still checked; a `select` or
    /// `derive` that fails is replaced by the columns it names (those that did not bind of no known type), so later
    /// stages are checked against them too.
    public func planPrefix(_ pipeline: Pipeline) -> (LogicalPlan?, [Diagnostic]) {
        var problems: [Diagnostic] = []
        var current: LogicalPlan
        do {
            current = try source(pipeline.source)
        } catch {
            return (nil, Planner.diagnostics(error))
        }
        var index = pipeline.stages.startIndex
        while index < pipeline.stages.endIndex {
            let stage = pipeline.stages[index]
            let rest = pipeline.stages[(index + 1)...]
            if case .analytic(let node) = current.op, node is ChartNode {
                problems.append(Diagnostic("`chart` must be the last verb", at: stage.range))
                break
            }
            if let key = current.schema.spreadBy {
                problems.append(Diagnostic("`pivot` makes its columns from the values of \(key) when it runs, so nothing can follow it", at: stage.range,
                                           hints: ["name the columns: pivot \(key) in (\"a\", \"b\") …, then later verbs can use them"]))
                break
            }
            do {
                if case .whatif(let setters, let filter) = stage.kind {
                    current = try whatIf(setters, filter, rest: rest, current, stage)
                    break
                }
                current = try plan(stage, current)
            } catch {
                problems += Planner.diagnostics(error, at: stage.range)
                if let columns = namedColumns(of: stage, current) {
                    current = columns
                } else if !stage.keepsColumns {
                    break
                }
            }
            index += 1
        }
        return (current, problems)
    }

    static func diagnostics(_ error: Error, at range: SourceRange = SourceRange(0, 0)) -> [Diagnostic] {
        switch error {
        case let d as Diagnostic: return [d]
        case let list as DiagnosticList: return list.diagnostics
        default: return [Diagnostic("internal error: \(error)", at: range)]
        }
    }

    /// The plan of where a pipeline's rows come from.
    func source(_ source: PipelineSource) throws -> LogicalPlan {
        switch source {
        case .table(let name):
            guard let t = catalog[name.text] else {
                throw Diagnostic("unknown table `\(name.text)`", at: name.range, hints: unknownNameHints(name.text, candidates: catalog.names, kind: "tables"))
            }
            let schema = Schema(names: t.names, types: t.types, nullable: t.mayBeNull)
            return LogicalPlan(.scan(.table(name.text), columns: Array(schema.names.indices)), schema: schema, range: name.range)
        case .previous(let r):
            guard let previous else { throw Diagnostic("`_` is the previous result, and there is none yet", at: r) }
            return LogicalPlan(.scan(.previous, columns: Array(previous.names.indices)), schema: previous, range: r)
        case .subquery(let p):
            return try plan(p)
        }
    }

    /// One verb over its input's plan.
    func plan(_ stage: Stage, _ input: LogicalPlan) throws -> LogicalPlan {
        let r = stage.range
        switch stage.kind {
        case .whereRows(let e): return try filter(e, input, r)
        case .select(let items): return try select(items, input, r)
        case .derive(let items): return try derive(items, input, r)
        case .drop(let names): return try drop(names, input, r)
        case .rename(let pairs): return try rename(pairs, input, r)
        case .agg(let items, let by): return try aggregate(items, by: by, input, r)
        case .sort(let keys): return try sort(keys, input, r)
        case .take(let n): return LogicalPlan(.limit(input, try count(n, what: "`take`")), schema: input.schema, range: r)
        case .top(let n, let key, let per): return try top(n, key, per: per, input, r)
        case .distinct(let names): return try distinct(names, input, r)
        case .count: return LogicalPlan(.count(input), schema: Schema(names: ["n"], types: [.int], nullable: [false]), range: r)
        case .join(let kind, let source, let keys): return try join(kind, source, keys, input, r)
        case .union(let source): return try union(source, input, r)
        case .segmentInto(let e, let n, let name, let labels):
            let bins = try count(n, what: "`segment … into`")
            guard bins >= 1 else { throw Diagnostic("`segment … into` needs at least 1 bin", at: n.range) }
            return try segment(e, .equalCount(bins), name: name, labels: labels, input, r)
        case .segmentAt(let e, let cuts, let name, let labels):
            return try segment(e, try cutPoints(cuts, e), name: name, labels: labels, input, r)
        case .rfm(let key, let date, let amount): return try rfm(key: key, date: date, amount: amount, input, r)
        case .abc(let e, let key, let cuts): return try abc(e, key: key, cuts: cuts, input, r)
        case .cohort(let key, let date, let per): return try cohort(key: key, date: date, per: per, input, r)
        case .funnel(let stage, let steps, let key, let date, let by): return try funnel(stage, steps: steps, key: key, date: date, by: by, input, r)
        case .terms(let text, let top, let stop, let by): return try terms(text, top: top, stop: stop, by: by, input, r)
        case .pivot(let key, let values, let measure, let by): return try pivot(key, values: values, measure: measure, by: by, input, r)
        case .goal(let aggregate, let comparison, let target, let variable, let low, let high, let setters, let filter, let by):
            return try goal(aggregate, comparison, target, variable, low, high, setters, filter, by, input, r)
        case .simulate(let aggregate, let period, let next, let runs, let seed, let target):
            return try simulate(aggregate, period, next, runs, seed, target, input, r)
        case .chart(let kind, let args, let by, let stacked, let bins): return try chart(kind, args, by: by, stacked: stacked, bins: bins, input, r)
        case .why(let aggregate, let from, let to, let by, let over, let top):
            return try why(aggregate, from: from, to: to, by: by, over: over, top: top, input, r)
        case .pvm(let price, let quantity, let from, let to, let by, let over):
            return try priceVolumeMix(price: price, quantity: quantity, from: from, to: to, by: by, over: over, input, r)
        case .whatif: throw Diagnostic("`whatif` is planned with the rest of its pipeline", at: r)
        }
    }

    // MARK: Shared helpers

    /// A binder over a schema whose sub-queries are planned (and optimized) by this planner.
    func binder(_ schema: Schema) -> Binder {
        var b = Binder(schema: schema, params: params)
        b.subqueries = { p in Optimizer.optimize(try self.plan(p)) }
        return b
    }

    /// A constant non-negative integer argument such as `take N`.
    func count(_ e: Expr, what: String) throws -> Int {
        let b = try binder(Schema(names: [], types: [])).bind(e)
        guard case .int(let v)? = b.constantValue, v >= 0 else {
            throw Diagnostic("\(what) needs a constant whole number ≥ 0", at: e.range)
        }
        return Int(min(v, Int64(Int32.max)))
    }

    /// A constant number argument.
    func constantNumber(_ e: Expr, what: String) throws -> Double {
        guard let v = try binder(Schema(names: [], types: [])).bind(e).constantValue?.asDouble else {
            throw Diagnostic("\(what) must be a constant number", at: e.range)
        }
        return v
    }

    /// The position of a named column, or an error with suggestions.
    func columnIndex(_ name: Name, _ schema: Schema) throws -> Int {
        if let i = schema.names.firstIndex(of: name.text) { return i }
        throw Diagnostic("unknown column `\(name.text)`", at: name.range, hints: unknownNameHints(name.text, candidates: schema.names, kind: "columns"))
    }

    /// Rejects duplicate output names.
    func checkUnique(_ names: [String], _ ranges: [SourceRange]) throws {
        var seen = Set<String>()
        for (n, r) in zip(names, ranges) where !seen.insert(n).inserted {
            throw Diagnostic("duplicate column name `\(n)`", at: r, hints: ["name it: `other_name = …`"])
        }
    }
}

extension Stage {
    /// Whether the verb's output has exactly its input's columns, so later stages can be checked when it fails.
    var keepsColumns: Bool {
        switch kind {
        case .whereRows, .sort, .take, .top: return true
        default: return false
        }
    }
}
