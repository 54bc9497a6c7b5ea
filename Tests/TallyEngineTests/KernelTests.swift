@testable import TallyEngine
import TallyCore
import TallyLang
import Synchronization
import Dispatch
import XCTest

final class KernelTests: XCTestCase {
    func strings(_ values: [String?]) -> Column { Dictionaries.build(values) }

    func testIntegerArithmeticChecksOverflow() throws {
        let a = Column(ints: [Int64.max, 1]), b = Column(ints: [1, 1])
        XCTAssertThrowsError(try Arithmetic.apply(.add, a, b, type: .int))
        XCTAssertEqual(try Arithmetic.apply(.multiply, Column(ints: [3, -4]), Column(ints: [5, 6]), type: .int).ints, [15, -24])
    }

    func testCalendarFunctionsOnceADayGiveWhatTheyGivePerRow() {
        let month = { (d: Int64) in CivilDate.period(ofDay: d, kind: .month).encoded }
        var rng = SplitMix64(seed: 7)
        // Dates of 2023-2025 (with day-0 slots, as nulls hold), a single day, a span wider than the rows, extremes.
        let cases: [[Int64]] = [
            (0..<5_000).map { _ in Int64(19_358 + rng.next() % 1_096) } + [0, 0],
            [20_000, 20_000, 20_000],
            [-1_000_000, 3, 2_000_000],
            [-1_000_000_000, 1_000_000_000],
            [],
        ]
        for days in cases {
            XCTAssertEqual(ScalarFunctions.perDistinctDay(days, month), days.map(month), "\(days.prefix(4))")
        }
        // 2025-02-28 (day 20,147) is in 2025-02, 2025-03-01 in 2025-03.
        XCTAssertEqual(ScalarFunctions.perDistinctDay([20_147, 20_148], month), [Period.month(2025, 2).encoded, Period.month(2025, 3).encoded])
    }

    func testASliceIsTheGatherOfItsRows() {
        let c = strings(["a", nil, "b", "c", nil, "d"])
        for range in [0..<6, 1..<4, 2..<2, 5..<6] {
            let sliced = c.slice(range), gathered = c.gather(range.map { Int32($0) })
            XCTAssertEqual((0..<sliced.count).map(sliced.value), (0..<gathered.count).map(gathered.value), "\(range)")
        }
        let f = Column(floats: [1, 2, 3, 4])
        XCTAssertEqual(f.slice(1..<3).floats, [2, 3])
        XCTAssertNil(f.slice(1..<3).validity)
    }

    func testDivisionByZeroIsNull() throws {
        let r = try Arithmetic.apply(.divide, Column(floats: [1, 2]), Column(floats: [0, 4]), type: .float)
        XCTAssertTrue(r.isNull(0))
        XCTAssertEqual(r.floats[1], 0.5)
    }

    func testStringComparisonAcrossDictionaries() {
        let a = strings(["b", "a", "c", nil]), b = strings(["c", "a", "a", "a"])
        let lt = Compare.apply(.less, a, b)
        XCTAssertEqual(lt.ints.prefix(3), [1, 0, 0])
        XCTAssertTrue(lt.isNull(3))
        XCTAssertEqual(Compare.apply(.equal, a, strings(["a", "a", "a", "a"])).ints.prefix(3), [0, 1, 0])
    }

    func testThreeValuedLogic() {
        let t = Column(ints: [1, 0, 1, 0, 1], type: .bool, validity: nil)
        var nb = Bitmap(count: 5, value: true)
        nb[0] = false; nb[1] = false
        let n = Column(ints: [0, 0, 1, 1, 0], type: .bool, validity: nb)
        let and = Logic.apply(.and, t, n), or = Logic.apply(.or, t, n)
        XCTAssertTrue(and.isNull(0))          // true and null
        XCTAssertEqual(and.value(at: 1), .bool(false))  // false and null
        XCTAssertEqual(or.value(at: 0), .bool(true))    // true or null
        XCTAssertTrue(or.isNull(1))           // false or null
    }

    func testGroupingNumbersGroupsByFirstAppearance() {
        let g = Grouping(keys: [strings(["x", "y", "x", nil, "y"]), Column(ints: [1, 1, 1, 1, 2])], rowCount: 5)
        XCTAssertEqual(g.ids, [0, 1, 0, 2, 3])
        XCTAssertEqual(g.firstRows, [0, 1, 3, 4])
    }

