import Foundation
import TallyCore

/// A function that folds the rows of each group into one value.
public struct AggregateFunction {
    public let name: String
    public let signature: String
    public let doc: String
    let arity: ClosedRange<Int>
    let resultType: ([DataType]) -> Result<DataType, ArgumentProblem>
    /// Arguments are evaluated over all input rows; `groups[i]` is row i's group in `0..<groupCount`.
    let compute: (_ args: [Column], _ groups: [Int32], _ groupCount: Int) throws -> Column
    /// How the function is written in SQL, per dialect.
    var sqlSpelling: SQLSpelling?
    /// Whether it counts rows (`count`, `countif`, `count_distinct`): never null, and 0 where a group has no rows.
    var countsRows = false
    /// Whether it gives one of its rows' values or their total (`sum`, `min`, `first`, …): a value for every group whose
    /// argument is never null.
    var givesValueOfRows = false
    /// The argument that must be a constant (`quantile`'s p, `nps`'s scale).
    var constantArgument: Int?
    /// The row-wise function that does with several arguments what this one does over rows (`least` for `min`).
    var rowWiseTwin: String?
    /// What to use instead where an aggregate cannot stand (outside `agg`).
    var outsideAggregateHint: String?
    /// For a score read on a fixed scale: the warning (message and hint) when its largest value shows another scale.
    var scaleWarning: ((_ largest: Double) -> (message: String, hint: String)?)?
}

extension AggregateFunction: SQLSpelled, RegistryEntry {}

/// The registry of aggregate functions.
public enum AggregateFunctions {
    public static let all: [String: AggregateFunction] = {
        var d: [String: AggregateFunction] = [:]
        for f in list { d[f.name] = f }
        return d
    }()

    /// The percentage of rows with a value of `x` where `condition` holds, in SQL: `csat` and `nps`.
    static func sharePercent(_ x: SQLExpr, where condition: SQLExpr) -> SQLExpr {
        .decimal("100.0") * .call("count", .when([(condition, .integer(1))])) / .nonZero(.call("count", x))
    }

    /// The first (last) non-null value in the rows' order, in SQL.
    static func firstNonNull(fromEnd: Bool) -> SQLSpelling {
        { c in
            let order = try c.ordered().order.map { SQLOrderKey(expr: $0.expr, descending: $0.descending != fromEnd, isText: $0.isText) }
            guard let first = c.dialect.firstNonNull(c.arguments[0], order: order) else { throw SQLRefusal("its first() ignores the rows' order") }
            return first
        }
    }

    static func numeric(_ name: String, _ sig: String, _ doc: String, arity: ClosedRange<Int> = 1...1, result: @escaping (DataType) -> DataType,
                        compute: @escaping ([Column], [Int32], Int) throws -> Column) -> AggregateFunction {
        AggregateFunction(name: name, signature: sig, doc: doc, arity: arity, resultType: { t in
            if let p = Expect.numeric(name, t, Array(t.indices)) { return .failure(p) }
            return .success(result(t.first ?? .null))
        }, compute: compute)
    }

