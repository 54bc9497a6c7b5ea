import TallyCore
import TallyLang

extension Planner {
    /// `funnel STAGE steps ("a", "b", …) [key ID] [date COL] [by G, …]`: one row per step (and group).
    func funnel(_ stage: Name, steps: [Expr], key: Name?, date: Name?, by: [Item], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let s = input.schema
        let stageIndex = try columnIndex(stage, s)
        guard s.types[stageIndex] == .string else {
            throw Diagnostic("`funnel` needs a text stage column, `\(stage.text)` is \(Expect.article(s.types[stageIndex]))", at: stage.range)
        }
        guard let first = steps.first else {
            throw Diagnostic("`funnel` needs at least one step", at: range, hints: ["steps (\"lead\", \"qualified\", \"won\")"])
        }
        var names: [String] = []
        for step in steps {
            guard case .string(let text)? = try binder(Schema(names: [], types: [])).bind(step).constantValue else {
                throw Diagnostic("each step is a text constant such as \"lead\"", at: step.range)
            }
            guard !names.contains(text) else { throw Diagnostic("step \"\(text)\" is listed twice", at: step.range) }
            names.append(text)
        }
        let keyIndex = try columnIndex(key ?? Name("opportunity_id", first.range), s)
        let dateName = date ?? Name("entered", first.range)
        let dateIndex = try columnIndex(dateName, s)
        guard s.types[dateIndex] == .date else {
            throw Diagnostic("`funnel` needs a date column, `\(dateName.text)` is \(Expect.article(s.types[dateIndex]))", at: dateName.range)
        }
        let groups = try bindEach(by, with: binder(s))
        let groupNames = by.map(\.outputName)
        let outNames = groupNames + ["step", "step_no", "reached", "conversion", "overall", "dropped", "median_days"]
        try checkUnique(outNames, by.map { $0.nameRange ?? $0.expr.range } + Array(repeating: range, count: 7))
        let schema = Schema(names: outNames, types: groups.map(\.type) + [.string, .int, .int, .float, .float, .int, .float],
                            nullable: groups.map { $0.mayBeNull(s) } + [false, false, false, true, true, true, true])
        let spec = FunnelSpec(stage: stageIndex, steps: names, key: keyIndex, date: dateIndex, groups: groups, groupNames: groupNames)
        return LogicalPlan(.analytic(FunnelNode(input: input, spec: spec)), schema: schema, range: range)
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