    func testSortIsStableWithNullsLast() {
        var v = Bitmap(count: 5, value: true)
        v[1] = false
        let c = Column(floats: [2, 0, 1, 2, 1], validity: v)
        XCTAssertEqual(Sorter.permutation(keys: [(c, false)], rowCount: 5), [2, 4, 0, 3, 1])
        XCTAssertEqual(Sorter.permutation(keys: [(c, true)], rowCount: 5), [0, 3, 2, 4, 1])
    }

    /// Rows with a null first key come last, ordered by the second key as SQL's `ORDER BY a NULLS LAST, b` orders them.
    func testRowsWithANullKeyAreOrderedByTheLaterKeys() {
        var valid = Bitmap(count: 5, value: true)
        valid[0] = false
        valid[3] = false
        let first = Column(ints: [0, 2, 1, 0, 1], validity: valid), second = Column(ints: [9, 5, 7, 3, 6])
        XCTAssertEqual(Sorter.permutation(keys: [(first, false), (second, false)], rowCount: 5), [4, 2, 1, 3, 0])
    }

    /// Several keys, packed into one code when their spans fit 64 bits (negatives, text, descending thousands) and sorted
    /// key by key when not (a wide int, floats), order rows as a stable sort of their tuples does.
    func testMultiKeySortsAreStableTupleSorts() {
        var random = SplitMix64(seed: 7)
        let n = 50_000
        let small = Column(ints: (0..<n).map { _ in Int64(random.next() % 7) - 3 })
        let text = Column(codes: (0..<n).map { _ in Int32(random.next() % 5) }, dictionary: ["pear", "apple", "fig", "kiwi", "date"])
        let fraction = Column(floats: (0..<n).map { _ in Double(random.next() % 1_000) / 8 })
        let wide = Column(ints: (0..<n).map { _ in Int64(bitPattern: random.next()) })
        let thousands = Column(ints: (0..<n).map { _ in Int64(random.next() % 1_000) })
        let packable = [(small, false), (text, false), (thousands, true)], unpackable = [(text, true), (wide, false), (fraction, true)]
        XCTAssertNotNil(Sorter.packed(packable.map { Sorter.sortCodes($0.0, descending: $0.1) }))
        XCTAssertNil(Sorter.packed(unpackable.map { Sorter.sortCodes($0.0, descending: $0.1) }))
        for keys in [packable, unpackable] {
            let expected = (0..<n).sorted { a, b in
                for (column, descending) in keys {
                    let x = column.value(at: a), y = column.value(at: b)
                    if x == y { continue }
                    let less: Bool
                    switch (x, y) {
                    case (.int(let p), .int(let q)): less = p < q
                    case (.float(let p), .float(let q)): less = p < q
                    case (.string(let p), .string(let q)): less = p < q
                    default: less = false
                    }
                    return descending ? !less : less
                }
                return a < b
            }
            XCTAssertEqual(Sorter.permutation(keys: keys, rowCount: n), expected.map { Int32($0) })
        }
    }

    /// Per-group heaps keep what a stable sort followed by each group's first `n` rows keeps, ties (few distinct codes)
    /// to the earlier row, for heaps of one, two, seven and 22 entries and for groups smaller than `n`.
    func testPerGroupHeapsKeepWhatASortKeeps() {
        var random = SplitMix64(seed: 11)
        let n = 20_000
        let codes = (0..<n).map { _ in random.next() % 50 }
        let groups = Grouping(keys: [Column(ints: (0..<n).map { _ in Int64(random.next() % 900) })], rowCount: n)
        let sorted: [Int32] = (0..<Int32(n)).sorted { (a: Int32, b: Int32) -> Bool in
            let x = codes[Int(a)], y = codes[Int(b)]
            return x != y ? x < y : a < b
        }
        for k in [1, 2, 7, 22] {
            var taken = [Int](repeating: 0, count: groups.count)
            let expected = sorted.filter { r in
                let g = Int(groups.ids[Int(r)])
                taken[g] += 1
                return taken[g] <= k
            }
            XCTAssertEqual(GroupTopN.rows(k, codes: codes, groups: groups), expected.sorted(), "n = \(k)")
        }
        XCTAssertNil(GroupTopN.rows(23, codes: codes, groups: groups), "900 groups × 23 slots outnumber the rows: sorted instead")
    }

