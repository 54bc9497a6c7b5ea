import TallyCore
import TallyLang

extension Planner {
    /// At most this many dimensions in a tree (its grid has 2^n − 1 groupings).
    static let whyTreeDimensionLimit = 5

    /// The decomposition tree of `why … by D1, D2, …`: first its grid — AGG before and after for every combination of
    /// the dimensions' values, for every subset of the dimensions, as one relational plan (one SQL statement on a
    /// database) — then the tree Tally picks from it.
    func whyTree(_ aggregate: Expr, periods: ComparedPeriods, dims: [Item], top: Expr?, over input: LogicalPlan, _ range: SourceRange) throws -> WhyTreeNode {
        guard dims.count <= Planner.whyTreeDimensionLimit else {
            throw Diagnostic("`why` splits by at most \(Planner.whyTreeDimensionLimit) dimensions, this lists \(dims.count)",
                             at: dims[Planner.whyTreeDimensionLimit].expr.range)
        }
        let width = try top.map { try count($0, what: "`top`") } ?? 3
        guard width >= 1 else { throw Diagnostic("`top` needs at least 1 value per level", at: top?.range ?? range) }
        func named(_ name: String, _ e: Expr) -> Item { Item(name: name, nameRange: nil, expr: e) }
        let names = dims.map(\.outputName)
        var grid: LogicalPlan?
        for set in 0..<(1 << dims.count) {
            let members = dims.indices.filter { set & (1 << $0) != 0 }
            let changes = try whyChanges(aggregate, periods: periods, dims: members.map { dims[$0] }, over: input, sorted: false, range)
            let columns = [named(WhyTreeNode.setColumn, Expr(.literal(.int(Int64(set))), range))]
                + names.indices.map { d in named(names[d], Expr(members.contains(d) ? .column(names[d]) : .literal(.null), range)) }
                + ["before", "after", "change"].map { named($0, Expr(.column($0), range)) }
            let part = try select(columns, changes, range)
            grid = try grid.map { try union($0, part, range, rightRange: range) } ?? part
        }
        return WhyTreeNode(input: grid!, dimNames: names, top: width, text: "why \(aggregate.written) from \(periods.before.description) to "
                               + "\(periods.after.description) by \(names.joined(separator: ", ")) top \(width)")
    }
}

/// `why … by D1, D2, …`: a decomposition tree. Level 1 splits by the dimension whose values' changes are largest in sum
/// of absolute values; within each of its `top` values with the largest changes, the next level splits by the best of
/// the remaining dimensions over that value's rows, and so on. Each row is a node: its level, its path
/// (`region=East / product=Nimbus Phone 216`) and AGG before and after, the change, and the change's share of the whole
/// change. Its input is the grid of every grouping's changes (``Planner/whyTree``), which a database computes in one
/// statement; Tally picks the tree from it.
struct WhyTreeNode: AnalyticNode {
    /// The grid: which dimensions a row groups by (a bit per dimension), their values, before, after, change.
    let input: LogicalPlan
    let dimNames: [String]
    let top: Int
    let text: String

    static let setColumn = "grouping_set"
    static let schema = Schema(names: ["level", "path", "before", "after", "change", "share"], types: [.int, .string, .float, .float, .float, .float],
                               nullable: [false, false, true, true, true, true])

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { WhyTreeNode(input: inputs[0], dimNames: dimNames, top: top, text: text) }

