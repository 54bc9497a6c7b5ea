@testable import TallyCore
@testable import TallyFormats
import Foundation
import XCTest

/// Parquet files whose structure was damaged so that a lenient reader would return wrong rows rather than fail: each
/// is refused with an error naming the file and what disagrees. (Files from pyarrow, changed by ``ParquetSurgery``.)
final class ParquetDamageTests: XCTestCase {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: "\(ParquetTests.fixtures)/\(name)")))
    }

    func read(_ bytes: [UInt8]) throws -> Table {
        try bytes.withUnsafeBufferPointer { try ParquetReader.parse($0, file: "damaged.parquet") }
    }

    func assertRefused(_ bytes: [UInt8], _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try read(bytes), line: line) { error in
            XCTAssertTrue("\(error)".hasPrefix("damaged.parquet: error: "), "\(error)", line: line)
            XCTAssertTrue("\(error)".contains(message), "\(error)", line: line)
        }
    }

    /// sales-pyarrow-plain has row groups of 200, 200 and 100 rows. The first one claiming 0 rows once served 300 rows.
    func testARowGroupClaimingNoRowsIsRefused() throws {
        var file = try ParquetSurgery(try Self.fixture("sales-pyarrow-plain.parquet"))
        XCTAssertEqual(try read(file.file).rowCount, 500)
        file.rowGroup(0) { $0[3] = .int(0) }
        assertRefused(file.file, "the footer counts 500 rows but its row groups hold 300")
        // With the file's count made to agree, the column chunks' counts still disagree.
        file.footer[3] = .int(300)
        assertRefused(file.file, "column `order_id` holds 200 values in row group 1, which has 0 rows")
        // With those made to agree too, the pages hold 200 values each.
        for c in 0..<14 { file.chunk(group: 0, column: c) { $0[5] = .int(0) } }
        assertRefused(file.file, "a page holds more values than its row group has rows")
    }

    func testADroppedRowGroupIsRefused() throws {
        var file = try ParquetSurgery(try Self.fixture("sales-pyarrow-plain.parquet"))
        file.footer[4] = .list(Array(file.footer[4]!.list!.dropLast()))
        assertRefused(file.file, "the footer counts 500 rows but its row groups hold 400")
    }

    /// The `date` chunk pointed at the `order_id` chunk's pages (both 200 values of 8 and 4 bytes).
    func testAChunkPointingIntoAnotherColumnIsRefused() throws {
        var file = try ParquetSurgery(try Self.fixture("sales-pyarrow-plain.parquet"))
        let orderIDs = file.chunkField(group: 0, column: 0, 9)!, size = file.chunkField(group: 0, column: 0, 7)!
        file.chunk(group: 0, column: 1) {
            $0[9] = orderIDs
            $0[7] = size
        }
        assertRefused(file.file, "the bytes of column `date` overlap those of column `order_id`")
    }

    /// `region`'s first data page (version 2, uncompressed) with its dictionary indices' bit width set to 0 would read
    /// every row as the dictionary's first region.
    func testDictionaryIndicesOfBitWidthZeroAreRefused() throws {
        var bytes = try Self.fixture("sales-pyarrow-none-v2.parquet")
        let file = try ParquetSurgery(bytes)
        guard case .int(let page) = file.chunkField(group: 0, column: 5, 9) else { return XCTFail("no data page offset") }
        let header = try bytes.withUnsafeBufferPointer { b in
            var reader = ThriftReader(UnsafeBufferPointer(rebasing: b[Int(page)...]))
            let header = try ParquetFormat.PageHeader(try reader.fields())
            return (header: header, length: reader.position)
        }
        XCTAssertEqual(header.header.type, .dataV2)
        let widthAt = Int(page) + header.length + header.header.repetitionLevelBytes + header.header.definitionLevelBytes
        XCTAssertEqual(bytes[widthAt], 3, "five regions take indices of 3 bits")
        bytes[widthAt] = 0
        assertRefused(bytes, "column `region`: a page's dictionary indices have bit width 0 but its dictionary holds 5 values")
    }

    /// Bytes that are not UTF-8 in a text column were read as U+FFFD; "ÿÿ" (C3 BF C3 BF) becomes FF FE FF FE.
    func testTextThatIsNotUTF8IsRefused() throws {
        let table = Table(names: ["name"], columns: [Column(codes: [0, 1], dictionary: ["ÿÿ", "ok"])], rowCount: 2)
        var bytes = try ParquetWriter.bytes(table, compression: .none)
        XCTAssertEqual(try read(bytes).columns[0].value(at: 0), .string("ÿÿ"))
        var replaced = 0
        for k in 0..<bytes.count - 3 where Array(bytes[k..<k + 4]) == [0xC3, 0xBF, 0xC3, 0xBF] {
            bytes.replaceSubrange(k..<k + 4, with: [0xFF, 0xFE, 0xFF, 0xFE])
            replaced += 1
        }
        XCTAssertGreaterThan(replaced, 0)
        assertRefused(bytes, "column `name`: a value is not UTF-8 text: ff fe ff fe")
    }
}
