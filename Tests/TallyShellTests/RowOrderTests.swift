import Foundation
import TallyPostgres
import TallySpark
import XCTest

/// Row order a distributed engine can honour, on the live servers scripts/test starts (skipped without them): a table's
/// rows come in its key's order, a partitioned table's too, and a filter reaches the scan as it does in hand-written SQL.
final class RowOrderTests: XCTestCase {
    /// The question the issue measured: East's third quarter, the three largest orders per channel.
    let question = #"psales | where region == "East" and date in 2025-Q3 | top 3 by amount per channel | select order_id"#

    func testSparkPrunesPartitionsAndPushesFiltersForTallysQuery() throws {
        let url = try LiveServers.url("TALLY_TEST_SPARK")
        XCTAssertEqual(try LiveServers.tally(["upload", url]).status, 0)
        let spark = try SparkConnection(url: url)
        try spark.run("DROP TABLE IF EXISTS psales")
        try spark.run("CREATE TABLE psales USING parquet PARTITIONED BY (region) AS SELECT * FROM sales")
        let (output, status) = try LiveServers.tally(["--connect", url, "--format", "csv", "-c", question + "\n.explain"])
        XCTAssertEqual(status, 0, output)
        // Spark's own plan of Tally's statement: only East's partition is listed, and the date range is pushed into the scan.
        XCTAssertNotNil(output.range(of: #"PartitionFilters: \[[^\]]*\(region#[0-9]+ = East\)\]"#, options: .regularExpression), output)
        XCTAssertNotNil(output.range(of: #"PushedFilters: \[IsNotNull\(date\), GreaterThanOrEqual\(date,2025-07-01\), "#
                                     + #"LessThanOrEqual\(date,2025-09-30\)\]"#, options: .regularExpression), output)
        // The copy has no key: which of two orders of equal amount is kept is Spark's choice, and Tally says so.
        XCTAssertTrue(output.contains("which 3 rows of each group are kept depends on the database's order of rows that tie in the sort"), output)
        let rows = output.split(separator: "\n").prefix { !$0.hasPrefix("<command>") }
        XCTAssertEqual(rows.count, 13, "the header and three orders for each of four channels: \(output)")
    }

    func testAPartitionedPostgreSQLTableComesInItsKeysOrder() throws {
        let url = try LiveServers.url("TALLY_TEST_POSTGRES")
        XCTAssertEqual(try LiveServers.tally(["upload", url]).status, 0)
        let pg = try PostgresConnection(url: url)
        try pg.run("DROP TABLE IF EXISTS psales")
        try pg.run("CREATE TABLE psales (LIKE sales) PARTITION BY LIST (region)")
        for (k, region) in ["North", "South", "East", "West", "Central"].enumerated() {
            try pg.run("CREATE TABLE psales_\(k) PARTITION OF psales FOR VALUES IN ('\(region)')")
        }
        try pg.run("INSERT INTO psales SELECT * FROM sales")
        // Without a key the rows come in the order of the partitions: Tally says the answer is the server's choice.
        let unkeyed = try LiveServers.tally(["--connect", url, "--format", "csv", "-c", "psales | take 3 | select order_id"])
        XCTAssertTrue(unkeyed.output.contains("which 3 rows are kept depends on the database's order, which can change from run to run: the table has no key"),
                      unkeyed.output)
        // With the key `tally upload` would declare (a partitioned table's includes the partition column), load order.
        try pg.run("ALTER TABLE psales ADD PRIMARY KEY (order_id, region)")
        XCTAssertEqual(try LiveServers.tally(["--connect", url, "--format", "csv", "-c", "psales | take 3 | select order_id"]).output, "order_id\n1\n2\n3\n")
        // PostgreSQL's own plan of Tally's statement reads East's partition only, as it would the hand-written query's.
        let explained = try LiveServers.tally(["--connect", url, "--format", "csv", "-c", question + "\n.explain"]).output
        XCTAssertTrue(explained.contains("on psales_2"), explained)
        for other in [0, 1, 3, 4] { XCTAssertFalse(explained.contains("on psales_\(other)"), "partition \(other) is read:\n\(explained)") }
        XCTAssertEqual(try LiveServers.tally(["--connect", url, "--format", "csv", "-c", question]).output,
                       try LiveServers.tally(["--connect", url, "--format", "csv", "-c", question.replacingOccurrences(of: "psales", with: "sales")]).output,
                       "the partitioned copy gives the table's answer")
        try pg.run("DROP TABLE psales")
    }
}
