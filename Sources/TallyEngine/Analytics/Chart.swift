import TallyCore
import TallyLang

/// One line, set of bars or points of a chart: a value per x, nil where it is null (a gap, no bar).
public struct ChartSeries: Sendable {
    public let name: String
    public let values: [Double?]

    public init(name: String, values: [Double?]) {
        self.name = name
        self.values = values
    }
}

/// What to draw: the x values in order and one or more series over them (for a histogram, each bin's start and count).
public struct ChartSpec: Sendable {
    public let kind: ChartKind
    public let xTitle: String
    public let yTitle: String
    public let x: [Value]
    public let series: [ChartSeries]
    /// Bars of the series stacked rather than side by side.
    public let stacked: Bool
    /// The Y values are fractions to show as percentages (`pct(x)`).
    public let yIsPercent: Bool
    /// Every Y value is a whole number (counts): the axis has whole steps.
    public let yIsWhole: Bool
    /// A histogram's bin width: each x is a bin's lower edge, the bin ends one width later.
    public let binWidth: Double?
    /// A bridge's bars that are totals from zero; the others are steps from the level the bars before reached.
    public let isTotal: [Bool]

    public init(kind: ChartKind, xTitle: String, yTitle: String, x: [Value], series: [ChartSeries], stacked: Bool = false,
                yIsPercent: Bool = false, yIsWhole: Bool = false, binWidth: Double? = nil, isTotal: [Bool] = []) {
        self.kind = kind
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.x = x
        self.series = series
        self.stacked = stacked
        self.yIsPercent = yIsPercent
        self.yIsWhole = yIsWhole
        self.binWidth = binWidth
        self.isTotal = isTotal
    }

    /// Where each bar of a bridge starts and ends: totals from zero, steps from the level before.
    public var bridgeSpans: [(from: Double, to: Double)] {
        var level = 0.0
        return values.enumerated().map { i, v in
            let step = v ?? 0
            if i < isTotal.count, isTotal[i] { level = step; return (0, step) }
            defer { level += step }
            return (level, level + step)
        }
    }

    /// The first series' values (the only one of a histogram or funnel).
    public var values: [Double?] { series.first?.values ?? [] }

    /// Every value that is there, of every series.
    public var present: [Double] { series.flatMap { $0.values.compactMap { $0 } } }
}

extension Executor {
    /// At most this many bars (more would not be read; aggregate or `top` first).
    static let chartBarLimit = 100
    /// At most this many points on a line or scatter chart.
    static let chartPointLimit = 10_000
    /// At most this many series (a legend longer than this is not read).
    static let chartSeriesLimit = 12

    /// The chart's points (and, for a histogram, its bins as the table).
    func chart(_ spec: ChartPlan, _ t: Table, _ range: SourceRange) throws -> QueryResult {
        let ev = evaluator(t)
        if spec.kind == .bridge { return QueryResult(table: t, chart: Executor.bridge(t, title: spec.yTitles[0])) }
        let x = try ev.evaluate(spec.x)
        guard !spec.ys.isEmpty else { return histogram(spec, x) }
        let ys = try spec.ys.map { try ev.evaluate($0) }
        var xs = (0..<x.count).map(x.value(at:))
        var series: [ChartSeries]
        if let seriesExpr = spec.series {
            let s = try ev.evaluate(seriesExpr)
            let distinct = Grouping(keys: [s], rowCount: s.count).count
            guard distinct <= Executor.chartSeriesLimit else {
                throw Diagnostic("`chart … by` would draw \(distinct) series, more than \(Executor.chartSeriesLimit)", at: seriesExpr.range,
                                 hints: ["filter to the series that matter, or chart each separately"])
            }
            (xs, series) = Executor.split(x: xs, y: ys[0], by: s)
        } else {
            series = zip(spec.yTitles, ys).map { name, y in ChartSeries(name: name, values: (0..<y.count).map { y.isNull($0) ? nil : y.double(at: $0) }) }
        }
        let limit = spec.kind == .bar ? Executor.chartBarLimit : Executor.chartPointLimit
        guard xs.count <= limit else {
            let what = spec.kind == .bar ? "bars" : "points"
            throw Diagnostic("`chart \(spec.kind.rawValue)` would draw \(xs.count) \(what), more than \(limit)", at: range,
                             hints: ["aggregate first (agg … by \(spec.xTitle)) or keep the largest: top 20 by \(spec.yTitles[0])"])
        }
        let whole = ys.allSatisfy { $0.type == .int }
        return QueryResult(table: t, chart: ChartSpec(kind: spec.kind, xTitle: spec.xTitle, yTitle: spec.yTitles.joined(separator: ", "), x: xs,
                                                      series: series, stacked: spec.stacked, yIsPercent: ys.allSatisfy(\.isPercent), yIsWhole: whole))
    }

