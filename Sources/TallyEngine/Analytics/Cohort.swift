import TallyCore
import TallyLang

extension Executor {
    /// Retention per cohort of first activity: cohort, size, then the share active p0, p1, … periods later.
    func cohort(key: Int, date: Int, per kind: PeriodKind, _ t: Table) -> Table {
        let k = t.columns[key], d = t.columns[date]
        let groups = Grouping(keys: [k], rowCount: t.rowCount)
        var firstDay = [Int64](repeating: .max, count: groups.count)
        var maxDay = Int64.min
        // Asked to stop, the loops end early: what they leave is consistent, and the result is never shown.
        for i in 0..<t.rowCount where !d.isNull(i) {
            if KernelInterrupt.check(i) { break }
            let g = Int(groups.ids[i])
            firstDay[g] = min(firstDay[g], d.ints[i])
            maxDay = max(maxDay, d.ints[i])
        }
        guard maxDay != .min else { return Executor.cohortMatrix([:], last: nil) }
        let lastPeriod = CivilDate.period(ofDay: maxDay, kind: kind)
        var cohortOf: [Period?] = firstDay.map { $0 == .max ? nil : CivilDate.period(ofDay: $0, kind: kind) }
        var active = Set<JoinKeys.CodePair>()
        for i in 0..<t.rowCount where !d.isNull(i) {
            if KernelInterrupt.check(i) { break }
            let g = Int(groups.ids[i])
            guard let c = cohortOf[g] else { continue }
            let offset = c.distance(to: CivilDate.period(ofDay: d.ints[i], kind: kind))
            active.insert(JoinKeys.CodePair(a: Int64(g), b: offset))
        }
        var cells: [CohortCell: Int64] = [:]
        for pair in active { cells[CohortCell(cohort: cohortOf[Int(pair.a)]!, offset: pair.b), default: 0] += 1 }
        return Executor.cohortMatrix(cells, last: lastPeriod)
    }

    /// The retention matrix from how many keys of each cohort were active each period after it: a cohort's size is its
    /// count at offset 0 (every key is active in its first period); cells beyond the last period are null. Without a
    /// last period (no dates) there is no cohort.
    static func cohortMatrix(_ cells: [CohortCell: Int64], last: Period?) -> Table {
        guard let lastPeriod = last else {
            return Table(names: ["cohort", "size"], columns: [Column(ints: [], type: .period), Column(ints: [])], rowCount: 0)
        }
        let cohorts = Array(Set(cells.keys.map(\.cohort))).sorted()
        let width = cohorts.map { $0.distance(to: lastPeriod) }.max().map { Int($0) + 1 } ?? 0
        let size = cohorts.map { cells[CohortCell(cohort: $0, offset: 0)] ?? 0 }
        var names = ["cohort", "size"]
        var columns = [Column(ints: cohorts.map(\.encoded), type: .period), Column(ints: size)]
        for p in 0..<width {
            names.append("p\(p)")
            let values = cohorts.indices.map { Double(cells[CohortCell(cohort: cohorts[$0], offset: Int64(p))] ?? 0) / Double(size[$0]) }
            let beyond = cohorts.map { Int($0.distance(to: lastPeriod)) < p }
            columns.append(Column(floats: values).nulling(where: beyond).percent())
        }
        return Table(names: names, columns: columns, rowCount: cohorts.count)
    }
}

/// A cell of the cohort matrix: a cohort and a number of periods after it.
struct CohortCell: Hashable {
    let cohort: Period
    let offset: Int64
}

