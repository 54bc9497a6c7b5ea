import TallyCore
import TallyLang

/// NTILE: the bin (1…n) of each of `count` sorted positions, in bins whose sizes differ by at most one, larger
/// bins first. Work is proportional to `count`, however large `n` is.
enum NTile {
    static func bins(count: Int, n: Int) -> [Int] {
        let base = count / n, extra = count % n
        let large = extra * (base + 1)
        return (0..<count).map { p in p < large ? p / (base + 1) + 1 : extra + (p - large) / base + 1 }
    }
}

extension Executor {
    /// The bin of each row (1 = lowest; null values get a null bin), as a number or its label, added or replacing a column.
    func segment(_ value: BoundExpr, _ binning: Binning, labels: [String]?, replacing: Int?, name: String, _ t: Table) throws -> Table {
        let x = try evaluator(t).evaluate(value)
        var bin = [Int64](repeating: 0, count: t.rowCount)
        switch binning {
        case .equalCount(let bins):
            let present = (0..<t.rowCount).filter { !x.isNull($0) }.map(Int32.init)
            let order = Sorter.permutation(keys: [(x.gather(present), false)], rowCount: present.count).map { present[Int($0)] }
            for (pos, b) in NTile.bins(count: order.count, n: bins).enumerated() { bin[Int(order[pos])] = Int64(b) }
        case .cutPoints(let cuts):
            let v = x.doubles
            bin = v.map { value in Int64(1 + cuts.filter { value >= $0 }.count) }
        }
        var result = Column(ints: bin, validity: x.validity)
        if let labels {
            result = Executor.ordinal(labels, bins: bin, validity: x.validity)
        }
        var out = t
        if let replacing { out.columns[replacing] = result } else { out.names.append(name); out.columns.append(result) }
        return out
    }

    /// Labels as an ordinal string column: the dictionary holds each distinct label once, in band order, so the
    /// column sorts (and groups) in band order.
    static func ordinal(_ labels: [String], bins: [Int64], validity: Bitmap?) -> Column {
        var dictionary: [String] = []
        var codeOfLabel: [String: Int32] = [:]
        let codeOfBin = labels.map { label in
            if let code = codeOfLabel[label] { return code }
            codeOfLabel[label] = Int32(dictionary.count)
            dictionary.append(label)
            return Int32(dictionary.count - 1)
        }
        var column = Column(codes: bins.map { $0 >= 1 ? codeOfBin[Int($0) - 1] : 0 }, dictionary: dictionary.isEmpty ? [""] : dictionary, validity: validity)
        column.isOrdinal = true
        return column
    }
}

extension Planner {
    /// Cut points of `segment … at (…)`: constant, increasing numbers.
    func cutPoints(_ cuts: [Expr], _ value: Expr) throws -> Binning {
        guard !cuts.isEmpty else { throw Diagnostic("`segment … at` needs at least one cut point", at: value.range) }
        let values = try cuts.map { try constantNumber($0, what: "a cut point") }
        for k in 1..<values.count where values[k] <= values[k - 1] {
            throw Diagnostic("cut points must increase", at: cuts[k].range)
        }
        return .cutPoints(values)
    }

    /// `segment EXPR into N | at (…) [as NAME] [labels (…)]`: a bin column added (or replaced).
    func segment(_ e: Expr, _ binning: Binning, name: Name?, labels: [Expr], _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let value = try binder(input.schema).bind(e)
        switch binning {
        case .equalCount:
            guard value.type != .bool else { throw Diagnostic("`segment` needs a value that sorts, this is a bool", at: e.range) }
        case .cutPoints:
            guard value.type.isNumeric else { throw Diagnostic("`segment … at` needs a number, this is \(Expect.article(value.type))", at: e.range) }
        }
        var texts: [String]?
        if !labels.isEmpty {
            guard labels.count == binning.binCount else {
                throw Diagnostic("\(labels.count) labels for \(binning.binCount) bins", at: labels[0].range.union(labels.last!.range),
                                 hints: ["give one label per bin, lowest first"])
            }
            texts = try labels.map { l -> String in
                guard let v = try binder(input.schema).bind(l).constantValue, !v.isNull else { throw Diagnostic("labels must be constants", at: l.range) }
                return v.text
            }
        }
        let outName = name?.text ?? "segment"
        let schema = input.schema.setting(outName, texts == nil ? .int : .string, nullable: value.mayBeNull(input.schema))
        let replacing = input.schema.names.firstIndex(of: outName)
        let node = SegmentNode(input: input, value: value, binning: binning, labels: texts, replacing: replacing)
        return LogicalPlan(.analytic(node), schema: schema, range: range)
    }
}

/// `segment VALUE into N | at (…) [as NAME] [labels (…)]`: a bin column added after the input's, or replacing the input
/// column of its name.
struct SegmentNode: AnalyticNode {
    let input: LogicalPlan
    let value: BoundExpr
    let binning: Binning
    /// The bins' labels, one per bin, lowest first.
    let labels: [String]?
    /// The input column the bins replace, when the name is one of the input's.
    let replacing: Int?

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode {
        SegmentNode(input: inputs[0], value: value, binning: binning, labels: labels, replacing: replacing)
    }

    func description(_ input: Schema) -> String {
        switch binning {
        case .equalCount(let n): return "segment \(value.text(input)) into \(n)"
        case .cutPoints(let cuts): return "segment \(value.text(input)) at (" + cuts.map { formatNumber($0) }.joined(separator: ", ") + ")"
        }
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let inputCount = input.schema.names.count
        var need = required.filter { $0 < inputCount }.union(value.columns)
        if let replacing { need.insert(replacing) }
        let (child, m) = pruner.prune(input, need)
        let newReplacing = replacing.map { m[$0]! }
        var schema = child.schema
        var mapping = m
        if let replacing, let newReplacing {
            schema.types[newReplacing] = plan.schema.types[replacing]
            schema.nullable[newReplacing] = plan.schema.nullable[replacing]
        } else {
            schema = schema.appending(plan.schema.selecting([inputCount]))
            mapping[inputCount] = child.schema.names.count
        }
        let node = SegmentNode(input: child, value: value.remapped(m), binning: binning, labels: labels, replacing: newReplacing)
        return (plan.with(.analytic(node), schema: schema), mapping)
    }

    /// The name of the bin column: the replaced column's, or the one added last.
    func binName(_ plan: LogicalPlan) -> String { plan.schema.names[replacing ?? plan.schema.names.count - 1] }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        let t = try executor.table(input, hole)
        return QueryResult(table: try executor.segment(value, binning, labels: labels, replacing: replacing, name: binName(plan), t))
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        try generator.segment(try generator.relation(input), value: value, binning: binning, labels: labels, replacing: replacing,
                              name: binName(plan), mayBeNull: value.mayBeNull(input.schema))
    }
}