    /// `chart hist X [bins N]`: counts of X in at most about N bins of a nice width (1, 2, 2.5 or 5 × 10ⁿ; whole for
    /// ints) whose edges are multiples of the width, as Vega-Lite's `maxbins` does; the last bin holds its upper edge.
    func histogram(_ spec: ChartPlan, _ x: Column) -> QueryResult {
        let values = (0..<x.count).filter { !x.isNull($0) }.map { x.double(at: $0) }.filter(\.isFinite)
        let lo = values.min() ?? 0, hi = values.max() ?? 0
        // Values whose span is beyond the doubles (−1e308 to 1e308) are binned at a quarter of their size.
        let scale = (hi - lo).isFinite ? 1.0 : 4
        let width = NiceStep.step(span: hi / scale - lo / scale, maxTicks: spec.bins + 1, integers: x.type == .int)
        let first = (lo / scale / width).rounded(.down)
        func bin(_ v: Double) -> Double { (v / scale / width - first).rounded(.down) }
        let n = Int(max(1, min(Double(spec.bins + 2), (hi / scale / width - first).rounded(.up))))
        var counts = [Int64](repeating: 0, count: n)
        for v in values { counts[Int(max(0, min(Double(n - 1), bin(v))))] += 1 }
        // Edges as k × width, so 0.1-wide bins end on 0.3, not 0.30000000000000004 (and the largest double at most).
        let edges = (0...n).map { min(Double.greatestFiniteMagnitude, max(-Double.greatestFiniteMagnitude, (first + Double($0)) * width * scale)) }
        let table = Table(names: ["bin_start", "bin_end", "count"],
                          columns: [Column(floats: Array(edges.dropLast())), Column(floats: Array(edges.dropFirst())), Column(ints: counts)])
        return QueryResult(table: table, chart: ChartSpec(kind: .hist, xTitle: spec.xTitle, yTitle: "count", x: edges.dropLast().map(Value.float),
                                                          series: [ChartSeries(name: "count", values: counts.map(Double.init))], yIsWhole: true,
                                                          binWidth: width * scale))
    }

    /// The waterfall of a `why` or `pvm` result: the total before, each contribution, then the total after. From `pvm`,
    /// its total row's volume, mix and price; from a tree, its first level; from `why … by DIM`, each value's change
    /// (totals the sums of before and after). What the shown steps leave of the change is one more step, `other`.
    static func bridge(_ t: Table, title: String) -> ChartSpec {
        func number(_ name: String, _ row: Int) -> Double {
            guard let c = t.column(name), row < c.count, !c.isNull(row) else { return 0 }
            return c.double(at: row)
        }
        var labels: [Value] = [], steps: [Double] = []
        var before = 0.0, after = 0.0
        var split = t.names.first ?? ""
        if t.column("volume") != nil {
            let total = t.rowCount - 1
            before = number("revenue_before", total)
            after = number("revenue_after", total)
            labels = ["volume", "mix", "price"].map(Value.string)
            steps = ["volume", "mix", "price"].map { number($0, total) }
        } else if let level = t.column("level") {
            let rows = (0..<t.rowCount).filter { !level.isNull($0) && level.ints[$0] == 1 }
            before = number("before", 0)
            after = number("after", 0)
            labels = rows.map { t.column("path")!.value(at: $0) }
            if case .string(let path)? = labels.first, let dimension = path.split(separator: "=").first { split = String(dimension) }
            steps = rows.map { number("change", $0) }
        } else {
            let keyed = t.names.first != "before"
            labels = (0..<t.rowCount).map { keyed ? t.columns[0].value(at: $0) : .string("change") }
            steps = (0..<t.rowCount).map { number("change", $0) }
            before = (0..<t.rowCount).reduce(0) { $0 + number("before", $1) }
            after = (0..<t.rowCount).reduce(0) { $0 + number("after", $1) }
        }
        let rest = (after - before) - steps.reduce(0, +)
        if abs(rest) > 1e-9 * max(1, abs(after), abs(before)) {
            labels.append(.string("other"))
            steps.append(rest)
        }
        let values = [before] + steps + [after]
        return ChartSpec(kind: .bridge, xTitle: split, yTitle: title, x: [.string("before")] + labels + [.string("after")],
                         series: [ChartSeries(name: title, values: values)], isTotal: [true] + steps.map { _ in false } + [true])
    }