    static let list: [AggregateFunction] = [
        AggregateFunction(name: "count", signature: "count() or count(x)", doc: "number of rows, or of non-null x", arity: 0...1,
                          resultType: { _ in .success(.int) }, compute: { args, groups, g in
            let parts = Morsels.map(groups.count) { range in
                var counts = [Int64](repeating: 0, count: g)
                if let x = args.first, x.validity != nil {
                    for i in range where !x.isNull(i) { counts[Int(groups[i])] += 1 }
                } else {
                    counts.withUnsafeMutableBufferPointer { c in
                        groups.withUnsafeBufferPointer { ids in for i in range { c[Int(ids[i])] += 1 } }
                    }
                }
                return counts
            }
            return Column(ints: parts.dropFirst().reduce(into: parts[0]) { total, part in for k in 0..<g { total[k] += part[k] } })
        }).sql { c in c.arguments.isEmpty ? .call("count", [.star]) : .call("count", [c.arguments[0]]) }.setting(\.countsRows, true),
        AggregateFunction(name: "count_distinct", signature: "count_distinct(x)", doc: "number of distinct non-null x", arity: 1...1,
                          resultType: { _ in .success(.int) }, compute: { args, groups, g in
            let x = args[0]
            let (codes, cardinality) = Grouping.denseCodes(x)
            var counts = [Int64](repeating: 0, count: g)
            if g * cardinality <= 1 << 32 {
                // One bit per (group, value): set it, and count the first setting.
                var seen = [UInt64](repeating: 0, count: (g * cardinality + 63) / 64)
                seen.withUnsafeMutableBufferPointer { bits in
                    for i in 0..<groups.count where !x.isNull(i) {
                        let slot = Int(groups[i]) * cardinality + Int(codes[i])
                        let mask: UInt64 = 1 << UInt64(slot & 63)
                        if bits[slot >> 6] & mask == 0 { bits[slot >> 6] |= mask; counts[Int(groups[i])] += 1 }
                    }
                }
                return Column(ints: counts)
            }
            // Distinct (group, value) pairs are themselves a grouping; count them per group.
            let pairs = Grouping(keys: [Column(ints: groups.map(Int64.init)), x], rowCount: groups.count)
            for r in pairs.firstRows where !x.isNull(Int(r)) { counts[Int(groups[Int(r)])] += 1 }
            return Column(ints: counts)
        }).sql { c in .aggregate(SQLAggregate(name: "count", arguments: c.arguments, distinct: true)) }.setting(\.countsRows, true),
        numeric("sum", "sum(x)", "total of x", result: { $0 == .int ? .int : .float }) { args, groups, g in
            let x = args[0]
            if x.type == .int { return try integerSums(x, groups, g) }
            let (sums, counts) = GroupMoments.sumsAndCounts(x, groups, g)
            return Column(floats: sums).nulling(where: counts.map { $0 == 0 })
        }.sql { c in
            c.type == .int ? .cast(.call("sum", c.arguments[0]), .tally(.int)) : .call("sum", c.float(c.arguments[0]))
        }.setting(\.givesValueOfRows, true).setting(\.outsideAggregateHint, "for a per-row total use running_sum(x) or share(x)"),
        numeric("avg", "avg(x)", "mean of x", result: { _ in .float }) { args, groups, g in
            let (sums, counts) = GroupMoments.sumsAndCounts(args[0], groups, g)
            return Column(floats: (0..<g).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 }).nulling(where: counts.map { $0 == 0 })
        }.sql { c in .call("avg", c.float(c.arguments[0])) }.setting(\.givesValueOfRows, true),
        numeric("stddev", "stddev(x)", "sample standard deviation of x", result: { _ in .float }) { args, groups, g in
            let (sums, counts) = GroupMoments.sumsAndCounts(args[0], groups, g)
            let means = (0..<g).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 }
            let squares = GroupMoments.squaredDeviations(args[0], groups, means: means, g)
            return Column(floats: (0..<g).map { counts[$0] > 1 ? (squares[$0] / Double(counts[$0] - 1)).squareRoot() : 0 })
                .nulling(where: counts.map { $0 < 2 })
        }.sql { c in .call("stddev_samp", c.float(c.arguments[0])) },
        extreme("min", larger: false).sql { c in .call("min", c.arguments) }.setting(\.givesValueOfRows, true).setting(\.rowWiseTwin, "least"),
        extreme("max", larger: true).sql { c in .call("max", c.arguments) }.setting(\.givesValueOfRows, true).setting(\.rowWiseTwin, "greatest"),
        numeric("median", "median(x)", "middle value of x (linear interpolation)", result: { _ in .float }) { args, groups, g in
            quantiles(args[0], groups, g) { _ in 0.5 }
        }.sql { c in c.dialect.percentile(c.arguments[0], .decimal("0.5")) }.setting(\.givesValueOfRows, true),
        AggregateFunction(name: "quantile", signature: "quantile(x, p)", doc: "the p-quantile of x, 0 ≤ p ≤ 1 (linear interpolation)", arity: 2...2,
            resultType: { t in
            if let p = Expect.numeric("quantile", t, [0, 1]) { return .failure(p) }
            return .success(.float)
        }, compute: { args, groups, g in
            let p = args[1].doubles.first ?? 0.5
            return quantiles(args[0], groups, g) { _ in p }
        }).sql { c in c.dialect.percentile(c.arguments[0], c.arguments[1]) }.setting(\.constantArgument, 1),
        positional("first", fromEnd: false).sql(firstNonNull(fromEnd: false)).setting(\.givesValueOfRows, true),
        positional("last", fromEnd: true).sql(firstNonNull(fromEnd: true)).setting(\.givesValueOfRows, true),
        AggregateFunction(name: "countif", signature: "countif(pred)", doc: "number of rows where pred is true", arity: 1...1, resultType: { t in
            if let p = Expect.type("countif", t, 0, .bool) { return .failure(p) }
            return .success(.int)
        }, compute: { args, groups, g in
            var counts = [Int64](repeating: 0, count: g)
            for i in 0..<groups.count where args[0].isTrue(i) { counts[Int(groups[i])] += 1 }
            return Column(ints: counts)
        }).sql { c in .call("count", .when([(c.arguments[0], .integer(1))])) }.setting(\.countsRows, true),
        AggregateFunction(name: "sumif", signature: "sumif(x, pred)", doc: "total of x over rows where pred is true", arity: 2...2, resultType: { t in
            if let p = Expect.numeric("sumif", t, [0]) ?? Expect.type("sumif", t, 1, .bool) { return .failure(p) }
            return .success(t[0] == .int ? .int : .float)
        }, compute: { args, groups, g in
            let x = args[0]
            if x.type == .int {
                var sums = [Int64](repeating: 0, count: g)
                for i in 0..<groups.count where args[1].isTrue(i) && !x.isNull(i) { sums[Int(groups[i])] &+= x.ints[i] }
                return Column(ints: sums)
            }
            var sums = CompensatedSums(count: g)
            let v = x.doubles
            for i in 0..<groups.count where args[1].isTrue(i) && !x.isNull(i) { sums.add(v[i], to: Int(groups[i])) }
            return Column(floats: sums.totals)
        }).sql { c in
            let sum = SQLExpr.call("sum", .when([(c.arguments[1], c.arguments[0])]))
            return c.type == .int ? .cast(.call("coalesce", sum, .integer(0)), .tally(.int)) : .call("coalesce", c.float(sum), .integer(0))
        },
        numeric("csat", "csat(rating)", "share of ratings 4–5 on a 1–5 scale, 0–100", result: { _ in .float }) { args, groups, g in
            shareScore(args[0], groups, g) { $0 >= 4 ? 1 : 0 }
        }.sql { c in sharePercent(c.arguments[0], where: .binary(c.arguments[0], .greaterOrEqual, .integer(4))) }
            .setting(\.scaleWarning) { largest in
                guard largest > 5 else { return nil }
                return ("csat reads ratings on the 1–5 scale (4 and 5 satisfied), but these go up to \(formatNumber(largest)): "
                        + "most answers count as satisfied", "for a 0–10 score write csat(x / 2) (8 and above satisfied)")
            },
        numeric("nps", "nps(score[, scale])", "% promoters − % detractors (scale 10: 9–10 vs 0–6; scale 5: 5 vs 1–3)", arity: 1...2,
            result: { _ in .float }) { args, groups, g in
            let scale = args.count > 1 ? (args[1].doubles.first ?? 10) : 10
            return shareScore(args[0], groups, g) { v in
                if scale == 5 { return v >= 5 ? 1 : v <= 3 ? -1 : 0 }
                return v >= 9 ? 1 : v <= 6 ? -1 : 0
            }
        }.sql { c in
            let x = c.arguments[0]
            let five = c.constants.count > 1 && c.constants[1]?.asDouble == 5
            let promoter = SQLExpr.binary(x, .greaterOrEqual, .integer(five ? 5 : 9)), detractor = SQLExpr.binary(x, .lessOrEqual, .integer(five ? 3 : 6))
            return sharePercent(x, where: promoter) - sharePercent(x, where: detractor)
        }.setting(\.constantArgument, 1).setting(\.scaleWarning) { largest in
            guard largest <= 5 else { return nil }
            return ("nps reads scores on the 0–10 scale, but these are never above \(formatNumber(largest)): every answer counts as a detractor",
                    "for a 1–5 rating write nps(x, 5) (5 promotes, 1–3 detract)")
        },
    ] + Covariance.functions

    /// Per-group sums of an integer column, an error on overflow; null where a group has no value.
    static func integerSums(_ x: Column, _ groups: [Int32], _ g: Int) throws -> Column {
        guard let (sums, counts) = GroupMoments.integerSums(x, groups, g) else {
            throw KernelError(message: "integer overflow in `sum`", hints: ["sum a float instead: sum(float(x))"])
        }
        return Column(ints: sums).nulling(where: counts.map { $0 == 0 })
    }

    /// 100 × mean of `score(value)` over non-null values.
    static func shareScore(_ x: Column, _ groups: [Int32], _ g: Int, _ score: (Double) -> Double) -> Column {
        var sums = [Double](repeating: 0, count: g)
        var counts = [Int](repeating: 0, count: g)
        let v = x.doubles
        for i in 0..<groups.count where !x.isNull(i) {
            sums[Int(groups[i])] += score(v[i])
            counts[Int(groups[i])] += 1
        }
        return Column(floats: (0..<g).map { counts[$0] > 0 ? 100 * sums[$0] / Double(counts[$0]) : 0 }).nulling(where: counts.map { $0 == 0 })
    }

    /// Per-group quantile with linear interpolation between neighbours: each group's values laid side by side in one
    /// array (a counting sort by group), then each group's quantile found by selection, the groups split over the cores.
    static func quantiles(_ x: Column, _ groups: [Int32], _ g: Int, _ p: (Int) -> Double) -> Column {
        var starts = [Int](repeating: 0, count: g + 1)
        for i in 0..<groups.count where !x.isNull(i) { starts[Int(groups[i]) + 1] += 1 }
        for k in 0..<g { starts[k + 1] += starts[k] }
        var values = [Double](repeating: 0, count: starts[g])
        var next = starts
        let v = x.doubles
        for i in 0..<groups.count where !x.isNull(i) {
            let k = Int(groups[i])
            values[next[k]] = v[i]
            next[k] += 1
        }
        func firstGroup(startingAtOrAfter offset: Int) -> Int {
            var low = 0, high = g
            while low < high {
                let mid = (low + high) / 2
                if starts[mid] < offset { low = mid + 1 } else { high = mid }
            }
            return low
        }
        var out = [Double](repeating: 0, count: g)
        values.withUnsafeMutableBufferPointer { all in
            out.withUnsafeMutableBufferPointer { result in
                Morsels.forEach(all.count) { range in
                    // The groups whose values start in this range; the last range also takes the empty groups at the end.
                    let first = firstGroup(startingAtOrAfter: range.lowerBound)
                    let end = range.upperBound == all.count ? g : firstGroup(startingAtOrAfter: range.upperBound)
                    for k in first..<max(first, end) where starts[k] < starts[k + 1] {
                        result[k] = QuickSelect.quantile(UnsafeMutableBufferPointer(rebasing: all[starts[k]..<starts[k + 1]]), p(k))
                    }
                }
            }
        }
        return Column(floats: out).nulling(where: (0..<g).map { starts[$0] == starts[$0 + 1] })
    }

    static func extreme(_ name: String, larger: Bool) -> AggregateFunction {
        AggregateFunction(name: name, signature: "\(name)(x)", doc: larger ? "largest x" : "smallest x", arity: 1...1, resultType: { t in
            if t[0] == .bool { return .failure(ArgumentProblem(0, "`\(name)` needs a number, date, period or string, argument 1 is a bool")) }
            return .success(t[0])
        }, compute: { args, groups, g in
            let x = args[0]
            let keys: [Double]
            if x.type == .string {
                let ranks = Dictionaries.ranks(x.dictionary)
                keys = x.codes.map { Double(ranks[Int($0)]) }
            } else if x.type == .float {
                keys = x.floats
            } else {
                keys = []
            }
            func isBetter(_ i: Int, than b: Int) -> Bool {
                if keys.isEmpty { return larger ? x.ints[i] > x.ints[b] : x.ints[i] < x.ints[b] }
                return larger ? keys[i] > keys[b] : keys[i] < keys[b]
            }
            let parts = Morsels.map(groups.count) { range in
                var best = [Int32](repeating: -1, count: g)
                for i in range where !x.isNull(i) {
                    let k = Int(groups[i]), b = Int(best[k])
                    if b < 0 || isBetter(i, than: b) { best[k] = Int32(i) }
                }
                return best
            }
            // Ties keep the earliest row, as one pass in row order does.
            var best = parts[0]
            for more in parts.dropFirst() {
                for k in 0..<g where more[k] >= 0 && (best[k] < 0 || isBetter(Int(more[k]), than: Int(best[k]))) { best[k] = more[k] }
            }
            return x.gather(best)
        })
    }

    static func positional(_ name: String, fromEnd: Bool) -> AggregateFunction {
        AggregateFunction(name: name, signature: "\(name)(x)", doc: fromEnd ? "last non-null x in row order" : "first non-null x in row order", arity: 1...1,
                          resultType: { .success($0[0]) }, compute: { args, groups, g in
            let parts = Morsels.map(groups.count) { range in
                var chosen = [Int32](repeating: -1, count: g)
                for i in range where !args[0].isNull(i) {
                    let k = Int(groups[i])
                    if fromEnd || chosen[k] < 0 { chosen[k] = Int32(i) }
                }
                return chosen
            }
            // The earliest range's choice for `first`, the latest's for `last`.
            let ordered = fromEnd ? Array(parts.reversed()) : parts
            var chosen = ordered[0]
            for more in ordered.dropFirst() { for k in 0..<g where chosen[k] < 0 { chosen[k] = more[k] } }
            return args[0].gather(chosen)
        })
    }
}

