import Foundation
import XCTest

/// Every golden case again on a live Spark Connect server (DatabaseGoldenSuite), its tables written by `tally upload` into
/// Spark's warehouse. The server's URL comes from `TALLY_TEST_SPARK` (scripts/test starts one); without it the test is
/// skipped.
final class SparkGoldenTests: XCTestCase {
    func testGoldenFilesOnSpark() throws {
        guard let url = ProcessInfo.processInfo.environment["TALLY_TEST_SPARK"], !url.isEmpty else {
            throw XCTSkip("set TALLY_TEST_SPARK to a Spark Connect URL (scripts/test starts a server and sets it)")
        }
        print(try DatabaseGoldenSuite(dialect: "spark", engine: "Spark", url: url).run().summary)
    }
}