    /// `by SERIES`: the distinct x values in order of appearance, and one series per distinct SERIES value (in sort
    /// order) holding the first y of each (x, series) pair.
    static func split(x: [Value], y: Column, by s: Column) -> ([Value], [ChartSeries]) {
        var xIndex: [Value: Int] = [:], xs: [Value] = []
        for v in x where xIndex[v] == nil { xIndex[v] = xs.count; xs.append(v) }
        let order = Sorter.permutation(keys: [(s, false)], rowCount: s.count)
        var names: [Value] = [], sIndex: [Value: Int] = [:]
        for r in order { let v = s.value(at: Int(r)); if sIndex[v] == nil { sIndex[v] = names.count; names.append(v) } }
        var grid = [[Double?]](repeating: [Double?](repeating: nil, count: xs.count), count: names.count)
        var filled = Set<Int>()
        for r in 0..<x.count where !y.isNull(r) {
            let si = sIndex[s.value(at: r)]!, xi = xIndex[x[r]]!
            if filled.insert(si * xs.count + xi).inserted { grid[si][xi] = y.double(at: r) }
        }
        return (xs, zip(names, grid).map { ChartSeries(name: $0.0 == .null ? "NULL" : $0.0.text, values: $0.1) })
    }
}

extension Planner {
    /// `chart bar X Y`, `chart line X Y`, `chart hist X [bins N]`.
    func chart(_ kind: ChartKind, _ args: [Expr], by: Expr?, stacked: Bool, bins: Expr?, _ input: LogicalPlan, _ range: SourceRange) throws -> LogicalPlan {
        let b = binder(input.schema)
        if kind == .bridge {
            let names = Set(input.schema.names)
            let fromPVM = names.isSuperset(of: ["revenue_before", "volume", "mix", "price", "revenue_after"])
            guard fromPVM || names.isSuperset(of: ["before", "after", "change"]) else {
                throw Diagnostic("`chart bridge` draws the result of `why` or `pvm`: it needs the columns before, after and change", at: range,
                                 hints: ["… | why sum(amount) from 2025-10 to 2025-11 by region | chart bridge"])
            }
            let spec = ChartPlan(kind: kind, x: try b.bind(Expr(.column(input.schema.names[0]), range)), ys: [], series: nil, stacked: false, bins: 0,
                                 xTitle: input.schema.names[0], yTitles: [fromPVM ? "revenue" : "value"])
            return LogicalPlan(.analytic(ChartNode(input: input, spec: spec)), schema: input.schema, range: range)
        }
        if kind == .funnel {
            guard input.schema.names.contains("step"), input.schema.names.contains("reached") else {
                throw Diagnostic("`chart funnel` draws the result of `funnel`: it needs the columns `step` and `reached`", at: range,
                                 hints: ["… | funnel stage steps (\"lead\", \"won\") | chart funnel"])
            }
            let spec = ChartPlan(kind: kind, x: try b.bind(Expr(.column("step"), range)), ys: [try b.bind(Expr(.column("reached"), range))],
                                 series: nil, stacked: false, bins: 0, xTitle: "step", yTitles: ["reached"])
            return LogicalPlan(.analytic(ChartNode(input: input, spec: spec)), schema: input.schema, range: range)
        }
        guard let first = args.first else { throw Diagnostic("`chart \(kind.rawValue)` needs a column", at: range) }
        let x = try b.bind(first)
        if kind == .hist {
            guard x.type.isNumeric else { throw Diagnostic("`chart hist` needs a number, this is \(Expect.article(x.type))", at: first.range) }
            let n = try bins.map { try count($0, what: "`bins`") } ?? 10
            guard n >= 1, n <= 200 else { throw Diagnostic("`bins` must be between 1 and 200", at: bins!.range) }
            let spec = ChartPlan(kind: kind, x: x, ys: [], series: nil, stacked: false, bins: n, xTitle: first.autoName, yTitles: ["count"])
            let schema = Schema(names: ["bin_start", "bin_end", "count"], types: [.float, .float, .int], nullable: [false, false, false])
            return LogicalPlan(.analytic(ChartNode(input: input, spec: spec)), schema: schema, range: range)
        }
        guard args.count >= 2 else { throw Diagnostic("`chart \(kind.rawValue)` needs X and Y", at: range) }
        var ys: [BoundExpr] = []
        for e in args.dropFirst() {
            let y = try b.bind(e)
            guard y.type.isNumeric else { throw Diagnostic("the chart's Y needs a number, this is \(Expect.article(y.type))", at: e.range) }
            ys.append(y)
        }
        if kind == .scatter {
            guard x.type.isNumeric else { throw Diagnostic("`chart scatter` needs a number on X, this is \(Expect.article(x.type))", at: first.range) }
        }
        if let by, args.count > 2 {
            throw Diagnostic("`by` splits one Y into series; this chart has \(args.count - 1) Ys", at: by.range,
                             hints: ["chart \(kind.rawValue) \(first.autoName) \(args[1].autoName) by \(by.autoName)"])
        }
        if stacked, kind != .bar { throw Diagnostic("only bars stack", at: range, hints: ["chart bar X Y by SERIES stacked"]) }
        let series = try by.map { try b.bind($0) }
        let spec = ChartPlan(kind: kind, x: x, ys: ys, series: series, stacked: stacked, bins: 0, xTitle: first.autoName,
                             yTitles: args.dropFirst().map(\.autoName))
        return LogicalPlan(.analytic(ChartNode(input: input, spec: spec)), schema: input.schema, range: range)
    }
}