/// Linear-interpolation quantile of sorted values (the same rule as DuckDB's `quantile_cont`).
public enum Quantile {
    public static func linear(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let pos = min(1, max(0, p)) * Double(sorted.count - 1)
        let lo = Int(pos.rounded(.down))
        let hi = min(sorted.count - 1, lo + 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - Double(lo))
    }
}

/// Per-group Neumaier (compensated) sums, so totals of cents print as cents. Each group's sum and compensation sit
/// side by side, so adding a row to a group touches one cache line (groups by customer are far more than fit in cache).
struct CompensatedSums {
    /// Sum then compensation, for each group.
    private var pairs: [Double]

    init(count: Int) {
        pairs = [Double](repeating: 0, count: 2 * count)
    }

    @inline(__always)
    mutating func add(_ v: Double, to k: Int) {
        let s = pairs[2 * k], t = s + v
        pairs[2 * k + 1] += abs(s) >= abs(v) ? (s - t) + v : (v - t) + s
        pairs[2 * k] = t
    }

    /// Adds `values[i]` to group `groups[i]` for the rows of `range`, skipping null rows when `valid` is given, and counts
    /// the values each group got in `counts` (a count of 0: the group's sum is null).
    mutating func add(_ values: [Double], groups: [Int32], _ range: Range<Int>, valid: Bitmap?, counts: inout [Int]) {
        pairs.withUnsafeMutableBufferPointer { s in
            values.withUnsafeBufferPointer { v in
                groups.withUnsafeBufferPointer { g in
                    counts.withUnsafeMutableBufferPointer { c in
                        @inline(__always) func add(_ i: Int) {
                            let group = Int(g[i]), k = 2 * group, x = v[i], a = s[k], t = a + x
                            s[k + 1] += abs(a) >= abs(x) ? (a - t) + x : (x - t) + a
                            s[k] = t
                            c[group] += 1
                        }
                        if let valid {
                            for i in range where valid[i] { add(i) }
                        } else {
                            // No nulls: no test per row.
                            for i in range { add(i) }
                        }
                    }
                }
            }
        }
    }

    /// Adds another range's sums, group by group, with the same compensation.
    mutating func merge(_ other: CompensatedSums) {
        for k in 0..<pairs.count / 2 {
            add(other.pairs[2 * k], to: k)
            pairs[2 * k + 1] += other.pairs[2 * k + 1]
        }
    }

    var totals: [Double] {
        [Double](unsafeUninitializedCapacity: pairs.count / 2) { out, initialized in
            for k in 0..<out.count { out[k] = pairs[2 * k] + pairs[2 * k + 1] }
            initialized = out.count
        }
    }
}
