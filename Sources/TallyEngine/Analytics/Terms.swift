import TallyCore
import TallyLang

extension Executor {
    /// Per group, each term with the rows whose text contains it and their share of the group's rows, most
    /// frequent first (ties by term), the first `top` of each group when given.
    func terms(_ spec: TermsSpec, names: [String], _ t: Table) throws -> Table {
        let ev = evaluator(t)
        let text = try ev.evaluate(spec.text).coerced(to: .string)
        let groupColumns = try spec.groups.map { try ev.evaluate($0) }
        let groups = Grouping(byKeys: groupColumns, rowCount: t.rowCount)
        let groupCount = groups.count, groupOf = groups.ids
        // Each distinct text is split once.
        var termID: [String: Int] = [:], termText: [String] = []
        let termsOfCode: [[Int]] = text.dictionary.map { entry in
            Words.terms(entry, stop: spec.stop).map { term in
                if let id = termID[term] { return id }
                termID[term] = termText.count
                termText.append(term)
                return termText.count - 1
            }
        }
        var documents = [[Int: Int64]](repeating: [:], count: groupCount)
        var rows = [Int64](repeating: 0, count: groupCount)
        for i in 0..<t.rowCount {
            if i & 0xFFFF == 0, isCancelled() { throw Cancelled() }
            let g = Int(groupOf[i])
            rows[g] += 1
            guard !text.isNull(i) else { continue }
            for id in termsOfCode[Int(text.codes[i])] { documents[g][id, default: 0] += 1 }
        }
        let order = groups.sortedByKeys(groupColumns)
        var keyRows: [Int32] = [], term: [String] = [], count: [Int64] = [], share: [Double] = []
        for g in order.map(Int.init) {
            let ranked = documents[g].sorted { $0.value != $1.value ? $0.value > $1.value : termText[$0.key] < termText[$1.key] }
            for (id, n) in ranked.prefix(spec.top ?? ranked.count) {
                keyRows.append(spec.groups.isEmpty ? 0 : groups.firstRows[g])
                term.append(termText[id])
                count.append(n)
                share.append(Double(n) / Double(rows[g]))
            }
        }
        let columns = groupColumns.map { $0.gather(keyRows) } + [Dictionaries.build(term), Column(ints: count), Column(floats: share).percent()]
        return Table(names: names, columns: columns, rowCount: term.count)
    }
}

extension Planner {
    /// `terms TEXT [top N] [stop ("w", …)] [by G, …]`: one row per term (and group), most frequent first.
    func terms(_ text: Expr, top: Expr?, stop: [Expr], by: [Item], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let s = input.schema
        let bound = try binder(s).bind(text)
        guard bound.type == .string || bound.type == .null else {
            throw Diagnostic("`terms` needs text, this is \(Expect.article(bound.type))", at: text.range)
        }
        let limit = try top.map { try count($0, what: "`top`") }
        var words = Set<String>()
        for w in stop {
            guard case .string(let word)? = try binder(Schema(names: [], types: [])).bind(w).constantValue else {
                throw Diagnostic("stop words are text constants such as \"order\"", at: w.range)
            }
            words.insert(word.lowercased())
        }
        let groups = try bindEach(by, with: binder(s))
        let groupNames = by.map(\.outputName)
        let names = groupNames + ["term", "documents", "share"]
        try checkUnique(names, by.map { $0.nameRange ?? $0.expr.range } + Array(repeating: range, count: 3))
        let schema = Schema(names: names, types: groups.map(\.type) + [.string, .int, .float],
                            nullable: groups.map { $0.mayBeNull(s) } + [false, false, false])
        let spec = TermsSpec(text: bound, top: limit, stop: words, groups: groups, groupNames: groupNames)
        return LogicalPlan(.analytic(TermsNode(input: input, spec: spec)), schema: schema, range: range)
    }
}

/// `terms TEXT [top N] [stop (…)] [by G, …]`: the words of a text column, the rows holding each and their share.
struct TermsNode: AnalyticNode {
    let input: LogicalPlan
    let spec: TermsSpec

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { TermsNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        let stop = spec.stop.isEmpty ? "" : " stop (" + spec.stop.sorted().joined(separator: ", ") + ")"
        return "terms \(spec.text.text(input))" + (spec.top.map { " top \($0)" } ?? "") + stop
            + (spec.groups.isEmpty ? "" : " by " + spec.groups.map { $0.text(input) }.joined(separator: ", "))
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, spec.text.columns.union(spec.groups.flatMap(\.columns)))
        let remapped = TermsSpec(text: spec.text.remapped(m), top: spec.top, stop: spec.stop, groups: spec.groups.map { $0.remapped(m) },
                                 groupNames: spec.groupNames)
        return (plan.with(.analytic(TermsNode(input: child, spec: remapped))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: try executor.terms(spec, names: plan.schema.names, try executor.table(input, hole)))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`terms`", at: plan.range, because: "words are split by Tally's own tokenizer")
    }
}
