@testable import TallyEngine
import TallyCore
import TallyLang
import XCTest

/// Groupings numbered in key order, and aggregates folded per range of rows on every core, give what one pass in row
/// order gives. The inputs are larger than ``Morsels/minimumRowsPerPart`` per core so that they really are split.
final class MorselTests: XCTestCase {
    let n = 4 * Morsels.minimumRowsPerPart + 17

    func bitmap(_ bits: [Bool]) -> Bitmap {
        var b = Bitmap(count: bits.count, value: true)
        for (i, bit) in bits.enumerated() where !bit { b[i] = false }
        return b
    }

    func testRangesCoverTheRowsInOrder() {
        for count in [0, 1, Morsels.minimumRowsPerPart - 1, n] {
            let ranges = Morsels.ranges(count)
            XCTAssertEqual(ranges.first?.lowerBound, 0)
            XCTAssertEqual(ranges.last?.upperBound, count)
            for (a, b) in zip(ranges, ranges.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
        }
        XCTAssertEqual(Morsels.ranges(Morsels.minimumRowsPerPart - 1).count, 1, "a small input is not split")
    }

    func testKeyOrderGroupsAreNumberedAsTheKeysSort() throws {
        let key = Column(ints: [30, 10, 20, 10, 30, 0], validity: bitmap([true, true, true, true, true, false]))
        let g = try XCTUnwrap(Grouping.inKeyOrder([key], rowCount: 6))
        // 10 < 20 < 30, null last; the null row's slot holds 0 but is its own group.
        XCTAssertEqual(g.ids, [2, 0, 1, 0, 2, 3])
        XCTAssertEqual(g.firstRows, [1, 2, 0, 5])
        let names = Dictionaries.build(["pear", "apple", nil, "fig", "apple"])
        let s = try XCTUnwrap(Grouping.inKeyOrder([names], rowCount: 5))
        XCTAssertEqual(s.ids, [2, 0, 3, 1, 0])
        XCTAssertEqual(s.firstRows, [1, 3, 0, 2])
    }

    func testTwoKeysGroupLexicographically() throws {
        let region = Dictionaries.build(["b", "a", "b", "a", "b"]), size = Column(ints: [2, 9, 1, 9, 2])
        let g = try XCTUnwrap(Grouping.inKeyOrder([region, size], rowCount: 5))
        XCTAssertEqual(g.ids, [2, 0, 1, 0, 2])
        XCTAssertEqual(g.count, 3)
    }

    func testKeysThatCannotBeNumberedInOrderFallBack() {
        XCTAssertNil(Grouping.inKeyOrder([Column(floats: [1.5, 2.5])], rowCount: 2), "floats")
        XCTAssertNil(Grouping.inKeyOrder([Column(ints: [0, Int64.max])], rowCount: 2), "a range wider than the slots")
    }

    /// A first key with nulls: its null groups come last, ordered by the second key, as the sort orders them.
    func testAFirstKeyWithNullsIsNumberedInOrderNullsLastByTheNextKey() throws {
        let first = Column(ints: [0, 1, 0, 0], validity: bitmap([false, true, false, true]))
        let g = try XCTUnwrap(Grouping.inKeyOrder([first, Column(ints: [5, 2, 3, 9])], rowCount: 4))
        XCTAssertEqual(g.ids, [3, 1, 2, 0])
        XCTAssertEqual(g.firstRows, [3, 1, 2, 0])
    }

    func testSplitGroupingMatchesFirstAppearanceGroupingSorted() throws {
        var rng = SplitMix64(seed: 11)
        let key = Column(ints: (0..<n).map { _ in Int64(rng.next() % 5_000) + 1_000 })
        let ordered = try XCTUnwrap(Grouping.inKeyOrder([key], rowCount: n))
        let plain = Grouping(keys: [key], rowCount: n)
        XCTAssertEqual(ordered.count, plain.count)
        // Group k of the ordered grouping holds the k-th smallest key, and its first row is that key's first row.
        let sortedFirstRows = plain.firstRows.sorted { key.ints[Int($0)] < key.ints[Int($1)] }
        XCTAssertEqual(ordered.firstRows, sortedFirstRows)
        for i in stride(from: 0, to: n, by: 997) {
            XCTAssertEqual(key.ints[Int(ordered.firstRows[Int(ordered.ids[i])])], key.ints[i])
        }
    }

    func testSplitAggregatesMatchOnePassInRowOrder() throws {
        var rng = SplitMix64(seed: 5)
        let groups = (0..<n).map { _ in Int32(rng.next() % 300) }
        let cents = (0..<n).map { _ in Double(rng.next() % 100_000) / 100 }
        let valid = bitmap((0..<n).map { $0 % 7 != 0 })
        let x = Column(floats: cents, validity: valid)
        func run(_ name: String, _ args: [Column]) throws -> Column {
            try XCTUnwrap(AggregateFunctions.all[name]).compute(args, groups, 300)
        }
        var sums = [Double](repeating: 0, count: 300), counts = [Int64](repeating: 0, count: 300)
        var minRow = [Int](repeating: -1, count: 300), maxRow = minRow, firstRow = minRow, lastRow = minRow
        var byGroup = [[Double]](repeating: [], count: 300)
        for i in 0..<n where valid[i] {
            let k = Int(groups[i])
            byGroup[k].append(cents[i])
            counts[k] += 1
            if minRow[k] < 0 || cents[i] < cents[minRow[k]] { minRow[k] = i }
            if maxRow[k] < 0 || cents[i] > cents[maxRow[k]] { maxRow[k] = i }
            if firstRow[k] < 0 { firstRow[k] = i }
            lastRow[k] = i
        }
        for k in 0..<300 { sums[k] = byGroup[k].reduce(0, +) }
        let total = try run("sum", [x]), count = try run("count", [x]), mean = try run("avg", [x])
        for k in 0..<300 {
            // Compensated sums of cents are exact to well below a cent whatever the split.
            XCTAssertEqual(total.floats[k], sums[k], accuracy: 1e-6)
            XCTAssertEqual(count.ints[k], counts[k])
            XCTAssertEqual(mean.floats[k], sums[k] / Double(counts[k]), accuracy: 1e-9)
        }
        // Ties keep the earliest row: min and max gather the row one pass in order would choose.
        XCTAssertEqual(try run("min", [x]).floats, minRow.map { cents[$0] })
        XCTAssertEqual(try run("max", [x]).floats, maxRow.map { cents[$0] })
        XCTAssertEqual(try run("first", [x]).floats, firstRow.map { cents[$0] })
        XCTAssertEqual(try run("last", [x]).floats, lastRow.map { cents[$0] })
    }

    func testIntegerSumsOverflowingOnlyWhenMergedAreAnError() throws {
        // Each range's sum fits in an Int64 (three quarters of the largest); their total does not.
        let big = Column(ints: [Int64](repeating: Int64.max / Int64(n) / 2 * 3, count: n))
        let groups = [Int32](repeating: 0, count: big.count)
        XCTAssertThrowsError(try XCTUnwrap(AggregateFunctions.all["sum"]).compute([big], groups, 1)) { error in
            XCTAssertTrue("\(error)".contains("integer overflow in `sum`"), "\(error)")
        }
        let small = Column(ints: (0..<Int64(n)).map { $0 })
        let total = try XCTUnwrap(AggregateFunctions.all["sum"]).compute([small], [Int32](repeating: 0, count: n), 1)
        XCTAssertEqual(total.ints, [Int64(n) * Int64(n - 1) / 2])
    }

    func testACallWrittenTwiceOverTheSameColumnsIsComputedOnce() throws {
        func call(_ name: String, _ columns: [Int]) throws -> AggregateCall {
            let at = SourceRange(0, 1)
            return AggregateCall(function: try XCTUnwrap(AggregateFunctions.all[name]),
                                 arguments: columns.map { BoundExpr(.column($0), type: .float, range: at) }, range: at)
        }
        let calls = [try call("sum", [0]), try call("sum", [1]), try call("sum", [0]), try call("count", []), try call("count", []),
                     try call("avg", [0]), try call("count", [0])]
        XCTAssertEqual(Executor.firstOfSameCall(calls), [0, 1, 0, 3, 3, 5, 6])
        // A call over anything but plain columns is never shared.
        let at = SourceRange(0, 1)
        let computed = BoundExpr(.constant(.float(2)), type: .float, range: at)
        let sumOfConstant = AggregateCall(function: try XCTUnwrap(AggregateFunctions.all["sum"]), arguments: [computed], range: at)
        XCTAssertEqual(Executor.firstOfSameCall([sumOfConstant, sumOfConstant]), [0, 1])
    }
}
