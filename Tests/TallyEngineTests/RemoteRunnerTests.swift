import Foundation
import TallyCore
@testable import TallyEngine
import TallyLang
import XCTest

/// What the runner sends a database, recorded by a backend that answers nothing.
final class RecordingBackend: SQLBackend {
    let dialect: any SQLDialect = SQLDialects.postgres
    let description = "recording"
    var sent: [String] = []

    func query(_ sql: String, names: [String], types: [DataType], maxRows: Int, batches: ((Table) -> Void)?) throws -> Table {
        sent.append(sql)
        return Table(names: names, columns: types.map { ColumnBuilder(type: $0, capacity: 0).finish() }, rowCount: 0)
    }

    func cancel() {}
    func tables() throws -> [(name: String, table: RemoteTable)] { [] }
}

/// Plans over a database's tables: a statement that also reads a table Tally holds is refused before anything is sent.
final class RemoteRunnerTests: XCTestCase {
    func testMixingTheDatabasesTablesAndTallysIsRefusedBeforeAnythingIsSent() throws {
        var catalog = PlanFixture.catalog
        catalog.add(.remote("r", RemoteTable(names: ["g", "v"], types: [.string, .int], mayBeNull: [false, false], estimatedRows: 3, order: .engine)),
                    as: "r")
        let backend = RecordingBackend()
        let executor = Executor(catalog: catalog, previous: nil, isCancelled: { false }, backend: backend)
        // The pivot runs in Tally over what the database computes: its input would be sent first, were it not refused.
        let plan = Optimizer.optimize(try PlanFixture.plan("r | join u on g | pivot g count() by w", catalog: catalog))
        XCTAssertThrowsError(try executor.run(plan)) { error in
            XCTAssertEqual((error as? Diagnostic)?.message, "`u` is held in Tally, not in the database: one statement cannot mix the two")
        }
        XCTAssertEqual(backend.sent, [], "nothing reached the database")
        _ = try executor.run(Optimizer.optimize(try PlanFixture.plan("r | agg n = count() by g", catalog: catalog)))
        XCTAssertEqual(backend.sent.count, 1, "a statement on the database's tables alone is sent")
    }
}