    /// Selection gives the quantile sorting gives, bit for bit: random values with many ties, sorted, reversed, all
    /// equal, one and two values, at p = 0, 0.5, 0.9 and 1.
    func testQuantilesBySelectionEqualQuantilesBySorting() {
        var random = SplitMix64(seed: 5)
        var inputs: [[Double]] = (0..<200).map { i in (0..<(1 + i * 7)).map { _ in Double(random.next() % 40) / 4 } }
        inputs += [Array(stride(from: 0.0, to: 5_000, by: 1)), Array(stride(from: 5_000.0, to: 0, by: -1))]
        inputs += [[Double](repeating: 3.5, count: 4_097), [7], [2, -1]]
        for values in inputs {
            for p in [0, 0.5, 0.9, 1] {
                var scratch = values
                let selected = scratch.withUnsafeMutableBufferPointer { QuickSelect.quantile($0, p) }
                XCTAssertEqual(selected, Quantile.linear(values.sorted(), p), "\(values.count) values, p = \(p)")
            }
        }
    }

    /// Integer sums are exact, skip nulls, and fall back to doubles when a group's total passes 64 bits; counts are of
    /// non-null values. The rows are many enough to be split over the cores.
    func testGroupMomentsCountNonNullValuesAndSurviveOverflow() {
        let n = 300_000
        var valid = Bitmap(count: n, value: true)
        for i in stride(from: 0, to: n, by: 3) { valid[i] = false }
        let values = Column(ints: (0..<n).map { Int64($0 % 1_000) }, validity: valid)
        let groups = (0..<n).map { Int32($0 % 4) }
        let (sums, counts) = GroupMoments.sumsAndCounts(values, groups, 4)
        for k in 0..<4 {
            let rows = (0..<n).filter { $0 % 4 == k && $0 % 3 != 0 }
            XCTAssertEqual(counts[k], rows.count)
            XCTAssertEqual(sums[k], Double(rows.reduce(0) { $0 + $1 % 1_000 }))
        }
        let huge = Column(ints: [Int64.max, Int64.max, 1])
        let (hugeSums, hugeCounts) = GroupMoments.sumsAndCounts(huge, [0, 0, 1], 2)
        XCTAssertEqual(hugeSums, [2 * Double(Int64.max), 1])
        XCTAssertEqual(hugeCounts, [2, 1])
    }

    /// Comoments split over the cores equal one pass of the textbook formula over the rows where both values are present.
    func testComomentsOverTheCoresEqualOnePassOverTheRows() {
        var random = SplitMix64(seed: 9)
        let n = 300_000
        var valid = Bitmap(count: n, value: true)
        for i in stride(from: 0, to: n, by: 7) { valid[i] = false }
        let x = Column(ints: (0..<n).map { _ in Int64(random.next() % 100) }, validity: valid)
        let y = Column(floats: (0..<n).map { i in Double(i % 100) / 3 + Double(random.next() % 10) })
        let groups = (0..<n).map { Int32($0 % 3) }
        let m = Covariance.comoments(x, y, groups, 3)
        for k in 0..<3 {
            let rows = (0..<n).filter { $0 % 3 == k && $0 % 7 != 0 }
            let mx = rows.reduce(0.0) { $0 + Double(x.ints[$1]) } / Double(rows.count)
            let my = rows.reduce(0.0) { $0 + y.floats[$1] } / Double(rows.count)
            let xy = rows.reduce(0.0) { $0 + (Double(x.ints[$1]) - mx) * (y.floats[$1] - my) }
            XCTAssertEqual(m.count[k], rows.count)
            XCTAssertEqual(m.xy[k], xy, accuracy: abs(xy) * 1e-9)
        }
    }

    /// Grouping by sorting numbers the groups hashing finds, in key order (nulls of either key last), each group's first
    /// row the earliest; few groups are left to hashing.
    func testGroupingBySortingNumbersGroupsInKeyOrder() {
        var random = SplitMix64(seed: 13)
        let n = 1 << 20
        var valid = Bitmap(count: n, value: true)
        var textValid = Bitmap(count: n, value: true)
        for i in stride(from: 5, to: n, by: 97) { valid[i] = false }
        for i in stride(from: 7, to: n, by: 89) { textValid[i] = false }
        let text = Column(codes: (0..<n).map { _ in Int32(random.next() % 3) }, dictionary: ["pear", "apple", "fig"], validity: textValid)
        let number = Column(ints: (0..<n).map { _ in Int64(random.next() % 3_000_000) - 1_000 }, validity: valid)
        guard let sorted = Grouping.bySorting([text, number], rowCount: n) else { return XCTFail("a million rows in ~a million groups") }
        let hashed = Grouping(byKeys: [text, number], rowCount: n)
        XCTAssertEqual(sorted.count, hashed.count)
        let firstKeys = [text.gather(sorted.firstRows), number.gather(sorted.firstRows)]
        XCTAssertEqual(Sorter.permutation(keys: firstKeys.map { ($0, false) }, rowCount: sorted.count), (0..<Int32(sorted.count)).map { $0 })
        let expectedFirst = hashed.sortedByKeys([text, number]).map { hashed.firstRows[Int($0)] }
        XCTAssertEqual(sorted.firstRows, expectedFirst)
        for i in stride(from: 0, to: n, by: 1_009) {
            XCTAssertEqual(sorted.firstRows[Int(sorted.ids[i])], hashed.firstRows[Int(hashed.ids[i])], "row \(i)")
        }
        let fewGroups = Column(ints: (0..<n).map { Int64($0 % 50) })
        XCTAssertNil(Grouping.bySorting([text, fewGroups], rowCount: n))
    }

