import Foundation
import TallyCore
import XCTest

final class SnapshotTests: XCTestCase {
    var path = ""

    override func setUp() { path = NSTemporaryDirectory() + "tally-snapshot-\(getpid()).tally" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    func testRoundTripKeepsEveryValueAndNull() throws {
        let tables = DemoData.generate(scale: 300)
        try Snapshot.write(tables, to: path)
        let back = try Snapshot.read(path: path)
        XCTAssertEqual(back.map(\.0), tables.map(\.0))
        for ((_, a), (_, b)) in zip(tables, back) {
            XCTAssertEqual(CSVWriter.write(a), CSVWriter.write(b))
            XCTAssertEqual(a.types, b.types)
        }
    }

    func testTruncationAndDamageNameTheColumn() throws {
        try Snapshot.write(DemoData.generate(scale: 300), to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Snapshot.read(path: path)) { e in
            XCTAssertTrue("\(e)".contains("truncated"), "\(e)")
            XCTAssertTrue("\(e)".contains("column `"), "\(e)")
        }
        bytes[bytes.count - 100] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Snapshot.read(path: path)) { e in XCTAssertTrue("\(e)".contains("activities"), "\(e)") }
        try Data("not a snapshot".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Snapshot.read(path: path)) { e in XCTAssertTrue("\(e)".contains("not a Tally snapshot"), "\(e)") }
    }
}
