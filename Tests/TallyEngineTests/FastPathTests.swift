import Foundation
import TallyCore
import TallyFormats
@testable import TallyEngine
import TallyLang
import XCTest

/// The engine's fast paths only start above a size: zone maps (two blocks of 65,536 rows), the parallel CSV
/// reader (4 MiB), the two-part join probe (2^20 left rows) and hashed grouping (more than 2^23 key slots).
/// Each test builds data past the threshold and checks the answer against one computed here, row by row.
final class FastPathTests: XCTestCase {
    func run(_ query: String, _ catalog: Catalog) throws -> Table {
        let (statements, diagnostics) = Parser.parse(SourceText(name: "t", text: query))
        XCTAssertEqual(diagnostics, [])
        return try Session(catalog: catalog).execute(statements[0])!.table
    }

    func testZoneMapsSkipBlocksWithoutChangingCounts() throws {
        let n = 5 * ZoneMap.blockSize + 123
        var catalog = Catalog()
        catalog.add(Table(names: ["x", "y"], columns: [Column(ints: (0..<n).map(Int64.init)), Column(ints: (0..<n).map { Int64($0 % 7) })]), as: "t")
        XCTAssertNotNil(try catalog["t"]!.whole().columns[0].zones, "the sorted column has a zone map")
        let lo = ZoneMap.blockSize - 6, hi = ZoneMap.blockSize + 9
        XCTAssertEqual(try run("t | where x in \(lo)..\(hi) | count", catalog).columns[0].ints, [Int64(hi - lo + 1)])
        XCTAssertEqual(try run("t | where x >= 70000 and x < 200000 and y == 3 | count", catalog).columns[0].ints,
                       [Int64((70_000..<200_000).filter { $0 % 7 == 3 }.count)])
        XCTAssertEqual(try run("t | where x > \(n) | count", catalog).columns[0].ints, [0])
    }

    func testARangeFilterIsASliceOnlyWhenItsRowsAreOneRun() throws {
        let n = 5 * ZoneMap.blockSize + 123
        // Sorted, but for one stray small value far down the table and a null (its slot holds 0) in another block.
        var x = (0..<n).map(Int64.init)
        x[200_000] = 5
        var valid = Bitmap(count: n, value: true)
        valid[70_001] = false
        x[70_001] = 0
        var catalog = Catalog()
        catalog.add(Table(names: ["x", "y"], columns: [Column(ints: x, validity: valid), Column(ints: (0..<n).map { Int64($0) })]), as: "t")
        func expected(_ keep: (Int64) -> Bool) -> [Int64] {
            let rows = (0..<n).filter { valid[$0] && keep(x[$0]) }
            return [Int64(rows.count), rows.reduce(0) { $0 + Int64($1) }]
        }
        let cases: [(String, (Int64) -> Bool)] = [
            ("x in 0..10", { (0...10).contains($0) }),
            ("x <= 4", { $0 <= 4 }),
            ("x in 70000..200010", { (70_000...200_010).contains($0) }),
            ("x > 300000", { $0 > 300_000 }),
            ("x == 200000", { $0 == 200_000 }),
        ]
        for (predicate, keep) in cases {
            let t = try run("t | where \(predicate) | agg n = count(), s = sum(y)", catalog)
            XCTAssertEqual(t.columns.map { $0.ints[0] }, expected(keep), predicate)
        }
    }

    func testParallelCSVReadKeepsEveryRowAndQuotedLineBreaks() throws {
        let n = 260_000
        var text = "id,note,amount\n"
        for i in 0..<n {
            text += i % 1000 == 0 ? "\(i),\"line one, with comma\nline \(i)\",\(Double(i) / 2)\n" : "\(i),n\(i % 97),\(Double(i) / 2)\n"
        }
        XCTAssertGreaterThan(text.utf8.count, 1 << 22, "past the parallel threshold")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tally-fast-\(getpid()).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try CSVReader.read(path: path)
        XCTAssertEqual(t.rowCount, n)
        XCTAssertEqual(t.columns[0].ints.reduce(0, +), Int64(n) * Int64(n - 1) / 2)
        XCTAssertEqual(t.columns[2].floats.reduce(0, +), Double(n) * Double(n - 1) / 4)
        for i in stride(from: 0, to: n, by: 1000) { XCTAssertEqual(t.columns[1].value(at: i), .string("line one, with comma\nline \(i)")) }
        XCTAssertEqual(t.columns[1].value(at: 1001), .string("n\(1001 % 97)"))
    }