/// `chart bar|line|scatter X Y, … [by S] [stacked] | hist X [bins N] | funnel`: a chart of its input (a histogram's bins
/// for `hist`).
struct ChartNode: AnalyticNode {
    let input: LogicalPlan
    let spec: ChartPlan

    var inputs: [LogicalPlan] { [input] }

    func with(inputs: [LogicalPlan]) -> any AnalyticNode { ChartNode(input: inputs[0], spec: spec) }

    func description(_ input: Schema) -> String {
        "chart \(spec.kind.rawValue) \(spec.x.text(input))" + (spec.ys.isEmpty ? "" : " " + spec.ys.map { $0.text(input) }.joined(separator: ", "))
            + (spec.series.map { " by \($0.text(input))" } ?? "") + (spec.stacked ? " stacked" : "") + (spec.kind == .hist ? " bins \(spec.bins)" : "")
    }

    func pruned(_ plan: LogicalPlan, required: Set<Int>, _ pruner: ColumnPruner) -> (plan: LogicalPlan, mapping: [Int: Int]) {
        let drawn = ([spec.x] + spec.ys + (spec.series.map { [$0] } ?? [])).flatMap(\.columns)
        let (child, m) = pruner.prune(input, Set(drawn).union(spec.kind == .hist ? [] : required))
        let node = ChartNode(input: child, spec: spec.remapped(m))
        // A histogram gives its bins; the other charts pass their input's rows on.
        if spec.kind == .hist { return (plan.with(.analytic(node)), ColumnPruner.identity(plan.schema.names.count)) }
        return (plan.with(.analytic(node), schema: child.schema), m)
    }

    func execute(_ plan: LogicalPlan, _ executor: Executor, hole: Table?) throws -> QueryResult {
        try executor.chart(spec, try executor.table(input, hole), plan.range)
    }

    func sql(_ plan: LogicalPlan, _ generator: SQLGenerator) throws -> SQLRelation {
        throw generator.refusal("`chart`", at: plan.range, because: "charts are drawn by Tally")
    }

    var runsInTally: Bool { true }
}
