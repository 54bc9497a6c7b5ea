import TallyCore

/// A function evaluated over the rows of each partition in the current row order.
public struct WindowFunction {
    public let name: String
    public let signature: String
    public let doc: String
    let arity: ClosedRange<Int>
    let resultType: ([DataType]) -> Result<DataType, ArgumentProblem>
    /// `partitions[i]` is row i's partition id.
    let compute: (_ args: [Column], _ partitions: Grouping) throws -> Column
    /// How the function is written in SQL, per dialect.
    var sqlSpelling: SQLSpelling?
}

extension WindowFunction: SQLSpelled {}

/// The registry of window functions.
public enum WindowFunctions {
    public static let all: [String: WindowFunction] = {
        var d: [String: WindowFunction] = [:]
        for f in list { d[f.name] = f }
        return d
    }()

    static func offset(_ name: String, direction: Int) -> WindowFunction {
        WindowFunction(name: name, signature: "\(name)(x[, n[, key]])",
            doc: (direction < 0 ? "x from n rows earlier in the partition (default 1)" : "x from n rows later in the partition (default 1)")
                + "; with a period or date key, from the row whose key is n periods (days) \(direction < 0 ? "earlier" : "later")",
                       arity: 1...3, resultType: { t in
            if t.count > 1, let p = Expect.type(name, t, 1, .int) { return .failure(p) }
            if t.count > 2, let p = Expect.type(name, t, 2, .period, .date) { return .failure(p) }
            return .success(t[0])
        }, compute: { args, parts in
            // Offsets beyond any partition are clamped: they reach no row either way.
            let n = args.count > 1 ? Int(max(-Int64(Int32.max), min(Int64(Int32.max), args[1].ints.first ?? 1))) : 1
            if args.count > 2 {
                return args[0].gather(try KeyedOffset.sources(name: name, key: args[2], shift: Int64(direction * n), partitions: parts))
            }
            let rows = positions(parts)
            var source = [Int32](repeating: -1, count: parts.ids.count)
            for members in rows {
                for (k, r) in members.enumerated() {
                    let j = k + direction * n
                    if j >= 0, j < members.count { source[Int(r)] = members[j] }
                }
            }
            return args[0].gather(source)
        }).sql { c in
            if c.arguments.count > 2 { return try KeyedOffset.sql(c, name: name, direction: Int64(direction)) }
            return .window(.call(name, [c.arguments[0]] + c.arguments.dropFirst().map(SQLExpr.clampedToInt32)), try c.ordered())
        }
    }

    /// `moving_avg(x, n)` / `moving_sum(x, n)`: over this row and the n − 1 before it in the partition (SQL's
    /// `ROWS BETWEEN n-1 PRECEDING AND CURRENT ROW`), nulls skipped; the first rows use the rows there are.
    static func moving(_ name: String, average: Bool) -> WindowFunction {
        WindowFunction(name: name, signature: "\(name)(x, n)",
                       doc: average ? "average of x over this row and the n − 1 before it" : "sum of x over this row and the n − 1 before it",
                       arity: 2...2, resultType: { t in
            if let p = Expect.numeric(name, t, [0]) ?? Expect.type(name, t, 1, .int) { return .failure(p) }
            return .success(.float)
        }, compute: { args, parts in
            let width = args[1].ints.first ?? 1
            guard args[1].ints.allSatisfy({ $0 == width }), !args[1].hasNulls else {
                throw KernelError(message: "`\(name)` needs a constant window size", hints: ["\(name)(amount, 3)"])
            }
            guard width >= 1 else {
                throw KernelError(message: "`\(name)` needs a window of at least 1 row, got \(width)", hints: ["\(name)(amount, 3)"])
            }
            let rows = Int(min(width, Int64(Int32.max)))
            let x = args[0], v = x.doubles
            var out = [Double](repeating: 0, count: x.count)
            var empty = [Bool](repeating: false, count: x.count)
            for members in positions(parts) {
                var sum = 0.0, count = 0
                for (k, r) in members.enumerated() {
                    if !x.isNull(Int(r)) { sum += v[Int(r)]; count += 1 }
                    if k >= rows {
                        let gone = Int(members[k - rows])
                        if !x.isNull(gone) { sum -= v[gone]; count -= 1 }
                    }
                    if count == 0 { empty[Int(r)] = true } else { out[Int(r)] = average ? sum / Double(count) : sum }
                }
            }
            return Column(floats: out).nulling(where: empty)
        }).sql { c in
            guard c.constants.count == 2, case .int(let n)? = c.constants[1], n >= 1, n <= Int64(Int32.max) else {
                throw SQLRefusal("its window size is not a constant whole number from 1 to 2147483647")
            }
            return .window(.call(average ? "avg" : "sum", c.arguments[0]), try c.ordered(.preceding(n - 1)))
        }
    }

    /// Per partition, the sum of x's values that are there, and whether there was any.
    static func partitionSums(_ x: Column, _ parts: Grouping) -> (sums: [Double], seen: [Bool]) {
        let v = x.doubles
        var sums = [Double](repeating: 0, count: parts.count), seen = [Bool](repeating: false, count: parts.count)
        for i in 0..<x.count where !x.isNull(i) { sums[Int(parts.ids[i])] += v[i]; seen[Int(parts.ids[i])] = true }
        return (sums, seen)
    }

    /// The rows of each partition, in order.
    static func positions(_ parts: Grouping) -> [[Int32]] {
        var rows = [[Int32]](repeating: [], count: parts.count)
        for (i, g) in parts.ids.enumerated() { rows[Int(g)].append(Int32(i)) }
        return rows
    }

