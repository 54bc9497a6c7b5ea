import Foundation
import XCTest

/// `tally --connect sc://…` against the live Spark Connect server scripts/test starts (`TALLY_TEST_SPARK`; skipped
/// without it), and what the two database backends share: a result beyond the memory limit stops its transfer.
final class SparkConnectionTests: XCTestCase {
    /// 20,000 sales joined to their rep's 36 monthly targets: 720,000 rows, where 16 MB allows 492,307 rows of four columns
    /// (8⅛ bytes each). The transfer is held to the limit by rows; all Tally holds (at least 10 MB) counts at each plan node.
    func checkTheMemoryLimitStopsTheTransfer(_ url: String) throws {
        XCTAssertEqual(try LiveServers.tally(["upload", url]).status, 0)
        let query = ".set memory_limit 16MB\nsales | join targets on rep | select order_id, amount, month, target"
        let (output, status) = try LiveServers.tally(["--connect", url, "-c", query])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(output.contains("has more than 492,307 rows, more than the memory limit of 16.0 MB allows"), output)
        // Without the limit, the same join is counted on the server.
        XCTAssertEqual(try LiveServers.tally(["--connect", url, "--format", "csv", "-c", "sales | join targets on rep | count"]).output, "n\n720000\n")
    }

    func testTheMemoryLimitStopsTheTransferOnSpark() throws { try checkTheMemoryLimitStopsTheTransfer(try LiveServers.url("TALLY_TEST_SPARK")) }
    func testTheMemoryLimitStopsTheTransferOnPostgreSQL() throws { try checkTheMemoryLimitStopsTheTransfer(try LiveServers.url("TALLY_TEST_POSTGRES")) }

    /// 720,000 rows as csv: printed batch by batch as they arrive, so that rows are out before the transfer ends — shown by
    /// a memory limit that stops it midway, after rows already printed — and all of them give the in-memory engine's text.
    func checkRowsShowAsTheyArrive(_ url: String) throws {
        XCTAssertEqual(try LiveServers.tally(["upload", url]).status, 0)
        let query = "sales | join targets on rep | select order_id, month, amount, target | sort order_id, month"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TerminalSessionTests.binary)
        process.arguments = ["--connect", url, "--format", "csv", "-c", ".set memory_limit 16MB\n" + query]
        let out = Pipe(), err = Pipe()
        (process.standardOutput, process.standardError) = (out, err)
        try process.run()
        let cut = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertTrue(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("more than the memory limit"))
        let printed = cut.split(separator: "\n")
        XCTAssertEqual(printed.first, "order_id,month,amount,target")
        XCTAssertGreaterThan(printed.count, 10_000, "the batches before the limit were printed as they came")
        XCTAssertLessThanOrEqual(printed.count, 492_308, "no more rows than the limit allows")
        let streamed = try LiveServers.tally(["--connect", url, "--format", "csv", "-c", query]).output
        XCTAssertEqual(streamed.split(separator: "\n").count, 720_001)
        XCTAssertEqual(streamed, try LiveServers.tally(["--format", "csv", "-c", query]).output,
                       "batch by batch, the same text as the in-memory engine's (one header, same order)")
    }

    func testRowsShowAsTheyArriveFromSpark() throws { try checkRowsShowAsTheyArrive(try LiveServers.url("TALLY_TEST_SPARK")) }
    func testRowsShowAsTheyArriveFromPostgreSQL() throws { try checkRowsShowAsTheyArrive(try LiveServers.url("TALLY_TEST_POSTGRES")) }

    func testAServerOutOfReachSaysSo() throws {
        let (output, status) = try LiveServers.tally(["--connect", "sc://127.0.0.1:9", "-c", "sales | count"])
        XCTAssertEqual(status, 1)
        XCTAssertEqual(output, "error: cannot connect to sc://127.0.0.1:9: Could not establish a connection to [ipv4]127.0.0.1:9.\n")
    }

    func testTheURLsParametersAreSparkConnects() throws {
        let unknown = try LiveServers.tally(["--connect", "sc://127.0.0.1:9/;bogus=1", "-c", "sales"])
        XCTAssertEqual(unknown.output, "error: `bogus` is no Spark Connect URL parameter (token, user_id, use_ssl, session_id, user_agent)\n")
        let port = try LiveServers.tally(["--connect", "sc://127.0.0.1:99999", "-c", "sales"])
        XCTAssertEqual(port.output, "error: `99999` is not a port (1-65535)\n")
        // A token never shows in a message.
        let token = try LiveServers.tally(["--connect", "sc://127.0.0.1:9/;token=SECRET;use_ssl=false", "-c", "sales"])
        XCTAssertFalse(token.output.contains("SECRET"), token.output)
        XCTAssertEqual(token.status, 1)
    }

    func testASparkErrorShowsSparksMessage() throws {
        let url = try LiveServers.url("TALLY_TEST_SPARK")
        XCTAssertEqual(try LiveServers.tally(["upload", url]).status, 0)
        // Spark's ANSI mode refuses the overflow with its error class; the plan it appends is left out.
        let (output, status) = try LiveServers.tally(["--connect", url, "-c", "sales | derive b = 9223372036854775807 | agg s = sum(b)"])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(output.contains("error: Spark: [ARITHMETIC_OVERFLOW] overflow."), output)
        XCTAssertFalse(output.contains("+- "), output)
    }
}