extension Planner {
    /// `cohort [by KEY] [date COL] [per month|quarter|week]`: cohort, size, then p0, p1, … (as many as the data spans).
    func cohort(key: Name?, date: Name?, per: Name?, _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let keyName = key ?? Name(DefaultColumns.customer, range), dateName = date ?? Name(DefaultColumns.saleDate, range)
        let periods: [PeriodKind] = [.month, .quarter, .week]
        guard let kind = per.map({ p in periods.first { $0.name == p.text } }) ?? .month else {
            throw Diagnostic("`cohort … per` takes month, quarter or week", at: per!.range)
        }
        let k = try columnIndex(keyName, input.schema), d = try columnIndex(dateName, input.schema)
        guard input.schema.types[d] == .date else {
            throw Diagnostic("`cohort` needs a date column, `\(dateName.text)` is \(Expect.article(input.schema.types[d]))", at: dateName.range)
        }
        // The span is read (a pass over the dates) only if a later stage names one of p0, p1, ….
        let span = { [self] in
            daySpan(of: d, in: input).map { span -> (count: Int, because: String) in
                let first = CivilDate.period(ofDay: span.first, kind: kind), last = CivilDate.period(ofDay: span.last, kind: kind)
                return (Int(first.distance(to: last)) + 1, "the dates it reads span \(first.description)…\(last.description)")
            }
        }
        let schema = Schema(names: ["cohort", "size"], types: [.period, .int], nullable: [false, false],
                            tail: ColumnTail(prefix: "p", start: 2, type: .float, limit: span))
        return LogicalPlan(.analytic(CohortNode(input: input, key: k, date: d, per: kind)), schema: schema, range: range)
    }
}

extension Planner {
    /// The first and last day of a date column, when it is a column of a table held in memory (or in a file whose
    /// statistics give them) read through filters, sorts and projections, which can only narrow it: what bounds
    /// `cohort`'s p0, p1, … before anything runs.
    func daySpan(of column: Int, in plan: LogicalPlan) -> (first: Int64, last: Int64)? {
        switch plan.op {
        case .scan(.table(let name), let columns):
            guard column < columns.count else { return nil }
            if case .file(let f)? = catalog[name] { return f.integerSpan(columns[column]) }
            guard case .memory(let t)? = catalog[name] else { return nil }
            let c = t.columns[columns[column]]
            var first = Int64.max, last = Int64.min
            for i in 0..<c.count where !c.isNull(i) {
                first = min(first, c.ints[i])
                last = max(last, c.ints[i])
            }
            return first <= last ? (first, last) : nil
        case .filter(let input, _), .sort(let input, _), .limit(let input, _), .topN(let input, _, _, _):
            return daySpan(of: column, in: input)
        case .project(let input, let exprs):
            guard column < exprs.count, case .column(let i) = exprs[column].kind else { return nil }
            return daySpan(of: i, in: input)
        default:
            return nil
        }
    }
}

/// `cohort [by KEY] [date COL] [per PERIOD]`: keys by the period of their first activity, and the share active p0, p1, …
/// periods later.
struct CohortNode: AnalyticNode {
    let input: LogicalPlan
    let key: Int
    let date: Int
    let per: PeriodKind

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { CohortNode(input: inputs[0], key: key, date: date, per: per) }

    func description(_ input: Schema) -> String { "cohort by \(input.names[key]) date \(input.names[date]) per \(per.name)" }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, m) = pruner.prune(input, [key, date])
        return (plan.with(.analytic(CohortNode(input: child, key: m[key]!, date: m[date]!, per: per))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        QueryResult(table: executor.cohort(key: key, date: date, per: per, try executor.table(input, hole)))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`cohort`", at: plan.range, because: "its columns p0, p1, … are known only from the data")
    }

    var runsInTally: Bool { true }

    /// The database counts the keys of each cell (cohort, active period); Tally lays the cells out as the matrix.
    func remote(_ plan: LogicalPlan, _ runner: RemoteRunner) throws -> QueryResult? {
        let rows = try runner.cohortCells(input, key: key, date: date, per: per)
        var cells: [CohortCell: Int64] = [:]
        var last: Period?
        for r in 0..<rows.rowCount {
            let cohort = CivilDate.period(ofDay: rows.columns[0].ints[r], kind: per)
            let active = CivilDate.period(ofDay: rows.columns[1].ints[r], kind: per)
            cells[CohortCell(cohort: cohort, offset: cohort.distance(to: active))] = rows.columns[2].ints[r]
            last = max(last ?? active, active)
        }
        return QueryResult(table: Executor.cohortMatrix(cells, last: last))
    }
}
