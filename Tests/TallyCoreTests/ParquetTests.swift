@testable import TallyCore
@testable import TallyFormats
import Foundation
import XCTest

/// Parquet files written by DuckDB, Polars and pyarrow (`tools/make-parquet-fixtures.py --tests`), Tally's own writer,
/// and damaged files.
final class ParquetTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/parquet").path
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../seeds").standardized.path

    /// The first 500 rows of seeds/sales.csv, read by the CSV reader: what every Parquet copy must read as.
    func salesFromCSV() throws -> Table {
        try CSVReader.read(path: "\(Self.seeds)/sales.csv").prefix(500)
    }

    func testEveryWriterAndEncodingReadsLikeTheCSV() throws {
        let expected = try salesFromCSV()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures).filter { $0.hasPrefix("sales-") }.sorted()
        // DuckDB, Polars, and pyarrow × {none, snappy, gzip, zstd} × {v1, v2}, plain and delta encodings.
        XCTAssertEqual(files.count, 12, "\(files)")
        for f in files {
            let read = Result { try ParquetReader.read(path: "\(Self.fixtures)/\(f)") }
            XCTAssertNil(CSVReading.difference(.success(expected), read), f)
        }
    }

    func testEveryTypeAndItsNulls() throws {
        let t = try ParquetReader.read(path: "\(Self.fixtures)/types.parquet")
        func column(_ name: String) -> [Value] { (0..<t.rowCount).map { t.column(name)!.value(at: $0) } }
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(column("flag"), [.bool(true), .null, .bool(false)])
        XCTAssertEqual(column("small"), [.int(-7), .int(2_147_483_647), .null])
        XCTAssertEqual(column("big"), [.null, .int(.min), .int(.max)])
        XCTAssertEqual(column("unsigned"), [.int(4_294_967_295), .int(0), .null])
        XCTAssertEqual(column("single"), [.float(1.5), .null, .float(-0.25)])
        XCTAssertEqual(column("double"), [.null, .float(2.5e300), .float(-1e-300)])
        XCTAssertEqual(column("text"), [.string("héllo"), .string(""), .null])
        // Days since 1970-01-01: 1969-12-31 is -1, 2025-11-03 is 20,395, 2025-01-01 20,089, 2000-02-29 11,016.
        XCTAssertEqual(column("day"), [.date(-1), .null, .date(20_395)])
        // Timestamps become the day they fall on, before 1970 too (12:00 on 1969-12-31 is day -1).
        XCTAssertEqual(column("ms"), [.date(20_395), .null, .date(-1)])
        XCTAssertEqual(column("us"), [.date(20_089), .date(0), .null])
        XCTAssertEqual(column("ns"), [.null, .date(11_016), .date(20_395)])
        XCTAssertEqual(column("price"), [.float(12.34), .float(-0.05), .null])
        XCTAssertEqual(column("wide"), [.float(-123_456_789_012.345), .null, .float(1)])
        let legacy = try ParquetReader.read(path: "\(Self.fixtures)/int96.parquet")
        XCTAssertEqual((0..<3).map { legacy.columns[0].value(at: $0) }, [.date(20_395), .null, .date(-1)])
    }

    func testNestedColumnsAreRefusedByName() {
        XCTAssertThrowsError(try ParquetReader.read(path: "\(Self.fixtures)/nested.parquet")) { e in
            XCTAssertTrue("\(e)".contains("nested.parquet"), "\(e)")
            XCTAssertTrue("\(e)".contains("column `items` is nested"), "\(e)")
        }
    }

    /// Tally's writer, read back by Tally: every compression, nulls in every type, periods (stored as text and named in
    /// the footer) back as periods.
    func testWrittenFilesReadBack() throws {
        var tables = DemoData.generate(scale: 3_000).map(\.1)
        let nullable = Table(names: ["i", "f", "b", "d", "s", "p"], columns: [
            Column(ints: [1, 0, -3], validity: bits([true, false, true])),
            Column(floats: [0, 2.5, -1e-9], validity: bits([false, true, true])),
            Column(ints: [1, 0, 0], type: .bool, validity: bits([true, true, false])),
            Column(ints: [-1, 0, 20_395], type: .date, validity: bits([true, false, true])),
            Column(codes: [0, 1, 0], dictionary: ["x", "é"], validity: bits([true, true, false])),
            Column(ints: [Period.month(2025, 11).encoded, 0, 0], type: .period, validity: bits([true, false, false])),
        ], rowCount: 3)
        tables.append(nullable)
        for compression in ParquetWriter.Compression.allCases {
            for t in tables {
                let bytes = try ParquetWriter.bytes(t, compression: compression)
                let back = try bytes.withUnsafeBufferPointer { try ParquetReader.parse($0, file: "t.parquet") }
                XCTAssertNil(CSVReading.difference(.success(t), .success(back)), "\(compression) \(t.names)")
            }
        }
    }

    func bits(_ values: [Bool]) -> Bitmap {
        var b = Bitmap(count: 0, value: true)
        for v in values { b.append(v) }
        return b
    }

    /// Every truncation and every flipped byte of a small file is an error naming the file, or (for a byte that
    /// only changes a value) a table; never a trap.
    func testDamagedFilesAreErrorsNamingTheFile() throws {
        let good = try Array(Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/types.parquet")))
        func read(_ bytes: [UInt8]) -> Result<Table, Error> {
            bytes.withUnsafeBufferPointer { b in Result { try ParquetReader.parse(b, file: "damaged.parquet") } }
        }
        for length in 0..<good.count {
            guard case .failure(let e) = read(Array(good[0..<length])) else { return XCTFail("a file cut at \(length) bytes was read") }
            XCTAssertTrue("\(e)".hasPrefix("damaged.parquet: error: "), "\(e)")
        }
        var errors = 0
        for k in 0..<good.count {
            var bad = good
            bad[k] ^= 0xFF
            if case .failure(let e) = read(bad) {
                errors += 1
                XCTAssertTrue("\(e)".hasPrefix("damaged.parquet: error: "), "\(e)")
            }
        }
        XCTAssertGreaterThan(errors, good.count / 4)
        var wrongLength = good
        wrongLength[good.count - 8] = 0xFF
        wrongLength[good.count - 5] = 0x7F
        XCTAssertThrowsError(try read(wrongLength).get()) { XCTAssertTrue("\($0)".contains("footer length"), "\($0)") }
        XCTAssertThrowsError(try read(Array("PAR2".utf8) + good.dropFirst(4)).get()) { XCTAssertTrue("\($0)".contains("does not start with PAR1"), "\($0)") }
    }

    func testAFolderOfPartsIsOneTable() throws {
        let folder = NSTemporaryDirectory() + "parts-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sales = try salesFromCSV()
        try ParquetWriter.write(sales.gather((0..<200).map { Int32($0) }), to: "\(folder)/part-0.parquet")
        try ParquetWriter.write(sales.gather((200..<500).map { Int32($0) }), to: "\(folder)/part-1.parquet", compression: .zstd)
        XCTAssertNil(CSVReading.difference(.success(sales), Result { try TableFile.read(path: folder) }))
        try ParquetWriter.write(Table(names: ["x"], columns: [Column(ints: [1])], rowCount: 1), to: "\(folder)/part-2.parquet")
        XCTAssertThrowsError(try TableFile.read(path: folder)) { XCTAssertTrue("\($0)".contains("part-2.parquet: error: its columns differ"), "\($0)") }
    }
}
