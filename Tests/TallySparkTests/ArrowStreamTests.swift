import Foundation
import TallyCore
import TallyFormats
import XCTest

/// The Arrow IPC stream reader on streams pyarrow wrote (Fixtures/arrow/make.py says what each holds): every value is
/// the one make.py put there, and damaged streams are errors naming the problem.
final class ArrowStreamTests: XCTestCase {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/arrow/\(name)")
        return Array(try Data(contentsOf: url))
    }

    static func table(_ bytes: [UInt8]) throws -> Table {
        let stream = try ArrowStream(bytes[...])
        var builder = ArrowTableBuilder(names: stream.fields.map(\.name), types: stream.fields.map(\.type.tallyType))
        try builder.append(stream)
        return builder.finish()
    }

    func testEveryTypeAsMakeWroteIt() throws {
        for file in ["types.arrows", "zstd.arrows"] {
            let stream = try ArrowStream(try ArrowStreamTests.fixture(file)[...])
            XCTAssertEqual(stream.fields.map(\.type), [.int(bits: 8, signed: true), .int(bits: 64, signed: true), .int(bits: 32, signed: false),
                                                       .float(bits: 32), .float(bits: 64), .bool, .utf8, .largeUtf8, .date(milliseconds: false),
                                                       .date(milliseconds: true), .timestamp(unitsPerSecond: 1_000_000),
                                                       .decimal(precision: 10, scale: 2, bits: 128), .decimal(precision: 38, scale: 0, bits: 128), .null])
            let t = try ArrowStreamTests.table(try ArrowStreamTests.fixture(file))
            XCTAssertEqual(t.rowCount, 3, file)
            func column(_ name: String) -> [Value] { (0..<3).map { t.columns[t.names.firstIndex(of: name)!].value(at: $0) } }
            XCTAssertEqual(column("i8"), [.int(1), .null, .int(-3)])
            XCTAssertEqual(column("i64"), [.int(9_007_199_254_740_993), .int(-1), .null])
            XCTAssertEqual(column("u32"), [.int(4_294_967_295), .int(0), .null])
            XCTAssertEqual(column("f32"), [.float(1.5), .null, .float(-0.25)])
            XCTAssertEqual(column("f64"), [.float(2.5), .float(.infinity), .null])
            XCTAssertEqual(column("ok"), [.bool(true), .bool(false), .null])
            XCTAssertEqual(column("name"), [.string("Ada"), .null, .string("Zoë, \"quoted\"")])
            XCTAssertEqual(column("big"), [.string("xxx"), .string(""), .null])
            XCTAssertEqual(column("day"), [.date(CivilDate.days(year: 2025, month: 11, day: 30)), .date(-1), .null])
            XCTAssertEqual(column("ms_day"), [.date(CivilDate.days(year: 2024, month: 2, day: 29)), .null, .date(0)])
            XCTAssertEqual(column("at"), [.string("2025-11-03 14:05:09"), .null, .string("1969-12-31 23:59:59")])
            XCTAssertEqual(column("price"), [.float(12.34), .float(-0.05), .null])
            // A decimal(38, 0) may not fit 64 bits: the column is float, 12345678901234567890 its nearest double.
            XCTAssertEqual(column("count"), [.float(12_345_678_901_234_567_890), .float(7), .null])
            XCTAssertEqual(column("nothing"), [.null, .null, .null])
        }
    }

    /// The smallest and largest 64-bit counts of seconds and of milliseconds lie outside Tally's calendar: null, where
    /// the seconds' time of day once overflowed. In nanoseconds they are 1677 and 2262 (as Python's datetime says).
    func testExtremeTimestampsAreNullNotATrap() throws {
        let t = try ArrowStreamTests.table(try ArrowStreamTests.fixture("extremes.arrows"))
        XCTAssertEqual(t.names, ["s", "ns", "ms_day"])
        for c in [0, 2] {
            XCTAssertEqual(t.columns[c].value(at: 0), .null, t.names[c])
            XCTAssertEqual(t.columns[c].value(at: 1), .null, t.names[c])
        }
        XCTAssertEqual(t.columns[1].value(at: 0), .string("1677-09-21 00:12:43"))
        XCTAssertEqual(t.columns[0].value(at: 2), .string("1970-01-01 00:00:00"))
        XCTAssertEqual(t.columns[1].value(at: 1), .string("2262-04-11 23:47:16"))
        XCTAssertEqual(t.columns[2].value(at: 2), .date(0))
    }

    func testASchemaWithoutBatchesIsAnEmptyTable() throws {
        let t = try ArrowStreamTests.table(try ArrowStreamTests.fixture("empty.arrows"))
        XCTAssertEqual(t.rowCount, 0)
        XCTAssertEqual(t.names.count, 14)
    }

    func testANestedColumnIsRefusedByName() throws {
        XCTAssertThrowsError(try ArrowStream(try ArrowStreamTests.fixture("nested.arrows")[...])) { error in
            XCTAssertEqual("\(error)", "Arrow stream: a column of Arrow type list, which Tally does not read")
        }
    }

    /// Every prefix of a stream, and every stream with one byte changed, is read or refused: never a trap.
    func testDamagedStreamsAreErrors() throws {
        let bytes = try ArrowStreamTests.fixture("types.arrows")
        for cut in stride(from: 0, to: bytes.count, by: 7) { _ = try? ArrowStreamTests.table(Array(bytes[..<cut])) }
        for at in bytes.indices {
            for value: UInt8 in [0x00, 0x7F, 0xFF] {
                var damaged = bytes
                damaged[at] = value
                _ = try? ArrowStreamTests.table(damaged)
            }
        }
        XCTAssertThrowsError(try ArrowStreamTests.table(Array(bytes[..<200]))) { error in
            XCTAssertTrue("\(error)".hasPrefix("Arrow stream: "), "\(error)")
        }
    }

    func testAValueOfAnotherTypeThanPlannedIsAnError() throws {
        let stream = try ArrowStream(try ArrowStreamTests.fixture("types.arrows")[...])
        var builder = ArrowTableBuilder(names: stream.fields.map(\.name), types: stream.fields.map { $0.name == "name" ? .int : $0.type.tallyType })
        XCTAssertThrowsError(try builder.append(stream)) { error in
            XCTAssertEqual("\(error)", "Arrow stream: cannot read `Ada` from the server as int (column name)")
        }
    }
}
