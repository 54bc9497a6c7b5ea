import Foundation
import SwiftProtobuf
import TallyCore
import TallyFormats
@testable import TallySpark
import XCTest

/// The client's messages against what Spark itself sent and what Spark's own protocol classes build
/// (Fixtures/messages/record.py recorded them from a Spark 4.3 Connect server).
final class RecordedMessagesTests: XCTestCase {
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/messages/\(name)"))
    }

    /// Tally's request for the query is, byte for byte, the one pyspark's generated classes build: the field numbers agree.
    func testTheRequestIsTheOneSparksClassesBuild() throws {
        var plan = Spark_Connect_Plan()
        plan.root.sql.query = "SELECT id, CAST(id * 1.5 AS DOUBLE) AS half, concat('r', id) AS name, DATE'2025-11-01' + CAST(id AS INT) AS day "
            + "FROM range(3) UNION ALL SELECT NULL, NULL, NULL, NULL"
        let request = SparkConnectClient.executeRequest(sessionID: "00000000-0000-0000-0000-000000000001", userID: "tally",
                                                        operationID: "00000000-0000-0000-0000-000000000002", plan: plan, clientType: "record.py")
        XCTAssertEqual(try request.serializedData(), try RecordedMessagesTests.fixture("request.bin"))
    }

    /// The replies parse (their fields Tally does not know are skipped) and their Arrow batches are the query's rows.
    func testTheRepliesAreTheQuerysRows() throws {
        let recorded = try RecordedMessagesTests.fixture("select.bin")
        var position = 0
        var table = ArrowTableBuilder(names: ["id", "half", "name", "day"], types: [.int, .float, .string, .date])
        while position < recorded.count {
            let length = recorded[position..<(position + 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
            let message = try Spark_Connect_ExecutePlanResponse(serializedBytes: Array(recorded[(position + 4)..<(position + 4 + length)]))
            position += 4 + length
            XCTAssertEqual(message.operationID, "00000000-0000-0000-0000-000000000002")
            if let stream = try SparkConnectClient.arrowStream(of: message) { try table.append(stream) }
        }
        let t = table.finish()
        XCTAssertEqual(t.rowCount, 4)
        let rows = (0..<t.rowCount).map { r in t.columns.map { $0.value(at: r) } }
        let day = CivilDate.days(year: 2025, month: 11, day: 1)
        XCTAssertEqual(rows, [[.int(0), .float(0), .string("r0"), .date(day)], [.int(1), .float(1.5), .string("r1"), .date(day + 1)],
                              [.int(2), .float(3), .string("r2"), .date(day + 2)], [.null, .null, .null, .null]])
    }
}