    func testTwoPartJoinProbeMatchesEveryRowInOrder() throws {
        let n = (1 << 20) + 4_321
        var catalog = Catalog()
        catalog.add(Table(names: ["id", "k"], columns: [Column(ints: (0..<n).map(Int64.init)), Column(ints: (0..<n).map { Int64($0 % 1000) })]), as: "l")
        // Right side: keys 0..<1000 step 2 only, so half the left rows find a partner.
        catalog.add(Table(names: ["k", "v"], columns: [Column(ints: stride(from: 0, to: 1000, by: 2).map(Int64.init)),
                                                      Column(ints: stride(from: 0, to: 1000, by: 2).map { Int64($0 * 3) })]), as: "r")
        let inner = try run("l | join r on k", catalog)
        let matched = (0..<n).filter { $0 % 1000 % 2 == 0 }
        XCTAssertEqual(inner.rowCount, matched.count)
        XCTAssertEqual(inner.column("id")!.ints, matched.map(Int64.init), "rows keep the left order across the two parts")
        XCTAssertEqual(inner.column("v")!.ints.reduce(0, +), matched.reduce(Int64(0)) { $0 + Int64($1 % 1000 * 3) })
        let left = try run("l | join left r on k | where v is null | count", catalog)
        XCTAssertEqual(left.columns[0].ints, [Int64(n - matched.count)])
        let anti = try run("l | join anti r on k | count", catalog)
        XCTAssertEqual(anti.columns[0].ints, [Int64(n - matched.count)])
        // Every left row matching one right row (keys unique on the right): the left rows pass through unchanged.
        catalog.add(Table(names: ["k", "w"], columns: [Column(ints: (0..<1000).map(Int64.init)), Column(ints: (0..<1000).map { Int64($0 + 7) })]), as: "all")
        let whole = try run("l | join all on k", catalog)
        XCTAssertEqual(whole.column("id")!.ints, (0..<n).map(Int64.init))
        XCTAssertEqual(whole.column("w")!.ints, (0..<n).map { Int64($0 % 1000 + 7) })
        // Duplicate right keys take the general path: each left row once per partner, in left order.
        catalog.add(Table(names: ["k", "z"], columns: [Column(ints: [1, 1, 2]), Column(ints: [10, 11, 20])]), as: "dup")
        let twice = try run("l | where id < 3 | join dup on k", catalog)
        XCTAssertEqual(twice.column("id")!.ints, [1, 1, 2])
        XCTAssertEqual(twice.column("z")!.ints, [10, 11, 20])
    }

    func testHashedGroupingMatchesADictionary() throws {
        let n = 300_000
        let a = (0..<n).map { Int64($0 % 4_999) }, b = (0..<n).map { Int64(($0 / 3) % 5_003) }
        var catalog = Catalog()
        catalog.add(Table(names: ["a", "b", "x"], columns: [Column(ints: a), Column(ints: b), Column(ints: (0..<n).map { Int64($0 % 11) })]), as: "t")
        XCTAssertGreaterThan(4_999 * 5_003, Grouping.directLimit, "the second key goes through the hash table")
        let t = try run("t | agg s = sum(x), c = count() by a, b", catalog)
        var expected: [[Int64]: (Int64, Int64)] = [:]
        for i in 0..<n { let e = expected[[a[i], b[i]]] ?? (0, 0); expected[[a[i], b[i]]] = (e.0 + Int64(i % 11), e.1 + 1) }
        XCTAssertEqual(t.rowCount, expected.count)
        for r in 0..<t.rowCount {
            let key = [t.columns[0].ints[r], t.columns[1].ints[r]]
            XCTAssertEqual(t.columns[2].ints[r], expected[key]!.0)
            XCTAssertEqual(t.columns[3].ints[r], expected[key]!.1)
        }
        let sortedKeys = (0..<t.rowCount).map { [t.columns[0].ints[$0], t.columns[1].ints[$0]] }
        XCTAssertEqual(sortedKeys, sortedKeys.sorted { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }, "groups come out sorted by their keys")
    }
}