    func description(_ input: Schema) -> String { text }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let (child, _) = pruner.prune(input, Set(input.schema.names.indices))
        return (plan.with(.analytic(with(inputs: [child]))), ColumnPruner.identity(plan.schema.names.count))
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        let grid = WhyGrid(try executor.table(input, hole), dimensions: dimNames.count)
        var out = WhyTreeRows()
        guard let root = grid.rows(set: 0, matching: []).first else { return QueryResult(table: out.table) }
        let total = grid.change(root)
        out.append(level: 0, path: "(all)", grid, root, totalChange: total)
        grow(grid, path: [], level: 1, totalChange: total, &out)
        return QueryResult(table: out.table)
    }

    /// Splits the branch at `path` by the best remaining dimension and grows each of its top values' branch.
    func grow(_ grid: WhyGrid, path: [(dim: Int, value: Value)], level: Int, totalChange: Double?, _ out: inout WhyTreeRows) {
        let used = path.reduce(0) { $0 | (1 << $1.dim) }
        var best: (dim: Int, rows: [Int], size: Double)?
        for d in dimNames.indices where used & (1 << d) == 0 {
            let rows = grid.rows(set: used | (1 << d), matching: path)
            let size = rows.reduce(0.0) { $0 + abs(grid.change($1) ?? 0) }
            if best == nil || size > best!.size { best = (d, rows, size) }
        }
        guard let (d, rows, _) = best else { return }
        let ranked = rows.sorted { a, b in
            let x = abs(grid.change(a) ?? 0), y = abs(grid.change(b) ?? 0)
            return x != y ? x > y : WhyGrid.ascending(grid.value(a, d), grid.value(b, d))
        }
        let prefix = path.map { "\(dimNames[$0.dim])=\(WhyGrid.text($0.value))" }
        for r in ranked.prefix(top) {
            let branch = path + [(d, grid.value(r, d))]
            out.append(level: level, path: (prefix + ["\(dimNames[d])=\(WhyGrid.text(grid.value(r, d)))"]).joined(separator: " / "), grid, r,
                       totalChange: totalChange)
            grow(grid, path: branch, level: level + 1, totalChange: totalChange, &out)
        }
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`why` by several dimensions", at: plan.range,
                                because: "the tree is picked from the grid of changes, which the database computes in one statement")
    }

    var runsInTally: Bool { true }
}

/// The grid a tree is picked from: rows indexed by the set of dimensions they group by.
struct WhyGrid {
    let table: Table
    let dimensions: Int
    let bySet: [Int64: [Int]]

    init(_ table: Table, dimensions: Int) {
        self.table = table
        self.dimensions = dimensions
        var bySet: [Int64: [Int]] = [:]
        for r in 0..<table.rowCount { bySet[table.columns[0].ints[r], default: []].append(r) }
        self.bySet = bySet
    }

    func value(_ row: Int, _ dim: Int) -> Value { table.columns[1 + dim].value(at: row) }

    func number(_ row: Int, _ column: Int) -> Double? {
        let c = table.columns[1 + dimensions + column]
        return c.isNull(row) ? nil : c.double(at: row)
    }

    func change(_ row: Int) -> Double? { number(row, 2) }

    /// The rows of one grouping whose values are those of `path`.
    func rows(set: Int, matching path: [(dim: Int, value: Value)]) -> [Int] {
        (bySet[Int64(set)] ?? []).filter { r in path.allSatisfy { value(r, $0.dim) == $0.value } }
    }

    static func text(_ v: Value) -> String { v == .null ? "NULL" : v.text }

    /// Values in Tally's sort order: numbers by value, text by bytes, nulls last.
    static func ascending(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, _): return false
        case (_, .null): return true
        case (.string(let x), .string(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        default:
            if let x = a.asDouble, let y = b.asDouble { return x < y }
            return a.text < b.text
        }
    }
}

/// The tree's rows as they are found.
struct WhyTreeRows {
    var level: [Int64] = [], path = ColumnBuilder(type: .string)
    var before = ColumnBuilder(type: .float), after = ColumnBuilder(type: .float), change = ColumnBuilder(type: .float)
    var share = ColumnBuilder(type: .float)

    mutating func append(level: Int, path: String, _ grid: WhyGrid, _ row: Int, totalChange: Double?) {
        self.level.append(Int64(level))
        self.path.append(string: path)
        for (k, v) in [grid.number(row, 0), grid.number(row, 1), grid.number(row, 2)].enumerated() {
            switch (k, v) {
            case (0, let v?): before.append(float: v)
            case (1, let v?): after.append(float: v)
            case (2, let v?): change.append(float: v)
            case (0, nil): before.appendNull()
            case (1, nil): after.appendNull()
            default: change.appendNull()
            }
        }
        if let totalChange, totalChange != 0, let c = grid.change(row) { share.append(float: c / totalChange) } else { share.appendNull() }
    }

    var table: Table {
        var shares = share.finish()
        shares.isPercent = true
        return Table(names: WhyTreeNode.schema.names, columns: [Column(ints: level), path.finish(), before.finish(),
                                                                after.finish(), change.finish(), shares])
    }
}
