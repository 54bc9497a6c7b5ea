import Foundation
@testable import TallyCore
@testable import TallyFormats
import TallyEngine
import TallyLang
import XCTest

/// Queries over a Parquet table read only what they use: a `where` right after the table hands its simple tests to the
/// scan, which skips the row groups whose statistics exclude them, and columns no stage names are never decoded. The
/// proof is a copy of `sales-pyarrow-plain.parquet` (three row groups, see ParquetTableTests) whose `amount` chunk in
/// row group 0 is junk: a query that needs that chunk fails naming the column; one whose filter skips the group answers,
/// and its answer equals the CSV's.
final class ParquetScanTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../TallyCoreTests/Fixtures/parquet/sales-pyarrow-plain.parquet").standardized.path
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../seeds").standardized.path

    func run(_ query: String, _ catalog: Catalog) throws -> Table {
        let (statements, diagnostics) = Parser.parse(SourceText(name: "t", text: query))
        XCTAssertEqual(diagnostics, [])
        return try Session(catalog: catalog).execute(statements[0])!.table
    }

    func catalog() throws -> Catalog {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString).parquet").path
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        let original = try ParquetTable(path: Self.fixture)
        let amount = original.names.firstIndex(of: "amount")!
        for i in try ParquetColumnBuilder.byteRange(of: original.groups[0].meta.columns[amount], fileSize: bytes.count) { bytes[i] = 0xEE }
        try Data(bytes).write(to: URL(fileURLWithPath: copy))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: copy) }
        var catalog = Catalog()
        catalog.add(.file(try ParquetTable(path: copy)), as: "s")
        catalog.add(try CSVReader.read(path: "\(Self.seeds)/sales.csv").prefix(500), as: "csv")
        return catalog
    }

    func testAFilterSkipsRowGroupsAndTheAnswerMatchesTheCSV() throws {
        let c = try catalog()
        for filter in ["date >= 2023-02-01", "date in 2023-02", "order_id > 420 and region == \"North\"", "amount < 9000 and order_id >= 401"] {
            let query = " | where \(filter) | agg n = count(), total = sum(amount) by region | sort region"
            let fromParquet = try run("s" + query, c), fromCSV = try run("csv" + query, c)
            XCTAssertGreaterThan(fromCSV.rowCount, 0, filter)
            XCTAssertNil(CSVReading.difference(.success(fromCSV), .success(fromParquet)), filter)
        }
    }

    func testAQueryThatNeedsTheDamagedChunkFailsNamingIt() throws {
        let c = try catalog()
        for query in ["s | agg sum(amount)", "s | where region == \"North\" | agg sum(amount)", "s | where date < 2023-01-05 | agg sum(amount)"] {
            XCTAssertThrowsError(try run(query, c), query) { e in
                let message = (e as? Diagnostic)?.message ?? "\(e)"
                XCTAssertTrue(message.hasPrefix("cannot read table `s` from ") && message.contains("column `amount`"), "\(query): \(message)")
            }
        }
    }

    func testColumnsNoStageNamesAreNotRead() throws {
        let c = try catalog()
        XCTAssertEqual(try run("s | count", c).columns[0].ints, [500])
        XCTAssertEqual(try run("s | agg n = count() by region | agg sum(n)", c).columns[0].ints, [500])
        XCTAssertEqual(try run("s | where amount > 0 and date >= 2023-01-31 | select order_id | count", c).columns[0].ints,
                       try run("csv | where amount > 0 and date >= 2023-01-31 | count", c).columns[0].ints)
    }
}