    static let list: [WindowFunction] = [
        WindowFunction(name: "running_sum", signature: "running_sum(x)", doc: "sum of x up to this row", arity: 1...1, resultType: { t in
            if let p = Expect.numeric("running_sum", t, [0]) { return .failure(p) }
            return .success(t[0] == .int ? .int : .float)
        }, compute: { args, parts in
            let x = args[0]
            if x.type == .int {
                var acc = [Int64](repeating: 0, count: parts.count)
                var out = [Int64](repeating: 0, count: x.count)
                var overflow = false
                for i in 0..<x.count {
                    let g = Int(parts.ids[i])
                    if !x.isNull(i) { let (s, o) = acc[g].addingReportingOverflow(x.ints[i]); acc[g] = s; overflow = overflow || o }
                    out[i] = acc[g]
                }
                if overflow { throw KernelError(message: "integer overflow in `running_sum`", hints: ["sum a float instead: running_sum(float(x))"]) }
                return Column(ints: out)
            }
            var acc = [Double](repeating: 0, count: parts.count)
            var out = [Double](repeating: 0, count: x.count)
            let v = x.doubles
            for i in 0..<x.count { let g = Int(parts.ids[i]); if !x.isNull(i) { acc[g] += v[i] }; out[i] = acc[g] }
            return Column(floats: out)
        }).sql { c in .window(.call("sum", c.arguments[0]), try c.ordered(.fromStart)) },
        moving("moving_avg", average: true),
        moving("moving_sum", average: false),
        offset("lag", direction: -1),
        offset("lead", direction: 1),
        WindowFunction(name: "pct_change", signature: "pct_change(x)", doc: "x / previous x − 1 in the partition (null for the first row or a zero base)",
            arity: 1...1, resultType: { t in
            if let p = Expect.numeric("pct_change", t, [0]) { return .failure(p) }
            return .success(.float)
        }, compute: { args, parts in
            let x = args[0], v = x.doubles
            var out = [Double](repeating: 0, count: x.count)
            var bad = [Bool](repeating: true, count: x.count)
            for members in positions(parts) {
                for k in 1..<max(1, members.count) {
                    let r = Int(members[k]), p = Int(members[k - 1])
                    if !x.isNull(r), !x.isNull(p), v[p] != 0 { out[r] = v[r] / v[p] - 1; bad[r] = false }
                }
            }
            return Column(floats: out).nulling(where: bad)
        }).sql { c in c.float(c.arguments[0]) / .nonZero(.window(.call("lag", c.arguments[0]), try c.ordered())) - .integer(1) },
        WindowFunction(name: "row_number", signature: "row_number()", doc: "1, 2, 3, … within the partition", arity: 0...0,
            resultType: { _ in .success(.int) }, compute: { _, parts in
            var next = [Int64](repeating: 0, count: parts.count)
            return Column(ints: parts.ids.map { next[Int($0)] += 1; return next[Int($0)] })
        }).sql { c in .window(.call("row_number", []), try c.ordered()) },
        WindowFunction(name: "rank", signature: "rank(x)", doc: "rank by x, largest = 1, ties share a rank (gaps after ties)", arity: 1...1, resultType: { t in
            if t[0] == .bool { return .failure(ArgumentProblem(0, "`rank` needs a value that sorts, argument 1 is a bool")) }
            return .success(.int)
        }, compute: { args, parts in
            let order = Sorter.permutation(keys: [(args[0], true)], rowCount: args[0].count)
            var seen = [Int64](repeating: 0, count: parts.count)
            var lastRow = [Int32](repeating: -1, count: parts.count)
            var lastRank = [Int64](repeating: 0, count: parts.count)
            var out = [Int64](repeating: 0, count: args[0].count)
            let keys = KeyCodes.of(args[0])
            for r in order {
                let g = Int(parts.ids[Int(r)])
                seen[g] += 1
                let prev = lastRow[g]
                if prev >= 0, keys[Int(prev)] == keys[Int(r)] { out[Int(r)] = lastRank[g] } else { out[Int(r)] = seen[g]; lastRank[g] = seen[g] }
                lastRow[g] = r
            }
            return Column(ints: out)
        }).sql { c in
            let largestFirst = SQLOrderKey(expr: c.arguments[0], descending: true, isText: c.argumentTypes[0] == .string)
            return .window(.call("rank", []), SQLWindow(partition: c.partition, order: [largestFirst]))
        },
        WindowFunction(name: "total", signature: "total(x)", doc: "the sum of x in the partition, on every row (null if x is all null)",
                       arity: 1...1, resultType: { t in
            if let p = Expect.numeric("total", t, [0]) { return .failure(p) }
            return .success(.float)
        }, compute: { args, parts in
            let (totals, seen) = partitionSums(args[0], parts)
            return Column(floats: parts.ids.map { totals[Int($0)] }).nulling(where: parts.ids.map { !seen[Int($0)] })
        }).sql { c in .window(.call("sum", c.float(c.arguments[0])), SQLWindow(partition: c.partition)) },
        WindowFunction(name: "share", signature: "share(x)", doc: "x / total of x in the partition", arity: 1...1, resultType: { t in
            if let p = Expect.numeric("share", t, [0]) { return .failure(p) }
            return .success(.float)
        }, compute: { args, parts in
            let x = args[0], v = x.doubles, totals = partitionSums(x, parts).sums
            let out = (0..<x.count).map { totals[Int(parts.ids[$0])] == 0 ? 0 : v[$0] / totals[Int(parts.ids[$0])] }
            return Column(floats: out, validity: x.validity).nulling(where: (0..<x.count).map { totals[Int(parts.ids[$0])] == 0 })
        }).sql { c in c.float(c.arguments[0]) / .nonZero(.window(.call("sum", c.arguments[0]), SQLWindow(partition: c.partition))) },
    ]
}