    func testNTileSizesDifferByOneLargerFirst() {
        XCTAssertEqual(NTile.bins(count: 7, n: 3), [1, 1, 1, 2, 2, 3, 3])
        XCTAssertEqual(NTile.bins(count: 2, n: 5), [1, 2])
    }

    func testQuantileInterpolates() {
        XCTAssertEqual(Quantile.linear([1, 2, 3, 4], 0.5), 2.5)
        XCTAssertEqual(Quantile.linear([10, 20], 0.9), 19, accuracy: 1e-12)
    }

    func testCommissionBands() {
        let bands = [(0.0, 0.05), (100_000.0, 0.06), (125_000.0, 0.07)]
        XCTAssertEqual(Incentives.marginal(150_000, bands), 8_250, accuracy: 1e-9)
        XCTAssertEqual(Incentives.flat(150_000, bands), 10_500, accuracy: 1e-9)
        XCTAssertEqual(Incentives.marginal(100_000, bands), 5_000, accuracy: 1e-9)
    }

    func testRFMGrid() {
        XCTAssertEqual(RFMGrid.segment(r: 5, f: 5), "Champions")
        XCTAssertEqual(RFMGrid.segment(r: 1, f: 5), "Can't Lose")
        XCTAssertEqual(RFMGrid.segment(r: 3, f: 3), "Need Attention")
        XCTAssertEqual(RFMGrid.segment(r: 5, f: 1), "New Customers")
        XCTAssertEqual(RFMGrid.tier("Can't Lose"), "high-value")
        XCTAssertEqual(RFMGrid.tier("At Risk"), "ordinary")
    }
}

/// How `terms` splits text.
final class WordsTests: XCTestCase {
    func testWordsAreLowerCasedWithoutStopWordsOrSingleLetters() {
        XCTAssertEqual(Words.terms("Late delivery, again", stop: []), ["late", "delivery"])
        XCTAssertEqual(Words.terms("Works as \"advertised\"", stop: []), ["works", "advertised"])
        XCTAssertEqual(Words.terms("a b cd 42 CD", stop: []), ["cd", "42"])
        XCTAssertEqual(Words.terms("très bien", stop: []), ["très", "bien"])
        XCTAssertEqual(Words.terms("Late, late delivery", stop: ["delivery"]), ["late"])
    }

    func testApostrophesStayInsideWords() {
        XCTAssertEqual(Words.terms("It's fine; it\u{2019}s FINE, can't", stop: []), ["fine", "can't"])
        XCTAssertEqual(Words.terms("3.5 times, 1,200 units. End.", stop: []), ["3.5", "times", "1,200", "units", "end"])
    }

    func testChineseAndJapaneseRunsBecomeCharacterPairs() {
        XCTAssertEqual(Words.terms("很好", stop: []), ["很好"])
        XCTAssertEqual(Words.terms("质量很好!", stop: []), ["质量", "量很", "很好"])
        XCTAssertEqual(Words.terms("好 的", stop: []), ["好"])
        XCTAssertEqual(Words.terms("price太贵", stop: []), ["price", "太贵"])
    }
}

/// Long kernels stop on Ctrl-C with a valid result, and the executor never shows it.
final class InterruptTests: XCTestCase {
    override func tearDown() { KernelInterrupt.isRequested = { false } }

