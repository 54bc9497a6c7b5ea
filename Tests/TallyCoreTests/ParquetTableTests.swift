@testable import TallyCore
@testable import TallyFormats
import Foundation
import XCTest

/// Reading only what a query needs from Parquet: the columns it names, and the row groups whose statistics leave room
/// for its filter. The fixture `sales-pyarrow-plain.parquet` (the first 500 rows of seeds/sales.csv, written by pyarrow)
/// has three row groups; their statistics, as pyarrow reports them:
///
///     group  rows  order_id  date                     region          amount
///     0      200   1…200     2023-01-01 … 2023-01-17  Central … West  8.75 … 12095.6
///     1      200   201…400   2023-01-17 … 2023-01-31  Central … West  8.78 … 11416.13
///     2      100   401…500   2023-01-31 … 2023-02-07  Central … West  9.74 … 8374.59
final class ParquetTableTests: XCTestCase {
    static let plain = "\(ParquetTests.fixtures)/sales-pyarrow-plain.parquet"

    func position(_ t: ParquetTable, _ name: String) -> Int { t.names.firstIndex(of: name)! }

    func testOnlyRowGroupsTheBoundsAllowAreRead() throws {
        let t = try ParquetTable(path: Self.plain)
        func rows(_ column: String, _ allowed: ColumnBounds.Allowed) throws -> Int {
            try t.read([position(t, column)], bounds: [ColumnBounds(column: position(t, column), allowed: allowed)]).rowCount
        }
        XCTAssertEqual(t.rowCount, 500)
        // 2023-02-01 is day 19,389: only group 2 reaches it.
        XCTAssertEqual(try rows("date", .integers(19_389...Int64.max)), 100)
        XCTAssertEqual(try rows("order_id", .integers(Int64.min...150)), 200)
        XCTAssertEqual(try rows("order_id", .integers(200...201)), 400)
        XCTAssertEqual(try rows("amount", .floats(12_000...Double.infinity)), 200)
        // An integer column compared with a fraction: order_id ≥ 400.5 leaves group 2 only (group 1 ends at 400).
        XCTAssertEqual(try rows("order_id", .floats(400.5...Double.infinity)), 100)
        // Strings by their UTF-8 bytes: "Zzz" sorts after "West", "Aaa" before "Central".
        XCTAssertEqual(try rows("region", .strings(["Zzz", "Aaa"])), 0)
        XCTAssertEqual(try rows("region", .strings(["North"])), 500)
        // Two bounds must both allow a group.
        let both = [ColumnBounds(column: position(t, "date"), allowed: .integers(19_389...Int64.max)),
                    ColumnBounds(column: position(t, "order_id"), allowed: .integers(Int64.min...150))]
        XCTAssertEqual(try t.read([0], bounds: both).rowCount, 0)
        // The rows kept are those of the groups, in order: group 2 starts at order 401.
        XCTAssertEqual(try t.read([position(t, "order_id")], bounds: [ColumnBounds(column: position(t, "date"), allowed: .integers(19_389...19_389))])
            .columns[0].ints.first, 401)
    }

    func testColumnsNoQueryNamesAreNeverDecoded() throws {
        let copy = try damagedCopy(column: "cost", groups: [0, 1, 2])
        let t = try ParquetTable(path: copy)
        let amount = try t.read([position(t, "amount")])
        XCTAssertEqual(amount.rowCount, 500)
        XCTAssertThrowsError(try t.read([position(t, "cost")])) { e in
            XCTAssertTrue("\(e)".hasPrefix("\(copy): error: column `cost`: "), "\(e)")
        }
        // Counting reads no column at all.
        XCTAssertEqual(try t.read([]).rowCount, 500)
    }

    func testRowGroupsOutsideTheBoundsAreNeverDecoded() throws {
        let copy = try damagedCopy(column: "amount", groups: [0])
        let t = try ParquetTable(path: copy)
        let late = ColumnBounds(column: position(t, "date"), allowed: .integers(19_389...Int64.max))
        XCTAssertEqual(try t.read([position(t, "amount")], bounds: [late]).rowCount, 100)
        XCTAssertThrowsError(try t.read([position(t, "amount")]))
    }

    func testAFileChangedSinceItWasOpenedIsAnError() throws {
        let copy = try damagedCopy(column: "cost", groups: [])
        let t = try ParquetTable(path: copy)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: copy))
        handle.truncateFile(atOffset: 100)
        handle.closeFile()
        XCTAssertThrowsError(try t.read([position(t, "amount")])) { e in
            XCTAssertTrue("\(e)".contains("the file has changed since it was loaded; load it again"), "\(e)")
        }
    }

    func testTallysFilesCarryStatisticsThatSkipRowGroups() throws {
        let n = 1_000
        var valid = Bitmap(count: 0, value: true)
        for i in 0..<n { valid.append(i < 900) }
        let table = Table(names: ["n", "x", "day", "word"], columns: [
            Column(ints: (0..<n).map { $0 < 900 ? Int64($0) : 0 }, validity: valid),
            Column(floats: (0..<n).map { Double($0) / 10 }),
            Column(ints: (0..<n).map { 20_000 + Int64($0 / 100) }, type: .date),
            Column(codes: (0..<n).map { Int32($0 / 250) }, dictionary: ["apple", "banana", "cherry", "date"]),
        ])
        let part = try ParquetPart(bytes: try ParquetWriter.bytes(table, rowsPerGroup: 100), name: "t.parquet")
        let t = try ParquetTable([part], path: "t.parquet")
        XCTAssertEqual(t.groups.count, 10)
        XCTAssertEqual(t.mayBeNull, [true, false, false, false])
        func rows(_ c: Int, _ allowed: ColumnBounds.Allowed) throws -> Int { try t.read([c], bounds: [ColumnBounds(column: c, allowed: allowed)]).rowCount }
        XCTAssertEqual(try rows(0, .integers(150...250)), 200)
        // Group 9 holds only nulls: no comparison can hold there.
        XCTAssertEqual(try rows(0, .integers(0...Int64.max)), 900)
        XCTAssertEqual(try rows(1, .floats(-Double.infinity...5)), 100)
        XCTAssertEqual(try rows(2, .integers(20_003...20_004)), 200)
        // banana is rows 250…499: groups 2, 3 and 4.
        XCTAssertEqual(try rows(3, .strings(["banana"])), 300)
        XCTAssertNil(CSVReading.difference(.success(table), .success(try t.read([0, 1, 2, 3]))))
    }

    /// A copy of the pyarrow fixture whose `column` chunks in the given row groups are overwritten with junk.
    func damagedCopy(column: String, groups: [Int]) throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(UUID().uuidString).parquet").path
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.plain)))
        let t = try ParquetTable(path: Self.plain)
        for g in groups {
            let range = try ParquetColumnBuilder.byteRange(of: t.groups[g].meta.columns[position(t, column)], fileSize: bytes.count)
            for i in range { bytes[i] = 0xEE }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: copy))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: copy) }
        return copy
    }
}