    /// Several keys whose codes do not fit a direct array together: packed into one 64-bit key (cardinalities multiplying
    /// under 2^64) or numbered key by key (beyond), the groups are the distinct tuples, numbered by first appearance, as a
    /// dictionary of tuples numbers them; nulls group together. An interrupted packed pass is one group, as the others.
    func testManyKeysGroupAsTheirTuplesDo() {
        var random = SplitMix64(seed: 42)
        let n = 200_000
        func ints(_ range: UInt64, nullEvery: Int = 0) -> Column {
            let values = (0..<n).map { _ in Int64(random.next() % range) * 1_000_003 }
            guard nullEvery > 0 else { return Column(ints: values) }
            var valid = Bitmap(count: n, value: true)
            for i in stride(from: 0, to: n, by: nullEvery) { valid[i] = false }
            return Column(ints: values, validity: valid)
        }
        let text = Column(codes: (0..<n).map { _ in Int32(random.next() % 90) }, dictionary: (0..<90).map { "t\($0)" })
        let packed = [text, ints(100), ints(50_000, nullEvery: 7), ints(30)]
        let wide = [ints(3_000_000), ints(3_000_000), ints(3_000_000), ints(3_000_000)]
        for keys in [packed, wide] {
            var reference: [[Value]: Int32] = [:], ids: [Int32] = [], firsts: [Int32] = []
            for i in 0..<n {
                let tuple = keys.map { $0.value(at: i) }
                if let id = reference[tuple] { ids.append(id) } else {
                    reference[tuple] = Int32(firsts.count)
                    ids.append(Int32(firsts.count))
                    firsts.append(Int32(i))
                }
            }
            let g = Grouping(keys: keys, rowCount: n)
            XCTAssertEqual(g.count, firsts.count)
            XCTAssertEqual(g.ids, ids)
            XCTAssertEqual(g.firstRows, firsts)
        }
        KernelInterrupt.isRequested = { true }
        XCTAssertEqual(Grouping(keys: packed, rowCount: n).count, 1)
        KernelInterrupt.isRequested = { false }
    }

    func testKernelsAskedToStopReturnValidResults() {
        let n = 300_000
        let key = Column(ints: (0..<n).map { Int64($0 % 1_000) })
        KernelInterrupt.isRequested = { true }
        let g = Grouping(keys: [key], rowCount: n)
        XCTAssertEqual(g.count, 1)
        XCTAssertEqual(g.firstRows, [0])
        XCTAssertTrue(g.ids.allSatisfy { $0 == 0 })
        let order = Sorter.permutation(keys: [(Column(ints: (0..<n).map { Int64(n - $0) }), false)], rowCount: n)
        XCTAssertEqual(order, (0..<Int32(n)).map { $0 }, "an interrupted sort leaves the rows as they came")
        KernelInterrupt.isRequested = { false }
        XCTAssertEqual(Grouping(keys: [key], rowCount: n).count, 1_000)
    }

    func testAnInterruptedStatementIsCancelledNotAnswered() throws {
        var catalog = Catalog()
        for (name, table) in DemoData.generate(scale: 1_000) { catalog.add(table, as: name) }
        var calls = 0
        // The check says "go on" for the first node and "stop" afterwards, as a Ctrl-C during the work would.
        let session = Session(catalog: catalog, isCancelled: { calls += 1; return calls > 1 })
        let (statements, _) = Parser.parse(SourceText(name: "t", text: "sales | agg n = count() by customer_id"))
        XCTAssertThrowsError(try session.execute(statements[0])) { XCTAssertTrue($0 is Cancelled, "\($0)") }
    }

    /// Ctrl-C gives the prompt back before the work has stopped: the abandoned `let` binds nothing, and the next
    /// statement waits for the abandoned work and then answers.
    func testAnAbandonedStatementChangesNothingAndTheNextOneAnswers() throws {
        var catalog = Catalog()
        for (name, table) in DemoData.generate(scale: 1_000) { catalog.add(table, as: name) }
        let pressed = Atomic<Bool>(false)
        let session = Session(catalog: catalog, isCancelled: { pressed.load(ordering: .relaxed) })
        let (statements, _) = Parser.parse(SourceText(name: "t", text: """
            let big = sales | simulate sum(amount) per date next 200 runs 5000000
            let small = targets | count
            """))
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { pressed.store(true, ordering: .relaxed) }
        XCTAssertThrowsError(try session.execute(statements[0])) { XCTAssertTrue($0 is Cancelled, "\($0)") }
        XCTAssertNil(session.catalog["big"], "a cancelled let must not bind")
        pressed.store(false, ordering: .relaxed)
        XCTAssertNil(try session.execute(statements[1]))
        XCTAssertEqual(session.catalog["small"]?.rowCount, 1)
    }
}
